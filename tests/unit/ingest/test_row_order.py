"""CSV rows keep their file numbers through the parallel pass: in the rejected-rows report and in the store."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.ingest import open_connection, sources, table_schema, validate
from analytics.ingest.stream import keeps_file_order
from analytics.standard import load_standard
from tests.factories.journeys import FORCE, HEADERS

ROWS = 450_000  # about 35 MB: DuckDB reads a file this size in several buffers, in parallel
BAD_ROWS = (1, 2_048, 2_049, 123_457, 300_001, ROWS)  # a wrong code
BAD_TIMES = (77, 250_000, 449_999)  # a date written the UK way


def big_events_file(path: Path) -> Path:
    """`ROWS` events numbered in their id (row n is event E<n>); the rows in BAD_ROWS have a wrong code, those
    in BAD_TIMES a timestamp that does not parse."""
    bad = ", ".join(str(row) for row in BAD_ROWS)
    bad_time = ", ".join(str(row) for row in BAD_TIMES)
    duckdb.execute(
        f"""COPY (
            SELECT 'E' || n AS event_id, '{FORCE}' AS force, 'C' || (n // 5) AS crime_ref, 'P' || (n // 5) AS person_ref,
                   NULL AS jjn, CASE WHEN n IN ({bad}) THEN 'not_a_type' ELSE 'vps_offered' END AS event_type,
                   CASE WHEN n IN ({bad_time}) THEN '01/04/2025 10:00' ELSE
                   strftime(TIMESTAMP '2025-04-01 08:00:00' + to_seconds(n * 30), '%Y-%m-%dT%H:%M:%S') END AS occurred_at,
                   NULL AS detail
            FROM range(1, {ROWS + 1}) AS t(n)
        ) TO '{path}' (HEADER, DELIMITER ',')"""
    )
    return path


@pytest.mark.slow
def test_rows_of_a_large_csv_keep_their_numbers(store, tmp_path):
    result = store.send(big_events_file(tmp_path / "events.csv"))

    refused = sorted(BAD_ROWS + BAD_TIMES)
    assert (result.rows, result.accepted, result.rejected) == (ROWS, ROWS - len(refused), len(refused))
    assert [error.row for error in result.first_errors] == refused
    assert {(e.row, e.column, e.value) for e in result.first_errors} == {
        *((row, "event_type", "not_a_type") for row in BAD_ROWS),
        *((row, "occurred_at", "01/04/2025 10:00") for row in BAD_TIMES),
    }
    misnumbered = store.query("SELECT count(*) FROM events_current WHERE event_id <> 'E' || row")
    assert misnumbered == [(0,)]
    stored = store.query("SELECT count(*), count(*) FILTER (event_type = 'not_a_type') FROM events_current")
    assert stored == [(ROWS - len(refused), 0)]  # refused rows, spread through every batch, are not stored


@pytest.mark.parametrize("table", ["victims", "crimes", "events", "returns"])
@pytest.mark.parametrize("mapped", [False, True])
def test_validation_never_reorders_rows(tmp_path, table, mapped):
    """Every rule is a per-row expression: the plan that validates a CSV has no join, sort or window."""
    schema = table_schema(load_standard("1"), table)
    coded = next(column for column in schema.columns if column.type == "code" and column.codes)
    code_maps = {coded.name: {"LOCAL": sorted(coded.codes or ())[0]}} if mapped else {}
    path = tmp_path / f"{table}.csv"
    path.write_text(",".join(HEADERS[table]) + "\n")
    con = open_connection(tmp_path / "work")
    con.execute(validate.macros_sql())
    header = sources.load(con, path, schema, tmp_path).header
    checked = validate.checked_sql(schema, header, code_maps, today=date(2026, 1, 1))
    con.execute(f"CREATE TEMP VIEW {validate.CHECKED_TABLE} AS {checked}")

    keeps_file_order(con, f"SELECT * FROM {validate.CHECKED_TABLE}")


def test_a_query_that_could_reorder_rows_is_refused(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS n FROM range(10)")
    with pytest.raises(RuntimeError, match="may reorder rows"):
        keeps_file_order(con, "SELECT n, n IN (SELECT n FROM t WHERE n < 3) FROM t")
