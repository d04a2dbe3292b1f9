"""The truth folder: who every victims row really is, the designed compliance, and the problems put in on purpose."""

import json
from collections import defaultdict

from analytics.standard import load_standard
from synthetic.generator import periods_between
from tests.unit.synthetic.conftest import read_rows


def victims_rows(run):
    for path in sorted((run / "bodies").glob("*/victims-*.csv")):
        for row in read_rows(path):
            yield path.parent.name, row


def test_every_victims_row_has_its_true_person(small_run):
    truth = {
        (r["body"], r["person_ref"]): r["true_person_id"]
        for r in read_rows(small_run / "truth" / "people.csv")
    }
    rows = list(victims_rows(small_run))
    assert len(truth) == len(rows)
    assert all((body, row["person_ref"]) in truth for body, row in rows)


def test_the_same_person_turns_up_twice_in_a_force_and_across_bodies(small_run):
    refs_by_person: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_rows(small_run / "truth" / "people.csv"):
        refs_by_person[row["true_person_id"]][row["body"]].add(row["person_ref"])
    forces = set(load_standard().forces)
    twice_in_one_force = [
        p for p, bodies in refs_by_person.items() if any(len(refs) > 1 for refs in bodies.values())
    ]
    in_two_forces = [p for p, bodies in refs_by_person.items() if len(forces & set(bodies)) > 1]
    across_agencies = [p for p, bodies in refs_by_person.items() if any(b.startswith("CPS-") for b in bodies)]
    assert twice_in_one_force and in_two_forces and across_agencies


def test_recorded_details_vary_between_records_of_one_person(small_run):
    truth = {
        (r["body"], r["person_ref"]): r["true_person_id"]
        for r in read_rows(small_run / "truth" / "people.csv")
    }
    records: dict[str, list[dict[str, str]]] = defaultdict(list)
    for body, row in victims_rows(small_run):
        records[truth[(body, row["person_ref"])]].append(row)
    differing = [
        rows
        for rows in records.values()
        if len(rows) > 1
        and len({(r["given_name"], r["family_name"], r["date_of_birth"], r["postcode"]) for r in rows}) > 1
    ]
    assert len(differing) > 20


def test_some_events_arrive_before_their_crime(small_run):
    periods = [p.slug for p in periods_between("2024-25 Q1", "2025-26 Q2")]
    crime_period = {}
    for path in (small_run / "bodies").glob("*/crimes-*.csv"):
        period = periods.index(path.stem.removeprefix("crimes-"))
        for row in read_rows(path):
            crime_period[(row["force"], row["crime_ref"], row["person_ref"])] = period
    early = 0
    for path in (small_run / "bodies").glob("E*/events-*.csv"):
        period = periods.index(path.stem.removeprefix("events-"))
        for row in read_rows(path):
            if crime_period[(row["force"], row["crime_ref"], row["person_ref"])] > period:
                early += 1
    assert early > 0


def test_the_designed_compliance_is_written_down(small_run):
    standard = load_standard()
    severe = list(read_rows(small_run / "truth" / "severe_persistent.csv"))
    assert len(severe) >= 4
    labels = [p.label for p in periods_between("2024-25 Q1", "2025-26 Q2")]
    for case in severe:
        assert case["body"] in standard.bodies and case["metric"] in standard.metrics
        quarters = [labels.index(q) for q in case["periods"].split(";")]
        assert len(quarters) >= 2 and quarters == list(range(quarters[0], quarters[0] + len(quarters)))
    propensities = list(read_rows(small_run / "truth" / "propensities.csv"))
    patterns = {row["pattern"] for row in propensities}
    assert {"steady", "improving", "declining", "severe_persistent", "single_quarter_dip"} <= patterns
    for case in severe:
        rates = [
            float(r["met"])
            for r in propensities
            if (r["body"], r["metric"]) == (case["body"], case["metric"]) and r["period"] in case["periods"]
        ]
        assert max(rates) < 0.45
    summary = json.loads((small_run / "truth" / "summary.json").read_text())
    assert summary["cutoff"] == "2025-10-01" and summary["returns_bodies"]


def test_local_codes_are_used_and_mapped(small_run):
    mappings = list(read_rows(small_run / "truth" / "code_mappings.csv"))
    local = {(m["body"], m["column"]): set() for m in mappings}
    for m in mappings:
        local[(m["body"], m["column"])].add(m["local_code"])
    for (body, column), codes in local.items():
        table = "crimes" if column == "offence_group" else "victims"
        used = {
            row[column]
            for path in (small_run / "bodies" / body).glob(f"{table}-*.csv")
            for row in read_rows(path)
            if row[column]
        }
        assert used and used <= codes
