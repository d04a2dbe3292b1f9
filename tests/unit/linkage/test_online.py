import itertools
import time
from datetime import date

import pytest

from analytics.linkage import (
    NORMALISED_COLUMNS,
    OnlineScorer,
    Thresholds,
    link_records,
    load_model,
    term_frequencies,
)

EVERY_SCORED_PAIR = Thresholds(upper=0.95, lower=1e-12)


@pytest.fixture(scope="module")
def linked(people_con):
    result = link_records(people_con, "victims", thresholds=EVERY_SCORED_PAIR, output_prefix="online")
    columns = ", ".join(NORMALISED_COLUMNS)
    rows = people_con.execute(f"select {columns} from online_records").fetchall()
    records = {row[0]: dict(zip(NORMALISED_COLUMNS, row, strict=True)) for row in rows}
    pairs = people_con.execute(
        "select unique_id_l, unique_id_r, match_probability from online_pairs"
    ).fetchall()
    return result, records, pairs


def test_online_score_agrees_with_splink_for_every_pair(people_con, linked):
    result, records, pairs = linked
    scorer = OnlineScorer(result.model, term_frequencies(people_con, "online_records"))
    assert len(pairs) > 150
    assert min(p for _, _, p in pairs) < 0.01 < 0.99 < max(p for _, _, p in pairs)
    worst = max(abs(scorer.score(records[a], records[b]) - probability) for a, b, probability in pairs)
    assert worst <= 1e-6


def test_without_term_frequencies_the_exact_level_weight_is_used(linked):
    result, records, pairs = linked
    scorer = OnlineScorer(result.model)
    a, b, _ = pairs[0]
    assert 0.0 <= scorer.score(records[a], records[b]) <= 1.0


def test_raw_records_score_as_their_normalised_form(people_con):
    scorer = OnlineScorer.from_model()
    raw = people_con.execute("select * from victims limit 40").fetchall()
    names = [d[0] for d in people_con.description]
    records = [dict(zip(names, row, strict=True)) for row in raw]
    for left, right in itertools.pairwise(records):
        assert scorer.score(left, right) == scorer.score(scorer.normalise(left), scorer.normalise(right))


def test_every_pair_splink_scored_shares_a_blocking_key(linked):
    _, records, pairs = linked
    scorer = OnlineScorer.from_model()
    keys = {uid: set(scorer.blocking_keys(record).items()) for uid, record in records.items()}
    assert all(keys[a] & keys[b] for a, b, _ in pairs)


def test_blocking_keys_name_each_rule_and_skip_missing_fields():
    scorer = OnlineScorer.from_model()
    keys = scorer.blocking_keys(
        {
            "given_name": "Bob",
            "family_name": "Jones",
            "date_of_birth": date(1980, 3, 5),
            "postcode": "cf10 1aa",
        }
    )
    assert keys == {
        "dob_family_initial": "1980-03-05|j",
        "dob_given_initial": "1980-03-05|b",
        "dob_initials": "1980-03-05|bj",
        "family_initial_year": "JNS|b|1980",
        "family_initial_birthday": "JNS|b|3|5",
        "postcode_initial": "CF101AA|b",
        "name_area": "robert|JNS|CF10",
    }


def test_a_variant_scores_high_and_a_namesake_low():
    scorer = OnlineScorer.from_model()
    query = {
        "given_name": "Dai",
        "family_name": "Pritchard",
        "date_of_birth": "1975-02-11",
        "postcode": "LL57 2DG",
    }
    same = {
        "given_name": "David",
        "family_name": "Pritchard",
        "date_of_birth": "1975-11-02",
        "postcode": "ll572dg",
    }
    namesake = {
        "given_name": "David",
        "family_name": "Pritchard",
        "date_of_birth": "1990-06-30",
        "postcode": "B1 1AA",
    }
    assert scorer.score(query, same) >= 0.95
    assert scorer.score(query, namesake) < 0.01
    assert scorer.explain(query, same)["given_name"] == "nickname or alias"


def test_scoring_takes_microseconds_per_pair(linked):
    _, records, pairs = linked
    scorer = OnlineScorer(load_model())
    chosen = [(records[a], records[b]) for a, b, _ in pairs[:500]]
    started = time.perf_counter()
    for _ in range(10):
        for left, right in chosen:
            scorer.score(left, right)
    per_pair = (time.perf_counter() - started) / (10 * len(chosen))
    assert per_pair < 100e-6
