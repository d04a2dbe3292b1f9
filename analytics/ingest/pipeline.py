"""Validate and store one submitted file: the single pipeline behind the web upload, the API and the CLI."""

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest import lake, sources, validate
from analytics.ingest.classify import AgeBands, Identity, classified_sql, derived_tables
from analytics.ingest.errors import RowError
from analytics.ingest.schema import TableSchema
from analytics.ingest.store import PARTITION, PeriodWriters
from analytics.ingest.stream import CheckedRows, repeated_key_hashes

Progress = Callable[[str, float], None]

REPORT_COLUMNS = ("file", "row", "column", "value", "reason")
FIRST_ERRORS = 200
# A refused value is repeated back at most this long, with its length: a report of a file whose cells hold
# pages of text stays small, and every reader of it (the page, the API, a spreadsheet) can take it.
REPORTED_VALUE = 200
_STREAM_BATCH = 250_000
_JOIN_MEMORY = "384MB"


@dataclass
class IngestResult:
    file: str
    table: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    corrected: int = 0
    events_without_crime: int = 0
    error_count: int = 0
    first_errors: list[RowError] = field(default_factory=list)
    report_csv: Path | None = None
    folders: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        return (
            f"{self.file}: accepted {self.accepted}, rejected {self.rejected}, "
            f"unchanged {self.unchanged}, corrected {self.corrected}"
        )


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_connection(work_dir: Path, memory_limit: str = "512MB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to `work_dir` beyond `memory_limit`, so large files never fill memory."""
    work_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{work_dir / 'spill'}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = true")  # progress is measured for the command line's bar
    con.execute("SET enable_progress_bar_print = false")
    validate.register_functions(con)
    return con


def ingest(
    con: duckdb.DuckDBPyConnection,
    *,
    path: Path | None = None,
    records: Sequence[Mapping[str, Any]] | None = None,
    file_name: str,
    schema: TableSchema,
    body: str,
    submission: int,
    lake_dir: Path,
    work_dir: Path,
    code_maps: Mapping[str, Mapping[str, str]] | None = None,
    forces: frozenset[str] | None = None,
    identity: Identity | None = None,
    age_bands: AgeBands | None = None,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    on_step: Callable[[str, int], None] | None = None,
) -> IngestResult:
    """Validates a file (or API records) against `schema` and stores its good rows for `body`.

    One pass over the file validates every row and streams the good ones straight into Parquet, nothing kept
    in between (decision 0056). Raises FileRejected when the whole file is refused; nothing is stored then.
    `forces`: the police force areas `body` covers; a row naming another area is refused (None: any area).
    """
    report = progress or (lambda stage, fraction: None)
    lake_dir = Path(lake_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(validate.macros_sql())
    report("reading", 0.0)
    if records is not None:
        loaded = sources.Loaded(sources.load_records(con, list(records), schema))
    elif path is not None:
        loaded = sources.load(con, Path(path), schema, work_dir, file_name)
    else:
        raise ValueError("give a path or records")
    kind = "records" if path is None else sources.file_format(Path(path).name)
    result = IngestResult(file=file_name, table=schema.name, dry_run=dry_run)
    checked = validate.checked_sql(
        schema,
        loaded.header,
        code_maps or {},
        today=today or date.today(),
        forces=forces,
        typed_timestamps=loaded.typed_timestamps,
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {validate.CHECKED_TABLE} AS {checked}")
    watch = report if progress else None
    # The second database joins the good rows with what is stored and writes them, while the first is
    # still validating the rest of the file: each has its own threads, and neither waits for the other.
    joiner = open_connection(work_dir / "join", memory_limit=_JOIN_MEMORY)
    joiner.execute("SET TimeZone = 'UTC'")
    joiner.execute(validate.macros_sql())
    # Keys are checked in a pass of their own only where accepting a row has an effect before it is stored
    # (victims register people in the identity vault); otherwise the one full pass also collects the key
    # hashes, and in the rare file that repeats a key, its results are discarded and the pass run again.
    keys_first = schema.name == "victims" and identity is not None and not dry_run
    try:
        with sources.reading(kind, Path(path) if path is not None else None, file_name):
            repeated = _NONE
            if keys_first:
                report("checking keys", 0.02)
                with _watching(con, watch, "checking keys", (0.02, 0.2)):
                    repeated = repeated_key_hashes(con, _STREAM_BATCH * 4)
            with lake.body_lock(lake_dir, schema.name, body):
                attempt = _Attempt(
                    con,
                    joiner,
                    schema,
                    kind,
                    body,
                    submission,
                    lake_dir,
                    result,
                    watch,
                    identity,
                    age_bands,
                    dry_run,
                )
                rows = attempt.run(repeated, collect_hashes=not keys_first)
                if not keys_first and len(repeated := rows.repeated_hashes()):
                    lake.discard_uncommitted(lake_dir, submission)
                    rows = attempt.run(repeated, collect_hashes=False)
                result.rows, result.rejected = rows.rows, rows.refused
                report("reporting", 0.9)
                _collect_errors(con, schema, result, work_dir, rows)
                if dry_run:
                    report("done", 1.0)
                    return result
                if on_step:
                    on_step("staged", 0)
                report("publishing", 0.95)
                result.folders = lake.publish(
                    lake_dir,
                    table=schema.name,
                    body=body,
                    submission=submission,
                    detail={"file": file_name, "standard_version": schema.version, "rows": result.rows},
                    on_step=on_step,
                )
    finally:
        joiner.close()
    report("done", 1.0)
    return result


@dataclass
class _Attempt:
    """One validate-and-store pass over the file, run again (knowing its repeated keys) if it repeats one."""

    con: duckdb.DuckDBPyConnection
    joiner: duckdb.DuckDBPyConnection
    schema: TableSchema
    kind: str
    body: str
    submission: int
    lake_dir: Path
    result: IngestResult
    progress: Progress | None
    identity: Identity | None
    age_bands: AgeBands | None
    dry_run: bool

    def run(self, repeated: np.ndarray, *, collect_hashes: bool) -> CheckedRows:
        con, schema, result = self.con, self.schema, self.result
        result.accepted = result.corrected = result.unchanged = result.events_without_crime = 0
        con.register("ingest_repeated", pa.table({"h": pa.array(repeated, pa.uint64())}))
        con.execute(validate.duplicate_keys_sql(schema, any_repeated=bool(len(repeated))))
        con.execute(f"CREATE OR REPLACE TEMP VIEW ingest_valid AS {validate.valid_sql(schema)}")
        joins = derived_tables(
            con, self.joiner, schema, self.body, self.lake_dir, self.identity, self.age_bands, self.dry_run
        )
        rows = CheckedRows(
            con,
            number_rows=sources.numbered_in_order(self.kind),
            key=schema.key,
            duplicate_keys=_duplicate_keys(con, schema),
            batch_size=_STREAM_BATCH,
            collect_hashes=collect_hashes,
        )
        has_prior = bool(lake.committed_files(self.lake_dir, schema.name, self.body))
        staged = lake.staging_dir(self.lake_dir, self.submission) / schema.name / f"body={self.body}"
        writers = (
            None if self.dry_run else PeriodWriters(staged, self.submission, _dictionary_columns(schema))
        )
        classified = classified_sql(schema, joins, self.lake_dir, self.body, has_prior)
        try:
            if self.progress:
                self.progress(_stage(writers), 0.2)
            _store_pass(con, self.joiner, schema, classified, rows, result, writers, self.progress)
            if writers is not None:
                writers.close()
        except BaseException:
            if writers is not None:
                writers.abort()
            lake.discard_uncommitted(self.lake_dir, self.submission)
            raise
        return rows


_NONE = np.array([], dtype=np.uint64)


def _stage(writers: PeriodWriters | None) -> str:
    return "validating" if writers is None else "validating and storing"


def _duplicate_keys(
    con: duckdb.DuckDBPyConnection, schema: TableSchema
) -> dict[tuple[str, ...], tuple[int, str]]:
    names = ", ".join(sources.quote(name) for name in schema.key)
    found = con.execute(f"SELECT {names}, _key_hash, key_text FROM ingest_duplicate_keys").fetchall()
    width = len(schema.key)
    return {tuple(row[:width]): (int(row[width]), str(row[width + 1])) for row in found}


def _dictionary_columns(schema: TableSchema) -> list[str]:
    """Stored columns holding codes or flags (few distinct values): worth a Parquet dictionary."""
    coded = {column.name for column in schema.columns if column.type in {"code", "flag"}}
    return [name for name, _ in lake.STORED_COLUMNS[schema.name] if name in coded or name == "age_band"]


def _store_pass(
    con: duckdb.DuckDBPyConnection,
    joiner: duckdb.DuckDBPyConnection,
    schema: TableSchema,
    classified: str,
    rows: CheckedRows,
    result: IngestResult,
    writers: PeriodWriters | None,
    progress: Progress | None,
) -> None:
    """The one full pass: `rows` streams the rows out of `con`, each marked good or not; `joiner` keeps the
    good ones, classifies them against the stored records, counts them, and hands the new and corrected ones
    to `writers`. Unchanged rows are counted and not stored again.
    """
    stored = [name for name, _ in (*lake.STORED_COLUMNS[schema.name], *lake.META_COLUMNS)] + [PARTITION]
    joiner.register("ingest_good", rows.reader())
    try:
        with _watching(con, progress, _stage(writers), (0.2, 0.9)):
            for batch in joiner.sql(classified).to_arrow_reader(_STREAM_BATCH):
                status = batch.column("status")
                counts = {str(c["values"]): int(c["counts"]) for c in pc.value_counts(status).to_pylist()}
                result.accepted += counts.get("new", 0)
                result.corrected += counts.get("corrected", 0)
                result.unchanged += counts.get("unchanged", 0)
                fresh = pc.not_equal(status, "unchanged")
                if schema.name == "events":
                    without = pc.and_(fresh, pc.invert(batch.column("crime_known")))
                    result.events_without_crime += pc.sum(without).as_py() or 0
                if writers is not None:
                    writers.write((batch.filter(fresh) if counts.get("unchanged") else batch).select(stored))
    except Exception:
        if rows.error is not None:  # the file's own error (a malformed CSV), not the join's account of it
            raise rows.error from None
        raise
    finally:
        joiner.unregister("ingest_good")


@contextmanager
def _watching(
    con: duckdb.DuckDBPyConnection, progress: Progress | None, stage: str, span: tuple[float, float]
) -> Iterator[None]:
    """While the block runs a long query on `con`, reports DuckDB's own progress through it (for the CLI bar)."""
    if progress is None:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.25):
            percent = con.query_progress()
            if percent >= 0:
                progress(stage, span[0] + (span[1] - span[0]) * min(percent, 100.0) / 100)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def shortened_sql(expression: str) -> str:
    """The text, or its first REPORTED_VALUE characters and how long it was: `xxx… (500,000 characters)`."""
    return (
        f"CASE WHEN length({expression}) > {REPORTED_VALUE} THEN left({expression}, {REPORTED_VALUE}) "
        f"|| '… (' || format('{{:,}}', length({expression})) || ' characters)' ELSE {expression} END"
    )


def _collect_errors(
    con: duckdb.DuckDBPyConnection,
    schema: TableSchema,
    result: IngestResult,
    work_dir: Path,
    rows: CheckedRows,
) -> None:
    con.register(validate.REJECTED_TABLE, rows.problem_table())
    con.register("ingest_duplicates", rows.duplicate_table())
    errors = validate.errors_sql(schema, result.file)
    con.execute(
        f"CREATE OR REPLACE TABLE ingest_errors AS SELECT * REPLACE ({shortened_sql('value')} AS value) "
        f"FROM ({errors})"
    )
    con.unregister(validate.REJECTED_TABLE)
    con.unregister("ingest_duplicates")
    result.error_count = _scalar(con, "SELECT count(*) FROM ingest_errors")
    if not result.error_count:
        return
    first = con.execute(
        f'SELECT row, "column", value, reason FROM ingest_errors LIMIT {FIRST_ERRORS}'
    ).fetchall()
    result.first_errors = [
        RowError(int(r), str(c), "" if v is None else str(v), str(m)) for r, c, v, m in first
    ]
    result.report_csv = work_dir / "rejected-rows.csv"
    escaped = ", ".join(
        validate.escape_formula_sql(f"CAST({sources.quote(name)} AS VARCHAR)") + f" AS {sources.quote(name)}"
        for name in REPORT_COLUMNS
    )
    con.execute(
        f"COPY (SELECT {escaped} FROM ingest_errors) TO {sources.literal(str(result.report_csv))} "
        "(FORMAT csv, HEADER true)"
    )
