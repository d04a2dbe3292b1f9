"""One local Spark session for every analytical job (metrics, linkage, reading the event store).

Spark keeps one session per process and `getOrCreate` hands back whichever was started first, so every
caller asks for it here: the session then always has what any of them needs (this interpreter for the
Python workers, Splink's string-similarity functions, UTC instants, ANSI SQL). On a cluster, build the
session as the cluster requires and pass it in instead (docs/spark.md).
"""

import os
import sys
import tempfile
from functools import cache
from typing import Any


@cache
def _warehouse() -> str:
    """A folder of its own for Spark's table warehouse, removed when the process ends. Spark makes one at
    start-up, `spark-warehouse/` in whichever folder the command was run from unless told otherwise; nothing
    here stores a table in it."""
    folder = tempfile.TemporaryDirectory(prefix="jj-spark-warehouse-")
    _kept.append(folder)  # the folder lives as long as the process, and its finaliser removes it at exit
    return folder.name


_kept: list[tempfile.TemporaryDirectory[str]] = []


def local_session(*, cores: int | None = None, app_name: str = "justice-journey") -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    cores = cores or min(os.cpu_count() or 1, 4)
    # The Python workers must run this interpreter, whatever `python3` is on the PATH: PySpark reads the
    # environment, not the session's configuration, when it starts its workers.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.warehouse.dir", _warehouse())
        .getOrCreate()
    )
    # Runtime settings, applied whether the session is new or was already running.
    session.conf.set("spark.sql.session.timeZone", "UTC")  # Europe/London dates are computed explicitly
    session.conf.set("spark.sql.ansi.enabled", "true")
    session.conf.set("spark.sql.shuffle.partitions", str(cores))
    session.sparkContext.setLogLevel("ERROR")
    return session
