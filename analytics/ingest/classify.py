"""What a stored row holds beyond the file's own values, and how each good row is classified.

`derived_tables` gathers values from outside the file (JJNs from the vault, age bands, whether an event's crime
is known) into tables on the joining database; `classified_sql` joins the good rows with them and with the
body's current records, marking each new, unchanged or corrected.
"""

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analytics.ingest import lake, sources, validate
from analytics.ingest.schema import PERSONAL_COLUMNS, TableSchema
from analytics.ingest.store import PARTITION
from analytics.ingest.stream import GOOD
from analytics.ingest.views import current_sql

# identity(records) -> {person_ref: (jjn, corrected)}; records carry person_ref, jjn and the personal fields.
# `corrected` says that the record's personal details, held only in the vault, were changed by this row: the
# stored row, which holds none of them, cannot show that it is a correction.
Identity = Callable[[list[dict[str, Any]]], Mapping[str, tuple[str, bool]]]
# age_bands([(body, person_ref, date)]) -> {(body, person_ref, date): band}
AgeBands = Callable[[list[tuple[str, str, date]]], Mapping[tuple[str, str, date], str]]
_BATCH = 20_000


def derived_tables(
    con: duckdb.DuckDBPyConnection,
    joiner: duckdb.DuckDBPyConnection,
    schema: TableSchema,
    body: str,
    lake_dir: Path,
    identity: Identity | None,
    age_bands: AgeBands | None,
    dry_run: bool,
) -> dict[str, str]:
    """Values from outside the file: JJNs from the vault, age bands, whether an event's crime is known.

    Reads the valid rows on `con` and registers the tables to join with on `joiner`.
    Returns, per stored column, the expression that gives it (over `v`, the good rows, and joined tables).
    """
    extra: dict[str, str] = {}
    if schema.name == "victims":
        personal = ["given_name", "family_name", "date_of_birth", "postcode", "email", "phone"]
        jjns: dict[str, tuple[str, bool]] = {}
        if identity is not None and not dry_run:
            fields = ", ".join(sources.quote(name) for name in ["person_ref", "jjn", *personal])
            # The whole file is read before anyone is registered: a file that turns out unreadable part-way
            # (a damaged Parquet row group) is rejected whole having put no one in the vault. The table is
            # the working database's, deleted with it.
            con.execute(f"CREATE OR REPLACE TEMP TABLE ingest_people AS SELECT {fields} FROM ingest_valid")
            cursor = con.execute("SELECT * FROM ingest_people")
            while batch := cursor.fetchmany(_BATCH):
                people = [dict(zip(["person_ref", "jjn", *personal], row, strict=True)) for row in batch]
                jjns.update(identity(people))
            con.execute("DROP TABLE ingest_people")
        joiner.register(
            "ingest_jjns",
            pa.table(
                {
                    "person_ref": pa.array(list(jjns), pa.string()),
                    "jjn": pa.array([number for number, _ in jjns.values()], pa.string()),
                    "corrected": pa.array([corrected for _, corrected in jjns.values()], pa.bool_()),
                }
            ),
        )
        extra["jjn"] = "coalesce(j.jjn, v.jjn)"
        extra["_details_corrected"] = "coalesce(j.corrected, false)"
        extra["_join"] = "LEFT JOIN ingest_jjns j ON j.person_ref = v.person_ref"
    if schema.name == "crimes":
        reported_on = validate.local_date_column("reported_at")
        bands: dict[tuple[str, str, date], str] = {}
        if age_bands is not None and not dry_run:
            cursor = con.execute(f"SELECT DISTINCT person_ref, {reported_on} FROM ingest_valid")
            while batch := cursor.fetchmany(_BATCH):
                bands.update(age_bands([(body, person_ref, day) for person_ref, day in batch]))
        joiner.register(
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
            joiner.execute(
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


def _partition_sql(schema: TableSchema) -> str:
    """Each row's partition: its financial-year quarter (2025-26Q1), by the Europe/London date of its period
    column; a returns row's own period; `all` for victims."""
    basis = PERIOD_BASIS.get(schema.name)
    if basis is not None:
        return f"jj_quarter(v.{validate.local_date_column(basis)})"
    if schema.name == "returns":
        return "replace(v.period, ' ', '')"
    return "'all'"


def classified_sql(
    schema: TableSchema, extra: Mapping[str, str], lake_dir: Path, body: str, has_prior: bool
) -> str:
    """The good rows (those marked `_good` in `ingest_good`, streamed from the first database) with their
    partition, each marked new, unchanged or corrected against the body's current records.

    Records are compared on their content, value by value, so the same instant written two ways is the same.
    """
    stored = lake.STORED_COLUMNS[schema.name]
    values = ", ".join(
        f"CAST({_value_sql(schema, name, extra)} AS {kind}) AS {name}" for name, kind in stored
    )
    period = "replace(v.period, ' ', '') AS period, " if schema.name == "returns" else ""
    details = extra.get("_details_corrected")
    corrected = f"{details} AS details_corrected, " if details else ""
    shaped = (
        f"SELECT v._row AS row, {values}, {period}{corrected}v.mapped_columns, "
        f"{_partition_sql(schema)} AS {PARTITION} FROM ingest_good v {extra.get('_join', '')} WHERE v.{GOOD}"
    )
    if not has_prior:
        return f"SELECT *, 'new' AS status, false AS is_correction FROM ({shaped})"
    key = lake.KEYS[schema.name]
    content = [name for name, _ in stored if name not in lake.DERIVED_COLUMNS]
    same = " AND ".join(f"p.{name} IS NOT DISTINCT FROM n.{name}" for name in content)
    if details:
        same += " AND NOT n.details_corrected"  # the vault's copy of the person changed
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
