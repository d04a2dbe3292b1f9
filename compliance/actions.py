"""Writes: computing the catalogue and storing the results with their provenance."""

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import batched
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import connections, router, transaction

from accounts.audit import record
from accounts.models import AuditEvent, User
from analytics.calendar import FIRST_YEAR as CALENDAR_FIRST_YEAR
from analytics.calendar import LAST_YEAR as CALENDAR_LAST_YEAR
from analytics.metrics import MetricRow, MetricRun, MetricsError, compute, load_catalogue, previous_periods
from analytics.metrics.backends import Backend, DuckDBBackend, SparkBackend
from analytics.metrics.periods import period_start
from compliance.models import ComputationRun, Engine, MetricResult

STANDARD_VERSION = "1"
# Each run stores the quarter asked for and the three before it. It counts three quarters more before those,
# not stored, so that the trend of every stored quarter spans that quarter and the three before it.
TREND_QUARTERS = 4
_COUNTED_QUARTERS = 2 * TREND_QUARTERS - 1
_RESULT_FIELDS = (
    "metric", "force", "body", "period", "breakdown", "breakdown_value", "source", "met", "late", "missed",
    "pending", "numerator", "denominator", "rate", "ci95_low", "ci95_high", "ci998_low", "ci998_high",
    "national_rate", "national_comparison", "similar_group", "similar_rate", "similar_comparison", "trend",
)  # fmt: skip


_INSERT_BATCH = 10_000


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
    begins = period_start(period)
    if cutoff < begins:
        # Nothing could be due yet: every obligation would be pending, and the run would hide the real figures.
        raise MetricsError(
            f"the cut-off {cutoff.isoformat()} is before {period} begins ({begins.isoformat()}); "
            "give a cut-off on or after the quarter's first day"
        )
    periods = _quarters(period, _COUNTED_QUARTERS)
    if period not in periods:
        raise MetricsError(
            f"{period} is before the working-day calendar begins: the calendar covers "
            f"{CALENDAR_FIRST_YEAR} to {CALENDAR_LAST_YEAR} only"
        )
    lake_dir = Path(lake_dir or settings.LAKE_DIR)
    con = duckdb.connect()
    try:
        if not lake_dir.is_dir():
            raise MetricsError(
                f"there is no event store folder {lake_dir} (is it the right folder?); nothing computed"
            )
        submissions = _committed_submissions(lake_dir)
        if not submissions:
            # A run from nothing would become the newest run of its quarters and hide every figure.
            raise MetricsError(
                f"the event store {lake_dir} holds no submissions (is it the right folder?); nothing computed"
            )
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
    metric_run = _stored_quarters(metric_run, _quarters(period, TREND_QUARTERS))
    return store_run(
        metric_run=metric_run, period=period, submissions=submissions, by=by, actor_label=actor_label
    )


def _quarters(period: str, count: int) -> list[str]:
    """`period` and the `count - 1` before it, leaving out quarters before the working-day calendar begins:
    they hold no data the standard accepts, and deadlines there cannot be counted."""
    return [
        quarter
        for quarter in previous_periods(period, count)
        if period_start(quarter).year >= CALENDAR_FIRST_YEAR
    ]


def _stored_quarters(metric_run: MetricRun, periods: list[str]) -> MetricRun:
    """The run without the quarters it counted only for the trends of the ones it stores."""
    kept = set(periods)
    return replace(
        metric_run,
        periods=periods,
        rows=[row for row in metric_run.rows if row.period in kept],
        superseded=[item for item in metric_run.superseded if item[2] in kept],
    )


def _insert_results(run: ComputationRun, rows: Sequence[MetricRow]) -> None:
    """Stores the figures in bulk: PostgreSQL's COPY, or one prepared INSERT run over batches of rows.
    `bulk_create` passes every value through its model field (four million calls for the demo's 170,000
    figures), which took most of a computation; the values here are already plain integers, floats and text."""
    connection = connections[router.db_for_write(MetricResult)]
    quote = connection.ops.quote_name
    table = quote(MetricResult._meta.db_table)
    columns = ", ".join(quote(name) for name in ("run_id", *_RESULT_FIELDS))
    values = ((run.pk, *(getattr(row, name) for name in _RESULT_FIELDS)) for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On the driver's own cursor, so its errors are turned into Django's here.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for record in values:
                    copy.write_row(record)
            return
        placeholders = ", ".join(["%s"] * (1 + len(_RESULT_FIELDS)))
        statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for batch in batched(values, _INSERT_BATCH):
            cursor.executemany(statement, batch)


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
    _insert_results(run, metric_run.rows)
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
