"""Storing a computation: every figure exactly as computed, or nothing at all."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError

from analytics.metrics import MetricRow, MetricRun
from compliance.actions import _RESULT_FIELDS, store_run
from compliance.models import ComputationRun, MetricResult

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _run(*rows: MetricRow) -> MetricRun:
    return MetricRun(
        periods=["2025-26 Q1"], cutoff=date(2025, 8, 15), as_of=datetime(2025, 8, 16, tzinfo=UTC),
        engine="duckdb", rows=list(rows),
    )  # fmt: skip


def _row(metric: str, **values: object) -> MetricRow:
    base: dict[str, object] = dict(
        metric=metric, force="E23000036", body="E23000036", period="2025-26 Q1", breakdown="all",
        breakdown_value="all", met=None, late=None, missed=None, pending=None, numerator=0, denominator=None,
        source="events",
    )  # fmt: skip
    return MetricRow(**{**base, **values})  # type: ignore[arg-type]


def test_every_figure_is_stored_as_computed():
    full = _row(
        "R3.confirmation_5wd", met=3, late=1, missed=0, pending=2, numerator=3, denominator=4, rate=0.75,
        ci95_low=0.3006, ci95_high=0.9544, ci998_low=0.1551, ci998_high=0.9795, national_rate=0.5,
        national_comparison="similar", similar_group="Most similar: urban", similar_rate=0.6,
        similar_comparison="better", trend="improving",
    )  # fmt: skip
    count = _row("R12.complaints", numerator=2_000_000_000, breakdown="sex", breakdown_value="unknown")
    returned = _row(
        "R10.expenses_10wd", body="CPS-SW", numerator=7, denominator=10, source="returns", rate=0.7
    )
    rows = [full, count, returned]
    run = store_run(metric_run=_run(*rows), period="2025-26 Q1", submissions=[1, 2], by=None)
    stored = sorted(run.results.values_list(*_RESULT_FIELDS))
    assert stored == sorted(tuple(getattr(row, name) for name in _RESULT_FIELDS) for row in rows)
    assert run.row_count == 3


def test_a_figure_the_database_refuses_leaves_no_computation_behind():
    rows = [_row("R3.confirmation_5wd", numerator=1, denominator=1), _row("R12.complaints", numerator=-1)]
    with pytest.raises(IntegrityError):
        store_run(metric_run=_run(*rows), period="2025-26 Q1", submissions=[], by=None)
    assert not ComputationRun.objects.exists()
    assert not MetricResult.objects.exists()


def test_every_column_of_a_figure_is_written():
    written = {"id", "run_id", *_RESULT_FIELDS}
    assert {field.column for field in MetricResult._meta.concrete_fields} == written
