"""The same SQL on Spark gives exactly the DuckDB figures, on a realistic data set read from Parquet."""

from datetime import date

import duckdb
import pytest

from analytics.metrics import DuckDBBackend, SparkBackend, compute_counts
from tests.factories.compliance_realistic import realistic_store

pytestmark = [pytest.mark.spark, pytest.mark.slow]
PERIODS = ["2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3"]


def test_duckdb_and_spark_give_identical_figures(tmp_path, spark):
    from analytics.metrics.spark import register_parquet_views

    store = realistic_store()
    duck = compute_counts(
        DuckDBBackend(store.register(duckdb.connect())), periods=PERIODS, cutoff=date(2025, 11, 1)
    )
    store.write_parquet(tmp_path)
    register_parquet_views(spark, tmp_path)
    sparked = compute_counts(SparkBackend(spark), periods=PERIODS, cutoff=date(2025, 11, 1))
    assert len(duck) > 1000
    assert {row.metric for row in duck} >= {
        "R2.recorded_24h",
        "R6.vrr_overturned",
        "R7.vps_read",
        "DQ.unknown_crime",
    }
    assert sparked == duck
