"""Hand-worked obligations: each case's expected figures are worked out from the minimum dataset's rules."""

from datetime import date

import pytest

from analytics.metrics import load_forces
from analytics.metrics.catalogue import force_from_record
from tests.factories.compliance import FORCE, EventStore

WCU = f"WCU-{FORCE}"


def store_with_crime(**crime) -> EventStore:
    store = EventStore()
    store.victim()
    store.crime(**crime)
    return store


# Recorded Friday 11 April 2025; Good Friday (18th) and Easter Monday (21st) are bank holidays,
# so five working days later is Tuesday 22 April.
@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        ("2025-04-22T23:59", (1, 0, 0, 0)),  # any time on the deadline date is met
        ("2025-04-23T00:01", (0, 1, 0, 0)),  # one working day late
        ("2025-04-22T23:30:00Z", (0, 1, 0, 0)),  # 00:30 on the 23rd in London (BST)
        ("2025-04-22T22:30:00+00:00", (1, 0, 0, 0)),  # 23:30 on the 22nd in London
    ],
)
def test_confirmation_deadline_skips_the_easter_bank_holidays(figures, sent_at, expected):
    store = store_with_crime(reported_at="2025-04-11T09:00", recorded_at="2025-04-11T10:00")
    store.event("written_confirmation_sent", sent_at)
    assert figures(store).statuses("R3.confirmation_5wd", body=FORCE, force=FORCE) == expected


# Received Saturday 3 May 2025: the trigger's own date never counts and Monday 5 May is a bank holiday,
# so one working day later is Tuesday 6 May.
@pytest.mark.parametrize(
    ("given_at", "expected"), [("2025-05-06T17:00", (1, 0, 0, 0)), ("2025-05-07T09:00", (0, 1, 0, 0))]
)
def test_weekend_trigger_and_bank_holiday(figures, given_at, expected):
    store = store_with_crime()
    store.event("hearing_info_received", "2025-05-03T11:00", body=WCU)
    store.event("hearing_info_given", given_at, body=WCU)
    assert figures(store).statuses("R8.hearing_info_1wd", body=WCU, force=FORCE) == expected


@pytest.mark.parametrize(
    ("enhanced", "given_on", "expected"),
    [
        ("Y", "2025-06-03", (1, 0, 0, 0)),  # 1 working day for enhanced rights
        ("Y", "2025-06-04", (0, 1, 0, 0)),
        ("N", "2025-06-09", (1, 0, 0, 0)),  # 5 working days: 3, 4, 5, 6, 9 June
        ("N", "2025-06-10", (0, 1, 0, 0)),
    ],
)
def test_five_or_one_working_days(figures, enhanced, given_on, expected):
    store = store_with_crime(enhanced_rights=enhanced)
    store.event("suspect_update_due", "2025-06-02T15:00", detail="arrest")
    store.event("suspect_update_given", f"{given_on}T12:00")
    assert figures(store).statuses("R6.suspect_update", body=FORCE, force=FORCE) == expected


@pytest.mark.parametrize(
    ("reported_at", "recorded_at", "expected"),
    [
        # Clocks go back at 02:00 BST on 26 October 2025: 12:00 BST to 11:30 GMT is 24.5 hours elapsed.
        ("2025-10-25T12:00", "2025-10-26T11:30", (0, 1, 0, 0)),
        ("2025-10-25T12:00+01:00", "2025-10-26T11:00:00Z", (1, 0, 0, 0)),  # exactly 24 hours is met
        ("2025-10-25T12:00:00Z", "2025-10-26T12:00:01Z", (0, 1, 0, 0)),
    ],
)
def test_recorded_within_24_hours_is_elapsed_time_across_the_clock_change(
    figures, reported_at, recorded_at, expected
):
    store = store_with_crime(reported_at=reported_at, recorded_at=recorded_at)
    result = figures(store, periods=["2025-26 Q3"], cutoff=date(2025, 12, 1))
    assert result.statuses("R2.recorded_24h", body=FORCE, force=FORCE) == expected


def test_spring_clock_change_skipped_hour_is_read_before_the_change(figures):
    # 01:30 on 30 March 2025 does not exist in London; it is read as GMT (01:30Z), so recording at
    # 01:30 BST the next day (00:30Z) is 23 hours later and met.
    store = store_with_crime(reported_at="2025-03-30T01:30", recorded_at="2025-03-31T01:30")
    result = figures(store, periods=["2024-25 Q4"], cutoff=date(2025, 5, 1))
    assert result.statuses("R2.recorded_24h", body=FORCE, force=FORCE) == (1, 0, 0, 0)


def test_trigger_quarter_is_its_london_date(figures):
    store = store_with_crime()
    store.event("outcome_info_received", "2025-06-30T23:30:00Z", body=WCU)  # 1 July 00:30 in London: Q2
    store.event("outcome_info_received", "2025-06-30T22:30:00Z", body=WCU)  # 30 June 23:30 in London: Q1
    result = figures(store, periods=["2025-26 Q1", "2025-26 Q2"], cutoff=date(2025, 9, 1))
    assert result.statuses("R9.outcome_info_1wd", period="2025-26 Q1", body=WCU, force=FORCE) == (0, 0, 1, 0)
    assert result.statuses("R9.outcome_info_1wd", period="2025-26 Q2", body=WCU, force=FORCE) == (0, 0, 1, 0)


def test_each_trigger_is_its_own_obligation_even_at_the_same_instant(figures):
    store = store_with_crime()
    store.event("outcome_info_received", "2025-05-12T10:00", body=WCU)
    store.event("outcome_info_received", "2025-05-12T10:00", body=WCU)
    store.event("outcome_info_given", "2025-05-12T16:00", body=WCU)
    assert figures(store).statuses("R9.outcome_info_1wd", body=WCU, force=FORCE) == (1, 0, 1, 0)


def test_response_answers_the_earliest_unmatched_trigger(figures):
    # Triggers Monday and Wednesday; responses Wednesday afternoon and Friday. The first answers Monday's
    # (deadline Tuesday: late), the second Wednesday's (deadline Thursday: late), not "nearest first".
    store = store_with_crime()
    store.event("appeal_info_received", "2025-05-12T09:00", body=WCU)
    store.event("appeal_info_received", "2025-05-14T09:00", body=WCU)
    store.event("appeal_info_given", "2025-05-14T15:00", body=WCU)
    store.event("appeal_info_given", "2025-05-16T15:00", body=WCU)
    assert figures(store).statuses("R9.appeal_info_1wd", body=WCU, force=FORCE) == (0, 2, 0, 0)


def test_response_at_the_trigger_instant_matches_but_earlier_that_day_does_not(figures):
    store = store_with_crime()
    store.event("witness_required_given", "2025-05-12T08:00", body=WCU)  # before any trigger
    store.event("witness_required_received", "2025-05-12T09:00", body=WCU)
    store.event("witness_required_given", "2025-05-12T09:00", body=WCU)  # the very instant: matches
    result = figures(store)
    assert result.statuses("R8.witness_required_1wd", body=WCU, force=FORCE) == (1, 0, 0, 0)
    assert result.ratio("DQ.response_without_trigger", body=WCU, force=FORCE) == (1, 2)


def test_a_crime_s_recording_is_not_a_response_that_could_lack_a_trigger(figures):
    # R2's response is the crime row's recorded_at, beside its trigger: it is not among the responses counted.
    store = store_with_crime()
    store.crime("C2", person_ref="P2")
    store.event("suspect_update_given", "2025-05-12T09:00")  # the force's response to no suspect update due
    result = figures(store)
    assert result.ratio("DQ.response_without_trigger", body=FORCE, force=FORCE) == (1, 1)

    # Two triggers and two responses share one instant: file order pairs them; both met.
    store = store_with_crime()
    for event_type in (
        "expenses_claim_received",
        "expenses_claim_received",
        "expenses_paid",
        "expenses_paid",
    ):
        store.event(event_type, "2025-05-12T09:00", body="CPS-SW")
    assert figures(store).statuses("R10.expenses_10wd", body="CPS-SW", force=FORCE) == (2, 0, 0, 0)


@pytest.mark.parametrize(
    ("cutoff", "expected"),
    [
        (date(2025, 6, 13), (0, 0, 0, 1)),  # deadline 13 June is not before the cut-off date: pending
        (date(2025, 6, 14), (0, 0, 1, 0)),  # deadline before the cut-off: missed
    ],
)
def test_pending_versus_missed_at_the_cutoff(figures, cutoff, expected):
    store = store_with_crime()
    store.event("expenses_claim_received", "2025-05-30T12:00", body="CPS-SW")  # 10 wd: 13 June
    result = figures(store, cutoff=cutoff)
    assert result.statuses("R10.expenses_10wd", body="CPS-SW", force=FORCE) == expected
    row = result.row("R10.expenses_10wd", body="CPS-SW", force=FORCE)
    assert row.denominator == expected[2]  # pending is left out of the rate


def test_events_after_the_cutoff_still_count(figures):
    store = store_with_crime()
    store.event("expenses_claim_received", "2025-05-30T12:00", body="CPS-SW")
    store.event("expenses_paid", "2025-09-30T12:00", body="CPS-SW")
    assert figures(store).statuses("R10.expenses_10wd", body="CPS-SW", force=FORCE) == (0, 1, 0, 0)


def test_event_whose_crime_is_unknown_creates_no_obligation(figures):
    store = store_with_crime()
    store.event("hearing_info_received", "2025-05-12T09:00", body=WCU, crime_ref="C404")
    store.event("hearing_info_received", "2025-05-12T09:00", body=WCU, person_ref="p1")  # keys are exact
    result = figures(store)
    assert result.row("R8.hearing_info_1wd", body=WCU, force=FORCE) is None
    assert result.ratio("DQ.unknown_crime", body=WCU, force=FORCE) == (2, 2)


def test_crime_with_two_victims_has_two_obligations(figures):
    store = EventStore()
    store.crime("C1", person_ref="P1")
    store.crime("C1", person_ref="P2")
    store.event("written_confirmation_sent", "2025-04-08T10:00", person_ref="P1")
    assert figures(store).statuses("R3.confirmation_5wd", body=FORCE, force=FORCE) == (1, 0, 1, 0)


def test_referral_or_recorded_decline_answers_right_4(figures):
    store = EventStore()
    store.crime("C1", reported_at="2025-04-07T10:00")
    store.crime("C2", reported_at="2025-04-07T10:00")
    store.event("support_referral_made", "2025-04-09T10:00", crime_ref="C1")
    store.event("support_referral_declined", "2025-04-10T10:00", crime_ref="C2")
    assert figures(store).statuses("R4.referral_2wd", body=FORCE, force=FORCE) == (1, 1, 0, 0)


def test_vcs_referral_is_both_a_response_and_a_trigger(figures):
    store = store_with_crime()
    store.event("vcs_eligible", "2025-05-01T10:00", body="PR-SW")
    store.event("vcs_referred", "2025-05-09T10:00", body="PR-SW")  # 10 wd from 1 May: 16 May (5 May holiday)
    store.event(
        "vcs_contacted", "2025-06-10T10:00", body="PR-SW"
    )  # 20 wd from 9 May: 9 June (26 May holiday)
    result = figures(store)
    assert result.statuses("R11.vcs_referral_10wd", body="PR-SW", force=FORCE) == (1, 0, 0, 0)
    assert result.statuses("R11.vlo_contact_20wd", body="PR-SW", force=FORCE) == (0, 1, 0, 0)


def test_youth_justice_service_takes_the_probation_duty_it_reports(figures):
    store = store_with_crime()
    store.event("vcs_eligible", "2025-05-01T10:00", body="YJS-BRISTOL")
    store.event("vcs_referred", "2025-05-02T10:00", body="YJS-BRISTOL")
    assert figures(store).statuses("R11.vcs_referral_10wd", body="YJS-BRISTOL", force=FORCE) == (1, 0, 0, 0)


def test_a_non_territorial_force_s_duties_belong_to_the_bodies_that_did_the_work(figures):
    # British Transport Police has no Witness Care Unit, CPS area or probation region of its own: its cases
    # go to those of the area where they are tried (here London's).
    store = EventStore()
    store.victim(body="BTP")
    store.crime(force="BTP")
    for event_type, at in (
        ("hearing_info_received", "2025-05-12T09:00"),
        ("hearing_info_given", "2025-05-13T09:00"),
    ):
        store.event(event_type, at, force="BTP", body="WCU-E23000001")
    for event_type, at in (
        ("expenses_claim_received", "2025-05-12T09:00"),
        ("expenses_paid", "2025-05-13T09:00"),
    ):
        store.event(event_type, at, force="BTP", body="CPS-LN")
    result = figures(store)
    assert result.statuses("R8.hearing_info_1wd", body="WCU-E23000001", force="BTP") == (1, 0, 0, 0)
    assert result.statuses("R10.expenses_10wd", body="CPS-LN", force="BTP") == (1, 0, 0, 0)
    assert result.row("R8.hearing_info_1wd", body="WCU-BTP", force="BTP") is None  # no such body


def test_forces_name_their_witness_care_unit_from_the_standard_or_the_bare_forces_file():
    forces = {force.code: force for force in load_forces()}
    assert forces["E23000001"].witness_care_unit == "WCU-E23000001"
    assert forces["BTP"].witness_care_unit == forces["MDP"].witness_care_unit == ""
    territorial = force_from_record({"code": "E23000036", "local_policing_body": "LPB-E23000036"})
    assert territorial.witness_care_unit == "WCU-E23000036"
    assert force_from_record({"code": "MDP", "local_policing_body": ""}).witness_care_unit == ""


@pytest.mark.parametrize(
    ("detail", "body"), [("police_nfa", FORCE), ("cps_no_charge", "CPS-SW"), ("charge_altered", "CPS-SW")]
)
def test_decision_letter_belongs_to_police_or_cps_by_detail(figures, detail, body):
    store = store_with_crime()
    store.event("decision_not_to_proceed", "2025-05-12T10:00", detail=detail, body=body)
    store.event("decision_letter_sent", "2025-05-13T10:00", body=body)
    assert figures(store).statuses("R6.decision_letter", body=body, force=FORCE) == (1, 0, 0, 0)


def test_area_and_national_rows_add_up_bodies(figures):
    store = store_with_crime()
    store.crime("C2", force="E23000001", reported_at="2025-04-07T10:00", recorded_at="2025-04-09T10:00")
    result = figures(store)
    assert result.statuses("R2.recorded_24h", force=FORCE) == (1, 0, 0, 0)
    assert result.statuses("R2.recorded_24h", force="E23000001", body="E23000001") == (0, 1, 0, 0)
    assert result.statuses("R2.recorded_24h") == (1, 1, 0, 0)
