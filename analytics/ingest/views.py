"""DuckDB views of the current version of every record in the event store (the contract compliance reads).

`register_current_views(con, lake_dir)` creates `victims`, `crimes`, `events` and `returns` (see
docs/architecture.md, "The event store"), plus `<table>_versions` with every stored version.
`register_person_views` makes the same `crimes` and `events` holding only one person's candidate rows.
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


def _register_versions(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    # The store's folders are listed once: each table's current view reads its versions view.
    lake_dir = Path(lake_dir)
    committed = committed_submissions(lake_dir)
    for table in STORED_COLUMNS:
        con.execute(
            f"CREATE OR REPLACE VIEW {table}_versions AS {versions_sql(lake_dir, table, committed=committed)}"
        )


def register_current_views(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    _register_versions(con, lake_dir)
    for table in STORED_COLUMNS:
        con.execute(f"CREATE OR REPLACE VIEW {table}_current AS {_latest(f'{table}_versions', table)}")
    _register_joined(con)


def register_person_views(
    con: duckdb.DuckDBPyConnection, lake_dir: Path, numbers: list[str], records: list[tuple[str, str]]
) -> None:
    """`crimes` and `events` as `register_current_views` makes them, holding only the rows that may belong to
    one person: those of the victims carrying one of the person's `numbers` or named by one of their vault
    `records` (body, reference), and the events carrying one of the numbers. Each candidate record's versions
    are found first and only those are reduced to the current one, so a person's rows are read without taking
    the newest version of every record in the store. Every row the full views would give for the person, with
    the same values, is here."""
    _register_versions(con, lake_dir)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE person_numbers AS SELECT unnest(?::VARCHAR[]) AS jjn", [numbers]
    )
    con.execute("CREATE OR REPLACE TEMP TABLE person_records (body VARCHAR, person_ref VARCHAR)")
    if records:
        con.executemany("INSERT INTO person_records VALUES (?, ?)", [list(record) for record in records])
    # The victims who ever carried one of the numbers, or are the person's records, at their current version.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE victims_current AS "
        + _latest(
            "victims_versions WHERE (body, person_ref) IN ("
            " SELECT body, person_ref FROM victims_versions WHERE jjn IN (SELECT jjn FROM person_numbers)"
            " UNION SELECT body, person_ref FROM person_records)",
            "victims",
        )
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE person_keys AS "
        "SELECT body, person_ref FROM victims_current WHERE jjn IN (SELECT jjn FROM person_numbers) "
        "UNION SELECT body, person_ref FROM person_records"
    )
    # A crime's victim is part of its key, so its versions are chosen by the victim alone.
    con.execute(
        "CREATE OR REPLACE TEMP VIEW crimes_current AS "
        + _latest(
            "crimes_versions WHERE (body, person_ref) IN (SELECT body, person_ref FROM person_keys)", "crimes"
        )
    )
    # An event's victim or number may change from one version to the next: every version of an event any of
    # whose versions may be the person's is kept, and the current one chosen among them.
    con.execute(
        "CREATE OR REPLACE TEMP VIEW events_current AS "
        + _latest(
            "events_versions WHERE (body, event_id) IN ("
            " SELECT body, event_id FROM events_versions WHERE jjn IN (SELECT jjn FROM person_numbers)"
            " OR (force, person_ref) IN (SELECT body, person_ref FROM person_keys))",
            "events",
        )
    )
    _register_joined(con, returns=False)


def _register_joined(con: duckdb.DuckDBPyConnection, *, returns: bool = True) -> None:
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
    if not returns:
        return
    con.execute(
        "CREATE OR REPLACE VIEW returns AS "
        "SELECT body, regexp_replace(period, 'Q', ' Q') AS period, force, metric, numerator, denominator "
        "FROM returns_current"
    )
