"""The compliance engine: every metric of the catalogue computed from the journey, on DuckDB or Spark.

Free of Django. Give it a connection on which the event store views exist (`crimes`, `events`, `victims`,
`returns`, see docs/architecture.md):

    run = compute(DuckDBBackend(con), periods=["2025-26 Q1"], cutoff=date(2025, 8, 15))
"""

from analytics.metrics.backends import DuckDBBackend, SparkBackend
from analytics.metrics.catalogue import CatalogueError, Metric, load_catalogue, load_forces
from analytics.metrics.periods import PeriodError, period_of, previous_periods
from analytics.metrics.pipeline import (
    OUTPUT_COLUMNS,
    MetricInfo,
    MetricRow,
    MetricRun,
    MetricsError,
    compute,
    compute_counts,
    metric_infos,
)
from analytics.metrics.statistics import wilson_interval

__all__ = [
    "OUTPUT_COLUMNS",
    "CatalogueError",
    "DuckDBBackend",
    "Metric",
    "MetricInfo",
    "MetricRow",
    "MetricRun",
    "MetricsError",
    "PeriodError",
    "SparkBackend",
    "compute",
    "compute_counts",
    "load_catalogue",
    "load_forces",
    "metric_infos",
    "period_of",
    "previous_periods",
    "wilson_interval",
]
