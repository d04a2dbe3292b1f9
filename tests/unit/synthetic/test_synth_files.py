"""`justice-journey synth`: files every published schema accepts, events in the vocabulary, the same bytes for
the same seed."""

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from frictionless import Resource, Schema

from analytics.schemas import table_schema
from analytics.standard import load_standard
from synthetic.generator import generate
from synthetic.generator.run import Renderer
from tests.unit.synthetic.conftest import read_rows

TABLES = ("victims", "crimes", "events", "returns")


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def harmonised(run: Path, table: str, target: Path) -> Path:
    """All bodies' files of one table in one CSV, with local codes mapped by truth/code_mappings.csv.

    Keys that are unique within a body (a victim's person_ref, an event_id) get the body's code in front.
    """
    own_key = {"victims": "person_ref", "events": "event_id"}.get(table)
    mappings: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in read_rows(run / "truth" / "code_mappings.csv"):
        mappings[(row["body"], row["column"])][row["local_code"]] = row["standard_code"]
    columns = load_standard().tables[table].columns
    out = target / f"{table}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c.name for c in columns], lineterminator="\n")
        writer.writeheader()
        for path in sorted((run / "bodies").glob(f"*/{table}*.csv")):
            body = path.parent.name
            for row in read_rows(path):
                for (mapped_body, column), mapping in mappings.items():
                    if mapped_body == body and row.get(column):
                        row[column] = mapping[row[column]]
                if own_key:
                    row[own_key] = f"{body}:{row[own_key]}"
                writer.writerow(row)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES)
def test_every_file_passes_the_published_schema(small_run, tmp_path, table):
    combined = harmonised(small_run, table, tmp_path)
    resource = Resource(
        path=combined.name,
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(table_schema(load_standard(), table)),
    )
    report = resource.validate(limit_errors=20)
    errors = [tuple(error) for error in report.flatten(["rowNumber", "fieldName", "type", "note"])]
    assert errors == []
    assert report.task.stats["rows"] > 0


def test_files_follow_the_layout_and_name_their_table(small_run):
    bodies = {path.name for path in (small_run / "bodies").iterdir()}
    standard = load_standard()
    assert bodies <= set(standard.bodies), bodies - set(standard.bodies)
    assert {"E23000036", "BTP", "MDP", "CPS-SW", "WCU-E23000036", "HMCTS"} <= bodies
    assert any(body.startswith("PR-") for body in bodies)
    for path in (small_run / "bodies").glob("*/*"):
        assert path.name.split("-")[0].split(".")[0] in TABLES, path
    assert (small_run / "bodies" / "E23000036" / "crimes-2024-25-Q1.csv").exists()
    assert (small_run / "bodies" / "MDP" / "returns.csv").exists()
    assert not list((small_run / "bodies" / "MDP").glob("events*"))


def test_events_use_the_vocabulary_and_its_detail_codes(small_run):
    standard = load_standard()
    seen: set[str] = set()
    for path in (small_run / "bodies").glob("*/events*.csv"):
        for row in read_rows(path):
            event_type = standard.event_types[row["event_type"]]
            seen.add(row["event_type"])
            if row["detail"]:
                assert event_type.detail_codelist, row
                assert row["detail"] in standard.codes[event_type.detail_codelist], row
    # Every part of a journey turns up, from the police to probation.
    assert {
        "written_confirmation_sent",
        "decision_letter_sent",
        "hearing_info_given",
        "sentenced",
        "vcs_eligible",
    } <= seen


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    quarter = {"scale": 0.002, "period_from": "2025-26 Q1", "period_to": "2025-26 Q1"}
    generate(tmp_path / "a", seed=7, **quarter)
    generate(tmp_path / "b", seed=7, **quarter)
    generate(tmp_path / "c", seed=8, **quarter)
    first, second, other = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert first == second
    assert len(first) > 200
    assert sum(first[name] != other.get(name) for name in first) > len(first) / 2


def test_parquet_holds_the_same_rows_as_csv(tmp_path):
    quarter = {"seed": 3, "scale": 0.001, "period_from": "2025-26 Q2", "period_to": "2025-26 Q2"}
    as_csv = generate(tmp_path / "csv", **quarter)
    as_parquet = generate(tmp_path / "parquet", fmt="parquet", **quarter)
    assert as_parquet.rows == as_csv.rows
    crimes = pq.read_table(tmp_path / "parquet" / "bodies" / "E23000036" / "crimes-2025-26-Q2.parquet")
    assert crimes.column_names == [c.name for c in load_standard().tables["crimes"].columns]
    csv_rows = list(read_rows(tmp_path / "csv" / "bodies" / "E23000036" / "crimes-2025-26-Q2.csv"))
    assert crimes.to_pylist()[0] == {k: (v or None) for k, v in csv_rows[0].items()}


def test_the_command_writes_the_files_and_reports(tmp_path, capsys):
    out = tmp_path / "synth"
    call_command("synth", "--out", str(out), "--scale", "0.001", "--from", "2025-26 Q1", "--to", "2025-26 Q1")
    report = capsys.readouterr().out
    assert "crimes" in report and "2025-26 Q1" in report
    assert (out / "truth" / "people.csv").exists()
    assert list((out / "bodies" / "E23000001").glob("events-2025-26-Q1.csv"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2025-26 Q5"], "'2025-26 Q5' is not a financial-year quarter"),
        (["--from", "2025-26 Q2", "--to", "2025-26 Q1"], "is before --from"),
        (["--scale", "0"], "scale must be a number greater than 0"),
        (["--scale", "inf"], "scale must be a number greater than 0"),
        (["--scale", "nan"], "scale must be a number greater than 0"),
        (["--workers", "0"], "workers must be at least 1"),
    ],
)
def test_the_command_refuses_bad_options_plainly(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("synth", "--out", str(tmp_path / "x"), *arguments)
    assert not (tmp_path / "x" / "bodies").exists()


def test_the_command_refuses_a_file_for_its_folder(tmp_path):
    (tmp_path / "crimes.csv").write_text("kept")
    with pytest.raises(CommandError, match=r"crimes\.csv is a file; give a folder"):
        call_command("synth", "--out", str(tmp_path / "crimes.csv"))
    assert (tmp_path / "crimes.csv").read_text() == "kept"


def test_the_command_never_writes_over_earlier_output(tmp_path):
    quarter = ["--scale", "0.001", "--from", "2025-26 Q1", "--to", "2025-26 Q1"]
    call_command("synth", "--out", str(tmp_path), *quarter)
    before = digest(tmp_path)
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("synth", "--out", str(tmp_path), "--seed", "2", *quarter)
    assert digest(tmp_path) == before


@pytest.mark.slow
def test_parallel_workers_write_the_same_bytes_as_one_process(tmp_path):
    quarter = {"seed": 4, "scale": 0.002, "period_from": "2025-26 Q3", "period_to": "2025-26 Q3"}
    generate(tmp_path / "one", workers=1, **quarter)
    generate(tmp_path / "two", workers=2, **quarter)
    assert digest(tmp_path / "one") == digest(tmp_path / "two")
    assert not list(tmp_path.glob("*/.synth-incomplete-*"))


def test_a_failed_run_leaves_nothing_behind(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValueError, match="2025-26 Q9"):
        generate(out, period_from="2025-26 Q9")
    with pytest.raises(ValueError, match="format must be csv or parquet"):
        generate(out, fmt="xlsx")
    rendered = []
    original = Renderer.render

    def render_then_fail(self, plan):
        if rendered:
            raise OSError("disk full")
        rendered.append(plan)
        return original(self, plan)

    monkeypatch.setattr(Renderer, "render", render_then_fail)
    with pytest.raises(OSError, match="disk full"):
        generate(out, scale=0.001, workers=1)
    assert list(out.iterdir()) == []
