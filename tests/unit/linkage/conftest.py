import duckdb
import pytest

from analytics.linkage.people import load_people


def victims_table(con, rows, name="victims"):
    """A victims table from a few hand-written records (missing fields are null)."""
    con.execute(
        f"""create or replace table {name} (
            unique_id varchar, source_body varchar, person_ref varchar, given_name varchar,
            family_name varchar, date_of_birth date, postcode varchar, email varchar, phone varchar,
            jjn varchar)"""
    )
    for row in rows:
        con.execute(
            f"insert into {name} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                row["unique_id"],
                row.get("source_body", "E23000036"),
                row.get("person_ref", row["unique_id"]),
                row.get("given_name"),
                row.get("family_name"),
                row.get("date_of_birth"),
                row.get("postcode"),
                row.get("email"),
                row.get("phone"),
                row.get("jjn"),
            ],
        )
    return name


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def people_con():
    """400 synthetic people with variants, truth in person_id."""
    connection = duckdb.connect()
    load_people(connection, "victims", 400, seed=11)
    yield connection
    connection.close()
