"""A seeded, realistic-looking journey data set for engine comparisons: several forces and bodies, every
event type of the catalogue, weekends, bank holidays and both clock changes, ties, orphans and unknown crimes."""

import random
from datetime import datetime, timedelta

from tests.factories.compliance import EventStore

FORCES = ("E23000036", "E23000001", "W15000003", "BTP")
CPS = {"E23000036": "CPS-SW", "E23000001": "CPS-LN", "W15000003": "CPS-CW", "BTP": "CPS-LN"}
PAIRS = (
    ("suspect_update_due", "suspect_update_given", "police", ("arrest", "interview", "release", "bail")),
    (
        "decision_not_to_proceed",
        "decision_letter_sent",
        "police",
        ("police_nfa", "cps_no_charge", "cps_discontinued"),
    ),
    ("hearing_info_received", "hearing_info_given", "wcu", ("",)),
    ("witness_required_received", "witness_required_given", "wcu", ("",)),
    ("outcome_info_received", "outcome_info_given", "wcu", ("",)),
    ("appeal_info_received", "appeal_info_given", "wcu", ("",)),
    ("expenses_claim_received", "expenses_paid", "cps", ("",)),
    ("vcs_eligible", "vcs_referred", "probation", ("",)),
    ("vcs_referred", "vcs_contacted", "probation", ("",)),
    ("vrr_requested", "vrr_decided", "cps", ("police", "cps")),
)


def _stamp(moment: datetime, rng: random.Random) -> str:
    # Mix naive local times with UTC and explicit offsets, as submitted files do.
    style = rng.random()
    if style < 0.6:
        return moment.strftime("%Y-%m-%dT%H:%M")
    if style < 0.8:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%S+01:00")


def realistic_store(*, crimes: int = 240, seed: int = 7) -> EventStore:
    rng = random.Random(seed)
    store = EventStore()
    start = datetime(2025, 3, 20, 8, 0)
    for n in range(crimes):
        force = FORCES[n % len(FORCES)]
        person = f"P{n}"
        store.victim(
            person, body=force, sex=rng.choice(["F", "M", "NS", None]), ethnicity=rng.choice(["W1", "B2", "A1", "NS", None]),
            disability=rng.choice(["Y", "N", None]), dob_recorded=rng.random() < 0.8,
        )  # fmt: skip
        reported = start + timedelta(hours=rng.randint(0, 24 * 250), minutes=rng.choice([0, 15, 30]))
        recorded = reported + timedelta(hours=rng.choice([0, 2, 23, 24, 25, 48]))
        ref = f"C{n}"
        store.crime(
            ref, force=force, person_ref=person, reported_at=_stamp(reported, rng), recorded_at=_stamp(recorded, rng),
            offence_group=rng.choice(["violence", "sexual", "theft", "burglary"]), enhanced_rights=rng.choice("YN"),
            domestic_abuse=rng.choice(["Y", "N", None]), outcome_type=rng.choice([None, "1", "18"]),
            sex=rng.choice(["F", "M", None]), ethnicity=rng.choice(["W1", "B2", "NS", None]),
            age_band=rng.choice(["0-17", "18-24", "35-49", None]), disability=rng.choice(["Y", "N", None]),
        )  # fmt: skip
        bodies = {"police": force, "wcu": f"WCU-{force}", "cps": CPS[force], "probation": "PR-SW"}
        event = {"force": force, "crime_ref": ref, "person_ref": person}
        for kind in (
            "written_confirmation_sent",
            "support_referral_made",
            "needs_assessment_done",
            "vps_offered",
        ):
            if rng.random() < 0.8:
                store.event(
                    kind,
                    _stamp(recorded + timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 9)), rng),
                    body=force,
                    **event,
                )
        for trigger, response, owner, details in rng.sample(PAIRS, 4):
            moment = recorded + timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 12))
            for _ in range(rng.choice([1, 1, 2])):
                store.event(
                    trigger,
                    _stamp(moment, rng),
                    body=bodies[owner],
                    detail=rng.choice(details) or None,
                    **event,
                )
            for _ in range(rng.choice([0, 1, 1, 2])):
                answer = moment + timedelta(hours=rng.choice([-3, 0, 5, 24, 30, 80, 200]))
                detail = rng.choice(["upheld", "overturned"]) if response == "vrr_decided" else None
                store.event(response, _stamp(answer, rng), body=bodies[owner], detail=detail, **event)
        if rng.random() < 0.3:
            store.event("vps_made", _stamp(recorded + timedelta(days=5), rng), body=CPS[force], **event)
            store.event("convicted", _stamp(recorded + timedelta(days=90), rng), body="HMCTS", **event)
            if rng.random() < 0.6:
                store.event(
                    "vps_read_in_court", _stamp(recorded + timedelta(days=91), rng), body="HMCTS", **event
                )
        if rng.random() < 0.1:
            store.event("complaint_received", _stamp(recorded + timedelta(days=20), rng), body=force, **event)
        if rng.random() < 0.05:
            store.event(
                "hearing_info_received",
                _stamp(recorded, rng),
                body=f"WCU-{force}",
                force=force,
                crime_ref=f"X{n}",
                person_ref=person,
            )
    store.return_("R9.outcome_info_1wd", 40, 50, body="WCU-E23000005", force="E23000005", period="2025-26 Q2")
    return store
