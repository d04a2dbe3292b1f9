"""The same metric SQL on Spark: a local session, and the event store views as Parquet that Spark reads.

The current version of each record is resolved once by DuckDB (`analytics.ingest.views`) and written as
one Parquet file per view; Spark then runs exactly the SQL DuckDB runs. On a cluster, point
`register_parquet_views` at a shared folder (see docs/spark.md).
"""

from pathlib import Path
from typing import Any

from analytics.metrics.pipeline import CONTRACT_VIEWS


def local_session(*, cores: int = 2, app_name: str = "justice-journey-metrics") -> Any:
    """The shared local session (`analytics.spark.local_session`)."""
    from analytics.spark import local_session as shared_session

    return shared_session(cores=cores, app_name=app_name)


def export_views(con: Any, folder: Path) -> dict[str, Path]:
    """Writes each contract view of a DuckDB connection to `folder/<view>.parquet`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for view in CONTRACT_VIEWS:
        paths[view] = folder / f"{view}.parquet"
        con.execute(f"COPY (SELECT * FROM {view}) TO '{paths[view]}' (FORMAT parquet)")
    return paths


def register_parquet_views(spark: Any, folder: Path | str) -> None:
    """Creates the contract views on a Spark session from `<folder>/<view>.parquet` (files or directories)."""
    for view in CONTRACT_VIEWS:
        spark.read.parquet(f"{str(folder).rstrip('/')}/{view}.parquet").createOrReplaceTempView(view)
