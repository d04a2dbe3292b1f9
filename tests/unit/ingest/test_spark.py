"""The event store is plain Parquet that Spark reads, partitions and all."""

import tempfile
from pathlib import Path

import pytest

from analytics.ingest import committed_files
from tests.factories.journeys import crime, write_csv

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_spark_keeps_its_warehouse_out_of_the_folder_it_was_started_from(spark):
    # Spark makes the folder when its catalogue is first used; by default `spark-warehouse/` in the working folder.
    assert not spark.catalog.tableExists("none")
    warehouse = Path(spark.conf.get("spark.sql.warehouse.dir").removeprefix("file:"))
    assert warehouse.is_dir() and warehouse.is_relative_to(tempfile.gettempdir())
    assert not warehouse.is_relative_to(Path.cwd())


def test_spark_reads_committed_submissions(store, tmp_path, spark):
    rows = [crime(1, reported_at="2025-07-01T12:00"), crime(2, recorded_at="2025-10-02T09:00")]
    store.send(write_csv(tmp_path / "crimes.csv", rows))
    files = committed_files(store.lake, "crimes")
    frame = spark.read.option("basePath", str(store.lake / "crimes")).parquet(*files)
    assert sorted(frame.columns)[:3] == ["age_band", "body", "crime_ref"]
    assert dict(frame.dtypes)["reported_at"] == "timestamp"
    frame.createOrReplaceTempView("crimes_versions")
    found = {
        row["crime_ref"]: (row["period"], row["reported"])
        for row in spark.sql(
            "SELECT crime_ref, period, date_format(reported_at, 'yyyy-MM-dd HH:mm') AS reported FROM crimes_versions"
        ).collect()
    }
    assert found["C1"][0] == "2025-26Q1" and found["C2"][0] == "2025-26Q3"  # by the date recorded
    # The session runs in UTC: 12:00 in British Summer Time is the instant 11:00 UTC.
    assert found["C1"][1] == "2025-07-01 11:00"
