"""DuckDB views of the current version of every record in the event store (the contract compliance reads).

`register_current_views(con, lake_dir)` creates `victims`, `crimes`, `events` and `returns` (see
docs/architecture.md, "The event store"), plus `<table>_versions` with every stored version.
Only committed submissions are visible.
"""

from pathlib import Path

import duckdb

from analytics.ingest.lake import (
    KEYS,
    META_COLUMNS,
    PARTITION_COLUMNS,
    STORED_COLUMNS,
    committed_files,
    committed_submissions,
)

_HIVE_TYPES = "{'body': VARCHAR, 'period': VARCHAR, 'submission': BIGINT}"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def versions_sql(
    lake_dir: Path, table: str, body: str | None = None, *, committed: set[int] | None = None
) -> str:
    """A SELECT of every stored version of `table` (optionally of one body), newest submission last.
    `committed` is `committed_submissions(lake_dir)` when the caller has already read it."""
    columns = (*PARTITION_COLUMNS, *STORED_COLUMNS[table], *META_COLUMNS)
    files = committed_files(lake_dir, table, body, committed=committed)
    if not files:
        nulls = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in columns)
        return f"SELECT {nulls} WHERE false"
    listed = ", ".join(_literal(path) for path in files)
    names = ", ".join(name for name, _ in columns)
    return (
        f"SELECT {names} FROM read_parquet([{listed}], hive_partitioning=true, "
        f"hive_types={_HIVE_TYPES}, union_by_name=true)"
    )


def current_sql(lake_dir: Path, table: str, body: str | None = None) -> str:
    """The latest version of each record: the one from the highest submission."""
    return _latest(f"({versions_sql(lake_dir, table, body)})", table)


def _latest(versions: str, table: str) -> str:
    key = ", ".join(("body", *KEYS[table]))
    return (
        f"SELECT * FROM {versions} "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY submission DESC, row DESC) = 1"
    )


def register_current_views(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    lake_dir = Path(lake_dir)
    # The store's folders are listed once: each table's current view reads its versions view.
    committed = committed_submissions(lake_dir)
    for table in STORED_COLUMNS:
        con.execute(
            f"CREATE OR REPLACE VIEW {table}_versions AS {versions_sql(lake_dir, table, committed=committed)}"
        )
        con.execute(f"CREATE OR REPLACE VIEW {table}_current AS {_latest(f'{table}_versions', table)}")
    con.execute(
        "CREATE OR REPLACE VIEW victims AS "
        "SELECT body, person_ref, jjn, sex, ethnicity, disability, dob_recorded FROM victims_current"
    )
    con.execute(
        """CREATE OR REPLACE VIEW crimes AS
        SELECT c.body, c.force, c.crime_ref, c.person_ref, v.jjn, c.offence_group, c.reported_at, c.reported_on,
               c.recorded_at, c.recorded_on, c.enhanced_rights, c.enhanced_reason, c.domestic_abuse,
               c.outcome_type, c.outcome_date, v.sex, v.ethnicity, v.disability, c.age_band
        FROM crimes_current c LEFT JOIN victims_current v ON v.body = c.body AND v.person_ref = c.person_ref"""
    )
    # Events name the victim by the recording force's reference; the JJN comes from that force's victims row
    # when the event does not carry one. seq keeps file order for events that share an instant.
    con.execute(
        """CREATE OR REPLACE VIEW events AS
        SELECT e.body, e.event_id, e.force, e.crime_ref, e.person_ref, coalesce(e.jjn, v.jjn) AS jjn,
               e.event_type, e.occurred_at, e.occurred_on, e.detail,
               e.submission * 4294967296 + e.row AS seq
        FROM events_current e LEFT JOIN victims_current v ON v.body = e.force AND v.person_ref = e.person_ref"""
    )
    con.execute(
        "CREATE OR REPLACE VIEW returns AS "
        "SELECT body, regexp_replace(period, 'Q', ' Q') AS period, force, metric, numerator, denominator "
        "FROM returns_current"
    )
