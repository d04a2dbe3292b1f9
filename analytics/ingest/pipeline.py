"""Validate and store one submitted file: the single pipeline behind the web upload, the API and the CLI."""

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from analytics.ingest import lake, sources, validate
from analytics.ingest.errors import RowError
from analytics.ingest.schema import PERSONAL_COLUMNS, TableSchema
from analytics.ingest.views import current_sql

# identity(records) -> {person_ref: jjn}; records carry person_ref, jjn and the personal fields.
Identity = Callable[[list[dict[str, Any]]], Mapping[str, str]]
# age_bands([(body, person_ref, date)]) -> {(body, person_ref, date): band}
AgeBands = Callable[[list[tuple[str, str, date]]], Mapping[tuple[str, str, date], str]]
Progress = Callable[[str, float], None]

REPORT_COLUMNS = ("file", "row", "column", "value", "reason")
FIRST_ERRORS = 200
# A dictionary only for columns with up to 1,000 distinct values in a row group (codes, flags): building one
# for references and ids, to give it up when it grows too large, made the write half as fast again.
PARQUET_OPTIONS = "FORMAT parquet, DICTIONARY_SIZE_LIMIT 1000"
_BATCH = 20_000


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
    identity: Identity | None = None,
    age_bands: AgeBands | None = None,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    on_step: Callable[[str, int], None] | None = None,
) -> IngestResult:
    """Validates a file (or API records) against `schema` and stores its good rows for `body`.

    Raises FileRejected when the whole file is refused; nothing is stored then.
    """
    report = progress or (lambda stage, fraction: None)
    lake_dir = Path(lake_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(validate.macros_sql())
    report("reading", 0.0)
    if records is not None:
        header = sources.load_records(con, list(records), schema)
    elif path is not None:
        header = sources.load(con, Path(path), schema, work_dir)
    else:
        raise ValueError("give a path or records")
    result = IngestResult(file=file_name, table=schema.name, dry_run=dry_run)

    report("validating", 0.1)
    with sources.reading("records" if path is None else sources.file_format(Path(path).name)):
        _tracked(
            con,
            validate.checked_sql(schema, header, code_maps or {}, today=today or date.today()),
            report if progress else None,
            "validating",
            (0.05, 0.5),
        )
    con.execute(validate.duplicates_sql(schema))
    result.rows = _scalar(con, f"SELECT count(*) FROM {validate.CHECKED_TABLE}")
    _collect_errors(con, schema, result, work_dir)

    report("comparing", 0.5)
    con.execute(f"CREATE OR REPLACE TEMP VIEW ingest_valid AS {validate.valid_sql(schema)}")
    joins = _derived_tables(con, schema, body, lake_dir, identity, age_bands, dry_run)
    with lake.body_lock(lake_dir, schema.name, body):
        has_prior = bool(lake.committed_files(lake_dir, schema.name, body))
        # Compared with the stored records once: the counts and every period's COPY read the result.
        kind = "TABLE" if has_prior else "VIEW"
        con.execute(
            f"CREATE OR REPLACE TEMP {kind} ingest_classified AS "
            f"{_classified_sql(schema, joins, lake_dir, body, has_prior)}"
        )
        without_crime = "status <> 'unchanged' AND NOT crime_known" if schema.name == "events" else "false"
        counts = con.execute(
            "SELECT count(*) FILTER (status = 'new'), count(*) FILTER (status = 'corrected'), "
            f"count(*) FILTER (status = 'unchanged'), count(*) FILTER ({without_crime}) FROM ingest_classified"
        ).fetchone() or (0, 0, 0, 0)
        result.accepted, result.corrected, result.unchanged, result.events_without_crime = map(int, counts)
        if dry_run:
            report("done", 1.0)
            return result
        report("storing", 0.6)
        staged = lake.staging_dir(lake_dir, submission) / schema.name / f"body={body}"
        staged.mkdir(parents=True, exist_ok=True)
        stored = ", ".join(name for name, _ in (*lake.STORED_COLUMNS[schema.name], *lake.META_COLUMNS))
        periods = _partitions(con, schema)
        # One plain COPY per period, selected by a range of instants: several times faster than a
        # partitioned COPY or a filter on a computed label.
        for number, (period, condition) in enumerate(periods, start=1):
            target = staged / f"period={period}" / f"submission={submission}"
            target.mkdir(parents=True, exist_ok=True)
            done = (number - 1) / len(periods)
            _tracked(
                con,
                f"COPY (SELECT {stored} FROM ingest_classified WHERE status <> 'unchanged' AND {condition}) "
                f"TO {sources.literal(str(target / 'part-0.parquet'))} ({PARQUET_OPTIONS})",
                report if progress else None,
                f"storing {period}",
                (0.6 + 0.35 * done, 0.6 + 0.35 * number / len(periods)),
            )
            report("storing", 0.6 + 0.35 * number / len(periods))
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
    report("done", 1.0)
    return result


def _tracked(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    progress: Progress | None,
    stage: str,
    span: tuple[float, float],
) -> None:
    """Runs one long statement; with `progress`, reports DuckDB's own progress through it (for the CLI bar)."""
    if progress is None:
        con.execute(sql)
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
        con.execute(sql)
    finally:
        finished.set()
        watcher.join()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _collect_errors(
    con: duckdb.DuckDBPyConnection, schema: TableSchema, result: IngestResult, work_dir: Path
) -> None:
    errors = validate.errors_sql(schema, result.file)
    con.execute(f"CREATE OR REPLACE TABLE ingest_errors AS {errors}")
    result.error_count = _scalar(con, "SELECT count(*) FROM ingest_errors")
    result.rejected = _scalar(con, "SELECT count(DISTINCT row) FROM ingest_errors")
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


def _derived_tables(
    con: duckdb.DuckDBPyConnection,
    schema: TableSchema,
    body: str,
    lake_dir: Path,
    identity: Identity | None,
    age_bands: AgeBands | None,
    dry_run: bool,
) -> dict[str, str]:
    """Values from outside the file: JJNs from the vault, age bands, whether an event's crime is known.

    Returns, per stored column, the expression that gives it (over `v`, the valid rows, and joined tables).
    """
    extra: dict[str, str] = {}
    if schema.name == "victims":
        personal = ["given_name", "family_name", "date_of_birth", "postcode", "email", "phone"]
        jjns: dict[str, str] = {}
        if identity is not None and not dry_run:
            fields = ", ".join(sources.quote(name) for name in ["person_ref", "jjn", *personal])
            cursor = con.execute(f"SELECT {fields} FROM ingest_valid ORDER BY _row")
            while batch := cursor.fetchmany(_BATCH):
                people = [dict(zip(["person_ref", "jjn", *personal], row, strict=True)) for row in batch]
                jjns.update(identity(people))
        con.register(
            "ingest_jjns",
            pa.table(
                {
                    "person_ref": pa.array(list(jjns), pa.string()),
                    "jjn": pa.array(list(jjns.values()), pa.string()),
                }
            ),
        )
        extra["jjn"] = "coalesce(j.jjn, v.jjn)"
        extra["_join"] = "LEFT JOIN ingest_jjns j ON j.person_ref = v.person_ref"
    if schema.name == "crimes":
        reported_on = validate.local_date_column("reported_at")
        bands: dict[tuple[str, str, date], str] = {}
        if age_bands is not None and not dry_run:
            cursor = con.execute(f"SELECT DISTINCT person_ref, {reported_on} FROM ingest_valid")
            while batch := cursor.fetchmany(_BATCH):
                bands.update(age_bands([(body, person_ref, day) for person_ref, day in batch]))
        con.register(
            "ingest_bands",
            pa.table(
                {
                    "person_ref": pa.array([key[1] for key in bands], pa.string()),
                    "day": pa.array([key[2] for key in bands], pa.date32()),
                    "band": pa.array(list(bands.values()), pa.string()),
                }
            ),
        )
        extra["age_band"] = "b.band"
        extra["_join"] = (
            f"LEFT JOIN ingest_bands b ON b.person_ref = v.person_ref AND b.day = v.{reported_on}"
        )
    if schema.name == "events":
        known = lake.committed_files(lake_dir, "crimes")
        if known:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE ingest_known_crimes AS SELECT DISTINCT force, crime_ref, person_ref "
                f"FROM ({current_sql(lake_dir, 'crimes')})"
            )
            extra["crime_known"] = "k.force IS NOT NULL"
            extra["_join"] = (
                "LEFT JOIN ingest_known_crimes k ON k.force = v.force AND k.crime_ref = v.crime_ref "
                "AND k.person_ref = v.person_ref"
            )
        else:
            extra["crime_known"] = "false"
    return extra


def _value_sql(schema: TableSchema, name: str, extra: Mapping[str, str]) -> str:
    if name in extra:
        return extra[name]
    if name == "dob_recorded":
        return "v.date_of_birth IS NOT NULL"
    if name.endswith("_on") and f"{name[:-3]}_at" in schema.names:
        return f"v.{validate.local_date_column(name[:-3] + '_at')}"
    if name in schema.names:
        if name in PERSONAL_COLUMNS:
            raise ValueError(f"{name} is personal data and is never stored")
        return f"v.{sources.quote(name)}"
    return "NULL"


# The column whose Europe/London date puts a row in a financial-year quarter.
PERIOD_BASIS = {"crimes": "recorded_at", "events": "occurred_at"}


def quarter_of(day: date) -> tuple[int, int]:
    """(financial year it starts in, quarter 1-4): April-June 2025 is (2025, 1)."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}Q{quarter}"


def _quarter_start(year: int, quarter: int) -> date:
    month = 4 + 3 * (quarter - 1)
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _partitions(con: duckdb.DuckDBPyConnection, schema: TableSchema) -> list[tuple[str, str]]:
    """(period, condition over ingest_classified) for each period with rows to store."""
    basis = PERIOD_BASIS.get(schema.name)
    if basis is None:
        if schema.name == "returns":
            labels = con.execute("SELECT DISTINCT period FROM ingest_valid ORDER BY 1").fetchall()
            return [(label, f"period = {sources.literal(label)}") for (label,) in labels]
        return [("all", "true")]
    earliest, latest = con.execute(f"SELECT min({basis}), max({basis}) FROM ingest_valid").fetchone() or (
        None,
        None,
    )
    if earliest is None:
        return []
    first, last = (instant.astimezone(ZoneInfo(validate.LONDON)).date() for instant in (earliest, latest))
    partitions = []
    year, quarter = quarter_of(first)
    while _quarter_start(year, quarter) <= last:
        following = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        start, end = _quarter_start(year, quarter), _quarter_start(*following)
        condition = (
            f"{basis} >= jj_london(TIMESTAMP '{start.isoformat()} 00:00:00') "
            f"AND {basis} < jj_london(TIMESTAMP '{end.isoformat()} 00:00:00')"
        )
        if _scalar(con, f"SELECT count(*) FROM ingest_valid WHERE {condition}"):
            partitions.append((quarter_label(year, quarter), condition))
        year, quarter = following
    return partitions


def _classified_sql(
    schema: TableSchema, extra: Mapping[str, str], lake_dir: Path, body: str, has_prior: bool
) -> str:
    """The rows to store, each marked new, unchanged or corrected against the body's current records.

    Records are compared on their content, value by value, so the same instant written two ways is the same.
    """
    stored = lake.STORED_COLUMNS[schema.name]
    values = ", ".join(
        f"CAST({_value_sql(schema, name, extra)} AS {kind}) AS {name}" for name, kind in stored
    )
    shaped = (
        f"SELECT v._row AS row, {values}, {'v.period, ' if schema.name == 'returns' else ''}v.mapped_columns "
        f"FROM ingest_valid v {extra.get('_join', '')}"
    )
    if not has_prior:
        return f"SELECT *, 'new' AS status, false AS is_correction FROM ({shaped})"
    key = lake.KEYS[schema.name]
    content = [name for name, _ in stored if name not in lake.DERIVED_COLUMNS]
    same = " AND ".join(f"p.{name} IS NOT DISTINCT FROM n.{name}" for name in content)
    join = " AND ".join(f"p.{name} = n.{name}" for name in key)
    prior_columns = ", ".join(dict.fromkeys([*key, *content]))
    return f"""
    WITH n AS ({shaped}),
    p AS (SELECT {prior_columns}, true AS found FROM ({current_sql(lake_dir, schema.name, body)}))
    SELECT n.*,
           CASE WHEN p.found IS NULL THEN 'new' WHEN {same} THEN 'unchanged' ELSE 'corrected' END AS status,
           p.found IS NOT NULL AND NOT ({same}) AS is_correction
    FROM n LEFT JOIN p ON {join}
    """
