"""The event store is plain Parquet that Spark reads, partitions and all."""

import os

import pytest

from analytics.ingest import committed_files
from tests.factories.journeys import crime, write_csv

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def started_in(tmp_path_factory):
    """The folder the session was started from, as a command is run from the user's folder."""
    return tmp_path_factory.mktemp("started-in")


@pytest.fixture(scope="module")
def spark(started_in):
    pytest.importorskip("pyspark.sql")
    from analytics.metrics.spark import local_session

    before = os.getcwd()
    os.chdir(started_in)
    try:
        session = local_session(cores=1, app_name="ingest-test")
    finally:
        os.chdir(before)
    yield session
    session.stop()


def test_spark_leaves_nothing_in_the_folder_it_was_started_from(spark, started_in):
    spark.sql("SELECT 1").createOrReplaceTempView("one")
    assert not spark.catalog.tableExists("none")
    assert list(started_in.iterdir()) == []


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
