"""Streaming writers: each body's tables, appended chunk by chunk, as CSV or Parquet."""

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TABLE_COLUMNS = {
    "victims": (
        "person_ref",
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
        "sex",
        "ethnicity",
        "disability",
        "email",
        "phone",
    ),
    "crimes": (
        "crime_ref",
        "force",
        "person_ref",
        "offence_group",
        "reported_at",
        "recorded_at",
        "enhanced_rights",
        "enhanced_reason",
        "domestic_abuse",
        "outcome_type",
        "outcome_date",
    ),
    "events": ("event_id", "force", "crime_ref", "person_ref", "jjn", "event_type", "occurred_at", "detail"),
    "returns": ("period", "force", "metric", "numerator", "denominator"),
}


def _schema(table: str) -> pa.Schema:
    integers = {"numerator", "denominator"}
    return pa.schema([(c, pa.int64() if c in integers else pa.string()) for c in TABLE_COLUMNS[table]])


class Output:
    """Appends tables to files under a folder; nothing is kept in memory between writes but open handles."""

    def __init__(self, root: Path, fmt: str) -> None:
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"format must be csv or parquet, not {fmt!r}")
        self.root = root
        self.fmt = fmt
        self._started: set[Path] = set()
        self._parquet: dict[Path, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def path(self, body: str, name: str) -> Path:
        return self.root / "bodies" / body / f"{name}.{self.fmt}"

    def write(self, body: str, table: str, name: str, rows: pa.Table) -> None:
        if not rows.num_rows:
            return
        for column in TABLE_COLUMNS[table]:
            if column not in rows.column_names:
                rows = rows.append_column(column, pa.nulls(rows.num_rows, pa.string()))
        rows = rows.select(list(TABLE_COLUMNS[table])).cast(_schema(table))
        path = self.path(body, name)
        self.rows[table] = self.rows.get(table, 0) + rows.num_rows
        if self.fmt == "csv":
            write_csv(path, rows, header=path not in self._started)
            self._started.add(path)
            return
        writer = self._parquet.get(path)
        if writer is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(path, rows.schema, compression="zstd")
            self._parquet[path] = writer
        writer.write_table(rows)

    def close(self) -> None:
        for writer in self._parquet.values():
            writer.close()
        self._parquet.clear()


def write_csv(path: Path, rows: pa.Table, *, header: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab" if not header else "wb") as handle:
        pacsv.write_csv(rows, handle, pacsv.WriteOptions(include_header=header, quoting_style="none"))
