"""Writes: computing the catalogue and storing the results with their provenance."""

import tempfile
from datetime import date
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import transaction

from accounts.audit import record
from accounts.models import AuditEvent, User
from analytics.metrics import MetricRun, MetricsError, compute, load_catalogue, previous_periods
from analytics.metrics.backends import Backend, DuckDBBackend, SparkBackend
from compliance.models import ComputationRun, Engine, MetricResult

STANDARD_VERSION = "1"
# Each run computes the quarter asked for and the three before it, so every figure has a trend.
TREND_QUARTERS = 4
_RESULT_FIELDS = (
    "metric", "force", "body", "period", "breakdown", "breakdown_value", "source", "met", "late", "missed",
    "pending", "numerator", "denominator", "rate", "ci95_low", "ci95_high", "ci998_low", "ci998_high",
    "national_rate", "national_comparison", "similar_group", "similar_rate", "similar_comparison", "trend",
)  # fmt: skip


def _committed_submissions(lake_dir: Path) -> list[int]:
    from analytics.ingest.lake import committed_submissions

    return sorted(committed_submissions(lake_dir))


def _register_views(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    from analytics.ingest.views import register_current_views

    register_current_views(con, lake_dir)


def _run_engine(
    con: duckdb.DuckDBPyConnection,
    *,
    engine: str,
    periods: list[str],
    cutoff: date,
    similar_areas: Path | None,
) -> MetricRun:
    catalogue = load_catalogue(STANDARD_VERSION)
    if engine == Engine.DUCKDB:
        return compute(
            DuckDBBackend(con),
            periods=periods,
            cutoff=cutoff,
            catalogue=catalogue,
            similar_areas=similar_areas,
        )
    from analytics.metrics.spark import export_views, local_session, register_parquet_views

    with tempfile.TemporaryDirectory(prefix="jj-metrics-") as folder:
        export_views(con, Path(folder))
        spark = local_session()
        register_parquet_views(spark, folder)
        backend: Backend = SparkBackend(spark)
        return compute(
            backend, periods=periods, cutoff=cutoff, catalogue=catalogue, similar_areas=similar_areas
        )


def compute_compliance(
    *,
    period: str,
    cutoff: date,
    by: User | None,
    actor_label: str = "",
    engine: str = Engine.DUCKDB,
    lake_dir: Path | None = None,
    similar_areas: Path | None = None,
) -> ComputationRun:
    """Computes every metric for `period` (and the quarters before it, for trends) from the committed
    submissions in the event store, and stores the figures with what they were computed from."""
    if engine not in Engine.values:
        raise MetricsError(f"unknown engine {engine!r}; choose duckdb or spark")
    periods = previous_periods(period, TREND_QUARTERS)
    lake_dir = Path(lake_dir or settings.LAKE_DIR)
    con = duckdb.connect()
    try:
        submissions = _committed_submissions(lake_dir)
        _register_views(con, lake_dir)
        metric_run = _run_engine(
            con, engine=engine, periods=periods, cutoff=cutoff, similar_areas=similar_areas
        )
    except MetricsError as error:
        record(
            by=by, action="compliance.compute", target=period, outcome=AuditEvent.Outcome.FAILED,
            detail={"cutoff": cutoff.isoformat(), "engine": engine, "error": str(error)}, actor_label=actor_label,
        )  # fmt: skip
        raise
    finally:
        con.close()
    return store_run(
        metric_run=metric_run, period=period, submissions=submissions, by=by, actor_label=actor_label
    )


@transaction.atomic
def store_run(
    *, metric_run: MetricRun, period: str, submissions: list[int], by: User | None, actor_label: str = ""
) -> ComputationRun:
    run = ComputationRun.objects.create(
        period=period,
        periods=metric_run.periods,
        cutoff=metric_run.cutoff,
        as_of=metric_run.as_of,
        standard_version=STANDARD_VERSION,
        engine=metric_run.engine,
        submissions=submissions,
        requested_by_label=(by.get_username() if by is not None else "") or actor_label or "system",
        row_count=len(metric_run.rows),
        superseded=[list(item) for item in metric_run.superseded],
    )
    MetricResult.objects.bulk_create(
        (
            MetricResult(run=run, **{name: getattr(row, name) for name in _RESULT_FIELDS})
            for row in metric_run.rows
        ),
        batch_size=2000,
    )
    record(
        by=by,
        action="compliance.compute",
        target=f"run {run.pk}",
        detail={
            "period": period,
            "periods": metric_run.periods,
            "cutoff": metric_run.cutoff.isoformat(),
            "engine": metric_run.engine,
            "submissions": len(submissions),
            "figures": run.row_count,
            "returns_replaced_figures": len(metric_run.superseded),
        },
        actor_label=actor_label,
    )
    return run
