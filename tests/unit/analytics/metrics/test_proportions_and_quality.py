from datetime import date

from analytics.metrics import sql
from tests.factories.compliance import FORCE, EventStore


def test_needs_assessed_and_vps_offered_count_crimes_recorded_in_the_quarter(figures):
    store = EventStore()
    store.crime("C1", recorded_at="2025-04-10T10:00")
    store.crime("C2", recorded_at="2025-05-10T10:00")
    store.crime("C3", reported_at="2025-03-20T10:00", recorded_at="2025-03-31T10:00")  # previous quarter
    store.event("needs_assessment_done", "2025-09-01T10:00", crime_ref="C1")  # after recording, any time
    store.event("needs_assessment_done", "2025-09-02T10:00", crime_ref="C1")  # counted once
    store.event("vps_offered", "2025-05-11T10:00", crime_ref="C2")
    store.event("needs_assessment_done", "2025-04-11T10:00", crime_ref="C3")
    result = figures(store)
    assert result.ratio("R4.needs_assessed", force=FORCE, body=FORCE) == (1, 2)
    assert result.ratio("R7.vps_offered", force=FORCE, body=FORCE) == (1, 2)


def test_vps_read_counts_convicted_crimes_with_a_statement(figures):
    store = EventStore()
    for ref in ("C1", "C2", "C3"):
        store.crime(ref)
    store.event("vps_made", "2025-04-20T10:00", crime_ref="C1", body="CPS-SW")
    store.event("convicted", "2025-05-20T10:00", crime_ref="C1", body="HMCTS")
    store.event("vps_read_in_court", "2025-06-20T10:00", crime_ref="C1", body="HMCTS")
    store.event("vps_read_in_court", "2025-04-19T10:00", crime_ref="C2", body="HMCTS")  # before the statement
    store.event("vps_made", "2025-04-20T10:00", crime_ref="C2", body="CPS-SW")
    store.event("convicted", "2025-05-20T10:00", crime_ref="C2", body="HMCTS")
    store.event("vps_made", "2025-04-20T10:00", crime_ref="C3", body="CPS-SW")  # not convicted: not counted
    assert figures(store).ratio("R7.vps_read", force=FORCE, body="HMCTS") == (1, 2)


def test_review_decisions_belong_to_the_body_named_by_the_request(figures):
    store = EventStore()
    store.crime("C1")
    store.crime("C2")
    store.event("vrr_requested", "2025-04-20T10:00", crime_ref="C1", detail="cps", body="CPS-SW")
    store.event("vrr_decided", "2025-05-20T10:00", crime_ref="C1", detail="overturned", body="CPS-SW")
    store.event("vrr_requested", "2025-04-20T10:00", crime_ref="C2", detail="police")
    store.event("vrr_decided", "2025-05-20T10:00", crime_ref="C2", detail="upheld")
    result = figures(store)
    assert result.ratio("R6.vrr_overturned", force=FORCE, body="CPS-SW") == (1, 1)
    assert result.ratio("R6.vrr_overturned", force=FORCE, body=FORCE) == (0, 1)
    assert result.ratio("R6.vrr_overturned") == (1, 2)


def test_complaints_are_a_count_not_a_rate(figures):
    store = EventStore()
    store.crime()
    store.event("complaint_received", "2025-04-20T10:00")
    store.event("complaint_received", "2025-05-20T10:00")
    row = figures(store).row("R12.complaints", force=FORCE, body=FORCE)
    assert (row.numerator, row.denominator) == (2, None)


def test_a_complaint_counts_for_the_body_that_recorded_it(figures):
    # Every body takes complaints about itself (Right 12): one made to the CPS is the CPS's, not the force's.
    store = EventStore()
    store.crime()
    store.event("complaint_received", "2025-04-20T10:00")
    store.event("complaint_received", "2025-05-20T10:00", body="CPS-SW")
    store.event("complaint_received", "2025-05-21T10:00", body="CPS-SW")
    result = figures(store)
    assert result.row("R12.complaints", force=FORCE, body=FORCE).numerator == 1
    assert result.row("R12.complaints", force=FORCE, body="CPS-SW").numerator == 2


def test_breakdowns_split_the_whole(figures):
    store = EventStore()
    store.crime("C1", person_ref="P1", sex="F", ethnicity="B2", age_band="18-24", enhanced_rights="Y")
    store.crime("C2", person_ref="P2", sex="M", ethnicity="NS", age_band=None, offence_group="sexual")
    store.crime("C3", person_ref="P3", sex="M", ethnicity="B1", recorded_at="2025-04-09T10:00")
    result = figures(store)
    assert result.statuses("R2.recorded_24h", breakdown="sex", value="M") == (1, 1, 0, 0)
    assert result.statuses("R2.recorded_24h", breakdown="ethnic_group", value="B") == (1, 1, 0, 0)
    assert result.statuses("R2.recorded_24h", breakdown="ethnic_group", value="NS") == (1, 0, 0, 0)
    assert result.statuses("R2.recorded_24h", breakdown="age_band", value="unknown") == (1, 0, 0, 0)
    assert result.statuses("R2.recorded_24h", breakdown="offence_group", value="sexual") == (1, 0, 0, 0)
    assert result.statuses("R2.recorded_24h", breakdown="enhanced_rights", value="Y", force=FORCE, body=FORCE) == (
        1, 0, 0, 0,
    )  # fmt: skip
    assert result.statuses("R2.recorded_24h", breakdown="disability", value="N") == (2, 1, 0, 0)


def test_victim_recording_quality(figures):
    store = EventStore()
    store.victim("P1", sex="F", ethnicity=None, disability="NS", dob_recorded=False)
    store.victim("P2", sex=None, ethnicity="A1", disability=None, dob_recorded=True)
    store.crime("C1", person_ref="P1", sex="F", ethnicity=None, disability="NS")
    store.crime("C2", person_ref="P2", sex=None, ethnicity="A1", disability=None)
    result = figures(store)
    assert result.ratio("DQ.sex_recorded", force=FORCE, body=FORCE) == (1, 2)
    assert result.ratio("DQ.ethnicity_recorded", force=FORCE, body=FORCE) == (1, 2)
    assert result.ratio("DQ.disability_recorded", force=FORCE, body=FORCE) == (1, 2)  # NS is recorded
    assert result.ratio("DQ.dob_recorded", force=FORCE, body=FORCE) == (1, 2)


def test_crimes_over_90_days_old_without_an_outcome(figures):
    store = EventStore()
    store.crime("C1", recorded_at="2025-04-10T10:00")
    store.crime("C2", recorded_at="2025-04-10T10:00", outcome_type="1")
    store.crime("C3", recorded_at="2025-06-20T10:00")  # under 90 days before the cut-off
    result = figures(store, cutoff=date(2025, 8, 15))
    assert result.ratio("DQ.no_outcome_90d", force=FORCE, body=FORCE) == (1, 2)


def test_future_and_before_report_timestamps(figures):
    store = EventStore()
    store.crime(
        "C1", reported_at="2025-04-10T10:00", recorded_at="2025-04-10T09:00"
    )  # recorded before report
    store.event("vps_offered", "2025-04-09T10:00")  # before the crime was reported
    store.event("vps_offered", "2030-04-09T10:00")
    result = figures(store, periods=["2025-26 Q1"])
    assert result.ratio("DQ.before_report", force=FORCE, body=FORCE) == (2, 2)
    assert result.ratio("DQ.future_timestamp", force=FORCE, body=FORCE) == (0, 2)
    future = figures(store, periods=["2030-31 Q1"])
    assert future.ratio("DQ.future_timestamp", force=FORCE, body=FORCE) == (1, 1)


def test_events_of_every_type_count_in_before_report(figures):
    store = EventStore()
    store.crime("C1", reported_at="2025-04-10T10:00", recorded_at="2025-04-10T11:00")
    store.event("sentenced", "2025-04-09T10:00", detail="community")  # no metric reads it; before the report
    store.event("victim_withdrew", "2025-05-01T10:00", detail="pre_charge")  # after the report
    store.event("vps_offered", "2025-04-09T12:00")  # a type the metrics read; before the report
    result = figures(store, periods=["2025-26 Q1"])
    # Two early events, of three events and the crime.
    assert result.ratio("DQ.before_report", force=FORCE, body=FORCE) == (2, 4)
    assert result.ratio("R7.vps_offered", force=FORCE, body=FORCE) == (1, 1)


def test_returns_merge_marked_by_source(figures):
    store = EventStore()
    store.crime()
    store.return_("R10.expenses_10wd", 7, 10, body="CPS-SW")
    store.event(
        "expenses_claim_received", "2025-05-30T12:00", body="CPS-SW", force="E23000001", crime_ref="X"
    )
    result = figures(store)
    row = result.row("R10.expenses_10wd", force=FORCE, body="CPS-SW")
    assert (row.numerator, row.denominator, row.source, row.met) == (7, 10, "returns", None)
    assert result.row("R2.recorded_24h", force=FORCE, body=FORCE).source == "events"
    assert result.ratio("R10.expenses_10wd") == (7, 10)


def test_a_return_replaces_what_the_same_body_s_events_would_give_and_says_so(figures):
    store = EventStore()
    store.crime()
    store.event("expenses_claim_received", "2025-05-30T12:00", body="CPS-SW")
    store.return_("R10.expenses_10wd", 7, 10, body="CPS-SW")
    result = figures(store)
    row = result.row("R10.expenses_10wd", force=FORCE, body="CPS-SW")
    assert (row.numerator, row.denominator, row.source, row.met) == (7, 10, "returns", None)
    assert result.ratio("R10.expenses_10wd") == (7, 10)
    assert not [r for r in result.rows if r.body == "CPS-SW" and r.breakdown != "all"]
    superseded = result.con.execute(sql.superseded_sql()).fetchall()
    assert superseded == [("CPS-SW", "R10.expenses_10wd", "2025-26 Q1")]


def test_a_return_for_one_area_leaves_the_body_s_figures_for_its_other_areas(figures):
    other = "E23000037"
    store = EventStore()
    store.crime("C1")
    store.crime("C2", force=other, person_ref="P2")
    store.event("expenses_claim_received", "2025-05-30T12:00", body="CPS-SW")
    store.event("expenses_claim_received", "2025-05-30T12:00", body="CPS-SW", force=other, crime_ref="C2",
                person_ref="P2")  # fmt: skip
    store.event(
        "expenses_paid", "2025-06-02T12:00", body="CPS-SW", force=other, crime_ref="C2", person_ref="P2"
    )
    store.return_("R10.expenses_10wd", 7, 10, body="CPS-SW")  # for FORCE only
    result = figures(store)
    assert result.row("R10.expenses_10wd", force=FORCE, body="CPS-SW").source == "returns"
    kept = result.row("R10.expenses_10wd", force=other, body="CPS-SW")
    assert (kept.numerator, kept.denominator, kept.source) == (1, 1, "events")
    assert result.ratio("R10.expenses_10wd") == (8, 11)
