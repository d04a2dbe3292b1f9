"""The set-based matching (running balance with window functions) against the rule read literally:
take responses in time order, each answering the earliest unmatched trigger at or before it."""

import random
from datetime import date, datetime, timedelta

import duckdb
import pytest

from analytics.metrics import DuckDBBackend, compute_counts
from tests.factories.compliance import FORCE, EventStore

WCU = f"WCU-{FORCE}"


def sequential_statuses(events: list[tuple[datetime, str]], cutoff: date) -> tuple[int, int, int, int, int]:
    """(met, late, missed, pending, responses without a trigger) by a literal loop over one crime."""
    from analytics.calendar import add_working_days

    order = sorted(range(len(events)), key=lambda i: (events[i][0], events[i][1] == "given", i))
    open_triggers: list[int] = []
    answered: dict[int, datetime] = {}
    orphans = 0
    for index in order:
        moment, kind = events[index]
        if kind == "received":
            open_triggers.append(index)
        elif open_triggers:
            answered[open_triggers.pop(0)] = moment
        else:
            orphans += 1
    met = late = missed = pending = 0
    for index, (moment, kind) in enumerate(events):
        if kind != "received":
            continue
        deadline = add_working_days(moment.date(), 1)
        if index in answered:
            if answered[index].date() <= deadline:
                met += 1
            else:
                late += 1
        elif deadline < cutoff:
            missed += 1
        else:
            pending += 1
    return met, late, missed, pending, orphans


@pytest.mark.parametrize("seed", range(40))
def test_set_based_matching_equals_the_sequential_rule(seed):
    rng = random.Random(seed)
    start = datetime(2025, 5, 5, 9, 0)
    events = [
        (
            start + timedelta(hours=rng.choice([0, 0, 6, 24, 30, 48, 72, 120])),
            rng.choice(["received", "given"]),
        )
        for _ in range(rng.randint(1, 14))
    ]
    store = EventStore()
    store.crime()
    for moment, kind in events:
        store.event(f"hearing_info_{kind}", moment.strftime("%Y-%m-%dT%H:%M"), body=WCU)
    cutoff = date(2025, 5, 9)
    rows = compute_counts(
        DuckDBBackend(store.register(duckdb.connect())), periods=["2025-26 Q1"], cutoff=cutoff
    )
    found = {r.metric: r for r in rows if r.force == FORCE and r.body == WCU and r.breakdown == "all"}
    met, late, missed, pending, orphans = sequential_statuses(events, cutoff)
    obligation = found.get("R8.hearing_info_1wd")
    actual = (
        (obligation.met, obligation.late, obligation.missed, obligation.pending)
        if obligation
        else (0, 0, 0, 0)
    )
    assert actual == (met, late, missed, pending)
    without_trigger = found.get("DQ.response_without_trigger")
    assert (without_trigger.numerator if without_trigger else 0) == orphans
