import re
from datetime import date

import numpy as np
import pytest

from analytics.calendar import add_working_days
from synthetic.generator import parse_period, people, periods_between, targets, text
from synthetic.generator.journeys import deadlines, outcome_matrix
from synthetic.generator.run import plan_chunks

POSTCODE = re.compile(r"^[A-Z]{1,2}\d{1,2} ?\d[ABD-HJLNP-UW-Z]{2}$", re.IGNORECASE)


def test_periods_are_financial_year_quarters():
    q1 = parse_period("2025-26 Q1")
    assert (q1.start, q1.end, q1.slug) == (date(2025, 4, 1), date(2025, 7, 1), "2025-26-Q1")
    q4 = parse_period("2025-26 Q4")
    assert (q4.start, q4.end) == (date(2026, 1, 1), date(2026, 4, 1))
    labels = [p.label for p in periods_between("2024-25 Q3", "2025-26 Q2")]
    assert labels == ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]


@pytest.mark.parametrize("label", ["2025-27 Q1", "2025-26 Q0", "2025 Q1", "2025-26Q1"])
def test_a_malformed_period_is_refused_by_name(label):
    with pytest.raises(ValueError, match=re.escape(repr(label))):
        parse_period(label)


def test_timestamps_follow_the_london_clock_and_its_written_styles():
    autumn = text.day_number(date(2025, 10, 26)) * text.DAY
    summer = text.day_number(date(2025, 7, 1)) * text.DAY + 12 * 3600
    local = np.array([autumn + 5400, autumn + 7200, summer])
    assert text.timestamps(local, "naive").to_pylist() == [
        "2025-10-26T01:30:00",
        "2025-10-26T02:00:00",
        "2025-07-01T12:00:00",
    ]
    # The repeated hour is read with the offset before the change (British Summer Time).
    assert text.timestamps(local, "utc").to_pylist() == [
        "2025-10-26T00:30:00Z",
        "2025-10-26T02:00:00Z",
        "2025-07-01T11:00:00Z",
    ]
    assert text.timestamps(local, "offset").to_pylist()[2] == "2025-07-01T12:00:00+01:00"
    assert text.timestamps(local, "minutes").to_pylist()[0] == "2025-10-26T01:30"


def test_no_time_falls_in_the_hour_the_clocks_skip():
    spring = text.day_number(date(2025, 3, 30)) * text.DAY
    moved = text.skip_missing_hour(np.array([spring + 3600 + 600, spring + 3 * 3600]))
    assert moved.tolist() == [spring + 2 * 3600 + 600, spring + 3 * 3600]


def test_deadlines_use_the_working_day_calendar():
    days = np.array([text.day_number(date(2025, 12, 24)), text.day_number(date(2025, 4, 17))])
    got = deadlines(days, np.array([1, 5]))
    assert [text.from_day_number(d) for d in got] == [
        add_working_days(date(2025, 12, 24), 1),
        add_working_days(date(2025, 4, 17), 5),
    ]
    assert text.from_day_number(got[0]) == date(2025, 12, 29)


def test_person_references_never_collide():
    pid = np.arange(200_000)
    refs = people.person_refs("P", np.concatenate([pid, pid]), np.repeat([0, 1], len(pid)), body_salt=7)
    assert len(set(refs.to_pylist())) == 2 * len(pid)


def test_people_look_real_and_stay_the_same_wherever_they_appear():
    pid = np.arange(5_000)
    home = np.full(len(pid), 35)  # Avon and Somerset
    first = people.true_people(3, pid, home, np.zeros(len(pid), bool), np.zeros(len(pid), np.int64))
    again = people.true_people(
        3, pid[::-1].copy(), home, np.zeros(len(pid), bool), np.zeros(len(pid), np.int64)
    )
    assert (first.dob == again.dob[::-1]).all() and (first.family == again.family[::-1]).all()
    style = people.RecordingStyle(
        careful=False, sex_missing=0, ethnicity_missing=0, disability_missing=0, dob_missing=0
    )
    refs = people.person_refs("URN", pid, np.zeros(len(pid), np.int64), 3)
    rows = people.victims_table(3, first, 3, np.zeros(len(pid), np.int64), refs, style).to_pylist()
    postcodes = [r["postcode"] for r in rows if r["postcode"]]
    assert all(POSTCODE.match(p) for p in postcodes)
    assert {p[:2].upper() for p in postcodes} <= {"BS", "BA", "TA"}
    ages = [
        (date(2025, 1, 1) - date.fromisoformat(r["date_of_birth"])).days / 365.25
        for r in rows
        if r["date_of_birth"]
    ]
    assert min(ages) >= 9 and max(ages) < 94
    family = {r["family_name"] for r in rows}
    assert any("'" in name for name in family) and any("-" in name for name in family)
    assert sum(r["given_name"] in ("Bob", "Bill", "Liz", "Kate", "Dave", "Mike") for r in rows) > 0


def test_welsh_areas_have_many_more_welsh_names():
    pid = np.arange(20_000)
    home = np.zeros(len(pid), np.int64)
    welsh = people.true_people(1, pid, home, np.ones(len(pid), bool), np.full(len(pid), 2))
    english = people.true_people(1, pid, home, np.zeros(len(pid), bool), np.zeros(len(pid), np.int64))
    names = people.given_vocabulary().strings.to_pylist()
    welsh_given = {
        "Dafydd",
        "Rhys",
        "Siân",
        "Carys",
        "Angharad",
        "Bethan",
        "Ffion",
        "Gethin",
        "Iwan",
        "Rhiannon",
    }
    share = lambda found: np.mean([names[i] in welsh_given for i in found.given])  # noqa: E731
    assert share(welsh) > 5 * share(english)


def test_outcomes_keep_the_national_shares_over_the_offence_mix():
    mix = np.array(list(targets.OFFENCE_MIX.values()))
    marginal = mix @ outcome_matrix()
    assert np.allclose(marginal, list(targets.OUTCOME_SHARES.values()), atol=1e-6)


def test_a_national_year_is_about_six_point_six_million_crimes_in_bounded_chunks():
    plans = plan_chunks(periods_between("2025-26 Q1", "2025-26 Q4"), 1.0)
    crimes = sum(p.crimes for p in plans)
    assert 6_600_000 + 71_500 - 100 <= crimes <= 6_600_000 + 71_500 + 100
    assert max(p.crimes for p in plans) <= 100_000


def test_a_force_writes_its_own_first_record_of_a_person_carefully():
    pid = np.arange(2_000)
    found = people.true_people(
        2, pid, np.full(len(pid), 35), np.zeros(len(pid), bool), np.zeros(len(pid), np.int64)
    )
    style = people.RecordingStyle(
        careful=True, sex_missing=0, ethnicity_missing=0, disability_missing=0, dob_missing=0
    )
    refs = people.person_refs("ASP", pid, np.zeros(len(pid), np.int64), 1)
    rows = people.victims_table(2, found, 1, np.zeros(len(pid), np.int64), refs, style).to_pylist()
    postcodes = [r["postcode"] for r in rows if r["postcode"]]
    assert sum(" " in p and p.upper() == p for p in postcodes) > 0.97 * len(postcodes)
    given = people.given_vocabulary().strings.to_pylist()
    assert sum(r["given_name"] == given[g] for r, g in zip(rows, found.given, strict=True)) > 0.97 * len(rows)
