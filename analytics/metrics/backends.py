"""Where the metric SQL runs: DuckDB or Spark. The SQL is generated once; the few places the two dialects
differ are the small functions of `Dialect`."""

import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from analytics.metrics.literals import date_literal, quote

# Column types for the small reference tables the engine loads (calendar, forces, rules).
Column = tuple[str, str]  # (name, "text" | "int" | "date" | "bool")


class Dialect(Protocol):
    name: str

    def london_date(self, instant: str) -> str: ...

    def add_hours(self, instant: str, hours: str) -> str: ...

    def instant(self, moment: datetime) -> str: ...


class Backend(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    def load_table(self, name: str, columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> None: ...

    def create(self, name: str, sql: str, *, keep: bool = True) -> None:
        """Makes `name` the result of `sql`: computed and kept when `keep`, else a view read once later."""
        ...

    def create_numbered(self, name: str, sql: str, column: str) -> None:
        """Makes `name` the result of `sql`, computed and kept, with a different whole number for each row
        in `column` (not in any order, and not the same from one run to the next)."""
        ...

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...

    def has_relation(self, name: str) -> bool: ...

    def columns(self, relation: str) -> list[str]: ...


def _arrow_table(columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pyarrow as pa

    arrow_types = {"text": pa.string(), "int": pa.int32(), "date": pa.date32(), "bool": pa.bool_()}
    names = [column for column, _ in columns]
    arrays = [
        pa.array([row[i] for row in rows], type=arrow_types[kind]) for i, (_, kind) in enumerate(columns)
    ]
    return pa.Table.from_arrays(arrays, names=names)


_SQL_TYPES = {"text": "VARCHAR", "int": "INTEGER", "date": "DATE", "bool": "BOOLEAN"}


def _literal(value: Any, kind: str) -> str:
    if value is None:
        return "NULL"
    if kind == "text":
        return quote(str(value))
    if kind == "int":
        return str(int(value))
    if kind == "date":
        return date_literal(value)
    return "TRUE" if value else "FALSE"


class DuckDBDialect:
    name = "duckdb"

    def london_date(self, instant: str) -> str:
        return f"CAST(timezone('Europe/London', {instant}) AS DATE)"

    def add_hours(self, instant: str, hours: str) -> str:
        return f"({instant} + to_hours(CAST({hours} AS BIGINT)))"

    def instant(self, moment: datetime) -> str:
        return f"CAST('{moment.isoformat()}' AS TIMESTAMPTZ)"


class SparkDialect:
    name = "spark"

    def london_date(self, instant: str) -> str:
        return f"CAST(from_utc_timestamp({instant}, 'Europe/London') AS DATE)"

    def add_hours(self, instant: str, hours: str) -> str:
        return f"({instant} + make_dt_interval(0, {hours}, 0, 0))"

    def instant(self, moment: datetime) -> str:
        return f"CAST('{moment.isoformat()}' AS TIMESTAMP)"


class DuckDBBackend:
    """Runs on a DuckDB connection that already has the `crimes`, `events`, `victims` and `returns` views.

    The connection is set not to keep rows in insertion order: no step depends on the order of rows (the
    figures are sorted when fetched), and keeping it makes every kept step dearer to store. Nor does it draw
    DuckDB's progress bar, which would start again for every step, in the command's output and the task's log.
    """

    dialect = DuckDBDialect()

    def __init__(self, con: Any) -> None:
        self.con = con
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")

    def load_table(self, name: str, columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> None:
        # As SQL literals: the tables are small, and registering an Arrow table costs more than the whole
        # load (most of a second on first use).
        definition = ", ".join(f"{column} {_SQL_TYPES[kind]}" for column, kind in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({definition})")
        if rows:
            values = ", ".join(
                "(" + ", ".join(_literal(v, kind) for v, (_, kind) in zip(row, columns, strict=True)) + ")"
                for row in rows
            )
            self.con.execute(f"INSERT INTO {name} VALUES {values}")

    def create(self, name: str, sql: str, *, keep: bool = True) -> None:
        kind = "TABLE" if keep else "VIEW"
        self.con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {sql}")

    def create_numbered(self, name: str, sql: str, column: str) -> None:
        # The stored table's own row ids: numbering in the query would be a window over every row.
        self.create(f"{name}_rows", sql)
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT *, rowid AS {column} FROM {name}_rows"
        )

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def has_relation(self, name: str) -> bool:
        found = self.con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = ? UNION ALL "
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
            [name, name],
        ).fetchall()
        return sum(row[0] for row in found) > 0

    def columns(self, relation: str) -> list[str]:
        return [row[0] for row in self.con.execute(f"DESCRIBE {relation}").fetchall()]


class SparkBackend:
    """Runs on a SparkSession whose session time zone is UTC and which has the same four views."""

    dialect = SparkDialect()

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.scratch = tempfile.TemporaryDirectory(prefix="jj-spark-")

    def load_table(self, name: str, columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> None:
        # Through a Parquet file rather than Python rows, so no Python worker process is ever needed.
        import pyarrow.parquet as pq

        path = Path(self.scratch.name) / f"{name}.parquet"
        pq.write_table(_arrow_table(columns, rows), path)
        self.spark.read.parquet(str(path)).localCheckpoint(eager=True).createOrReplaceTempView(name)

    def create(self, name: str, sql: str, *, keep: bool = True) -> None:
        # A kept step is computed once and its lineage cut, so later steps plan against a small leaf rather
        # than re-analysing every step before them.
        frame = self.spark.sql(sql)
        (frame.localCheckpoint(eager=True) if keep else frame).createOrReplaceTempView(name)

    def create_numbered(self, name: str, sql: str, column: str) -> None:
        self.create(name, f"SELECT *, monotonically_increasing_id() AS {column} FROM ({sql}) x")

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def has_relation(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))

    def columns(self, relation: str) -> list[str]:
        return list(self.spark.table(relation).columns)
