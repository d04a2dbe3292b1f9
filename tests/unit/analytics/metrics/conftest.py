from datetime import date

import duckdb
import pytest

from analytics.metrics import DuckDBBackend, compute_counts
from tests.factories.compliance import EventStore


class Figures:
    """The counts the engine gives for a hand-made store, looked up by metric, body and breakdown."""

    def __init__(self, store: EventStore, *, periods: list[str], cutoff: date) -> None:
        self.con = store.register(duckdb.connect())
        self.rows = compute_counts(DuckDBBackend(self.con), periods=periods, cutoff=cutoff)

    def row(self, metric, *, period=None, force=None, body=None, breakdown="all", value="all"):
        found = [
            r
            for r in self.rows
            if r.metric == metric
            and (period is None or r.period == period)
            and r.force == (force or "ALL")
            and r.body == (body or "ALL")
            and r.breakdown == breakdown
            and r.breakdown_value == value
        ]
        assert len(found) <= 1, found
        return found[0] if found else None

    def statuses(self, metric, **where):
        row = self.row(metric, **where)
        return None if row is None else (row.met, row.late, row.missed, row.pending)

    def ratio(self, metric, **where):
        row = self.row(metric, **where)
        return None if row is None else (row.numerator, row.denominator)


@pytest.fixture
def figures():
    def build(store: EventStore, *, periods=("2025-26 Q1",), cutoff=date(2025, 8, 15)) -> Figures:
        return Figures(store, periods=list(periods), cutoff=cutoff)

    return build
