import json
import logging

import duckdb
import pytest

from analytics.linkage import (
    DEFAULT_MODEL_PATH,
    Thresholds,
    link_records,
    load_model,
    prepare_records,
    save_model,
    train_model,
)
from analytics.linkage.people import load_people

EVERY_SCORED_PAIR = Thresholds(upper=0.95, lower=1e-12)


def scores(con, model, prefix):
    link_records(con, "victims", model=model, thresholds=EVERY_SCORED_PAIR, output_prefix=prefix)
    return dict(
        ((a, b), p)
        for a, b, p in con.execute(
            f"select unique_id_l, unique_id_r, match_probability from {prefix}_pairs"
        ).fetchall()
    )


@pytest.mark.slow
def test_a_trained_model_saved_and_loaded_gives_the_same_scores(tmp_path):
    con = duckdb.connect()
    load_people(con, "victims", 3000, seed=5)
    model = train_model(con, "victims", seed=5, max_pairs_for_u=1e6)
    path = save_model(model, tmp_path / "model.json")
    loaded = load_model(path)
    assert loaded.settings == model.settings
    before, after = scores(con, model, "before"), scores(con, loaded, "after")
    assert before and before == after


def test_the_shipped_model_is_trained_and_readable_by_splink_itself():
    from splink import DuckDBAPI, Linker

    model = load_model(DEFAULT_MODEL_PATH)
    assert 0 < model.probability_two_random_records_match < 1
    con = duckdb.connect()
    load_people(con, "raw", 200, seed=2)
    prepare_records(con, "raw", "prepared")
    linker = Linker(DuckDBAPI(con).register("prepared"), str(DEFAULT_MODEL_PATH), log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    assert con.execute(f"select count(*) from {predictions.physical_name}").fetchall()[0][0] > 20


def test_a_model_file_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"comparisons": [\n  oops\n]}')
    with pytest.raises(ValueError, match=r"model.json: line 2"):
        load_model(path)


def test_a_model_whose_levels_differ_from_the_definitions_is_refused(tmp_path):
    settings = json.loads(DEFAULT_MODEL_PATH.read_text())
    settings["comparisons"][0]["comparison_levels"][2]["sql_condition"] = "given_name_l = given_name_r"
    path = tmp_path / "model.json"
    path.write_text(json.dumps(settings))
    with pytest.raises(ValueError, match="given_name"):
        load_model(path)


def test_an_untrained_level_is_refused_by_name(tmp_path):
    settings = json.loads(DEFAULT_MODEL_PATH.read_text())
    del settings["comparisons"][3]["comparison_levels"][1]["m_probability"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(settings))
    with pytest.raises(ValueError, match=r"'postcode', level 1 \(exact\)"):
        load_model(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.update(comparisons="x"),
        lambda s: s["comparisons"].__setitem__(0, "given_name"),
        lambda s: s["comparisons"][0].pop("comparison_levels"),
        lambda s: s["comparisons"][0]["comparison_levels"].__setitem__(1, 7),
    ],
)
def test_a_model_whose_comparisons_are_not_in_splink_s_form_is_refused_plainly(tmp_path, damage):
    settings = json.loads(DEFAULT_MODEL_PATH.read_text())
    damage(settings)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(settings))
    with pytest.raises(
        ValueError, match=r"model.json: not a Splink model \(its comparisons are not in Splink"
    ):
        load_model(path)
