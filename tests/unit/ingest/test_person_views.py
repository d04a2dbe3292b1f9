"""One person's rows are read from narrowed views: the same rows as the full views give, at any store size."""

import duckdb
import pytest

from analytics.ingest import register_current_views
from analytics.ingest.views import register_person_views
from identity.queries import crimes_sql, events_sql
from tests.factories.journeys import FORCE, crime, event, victim, write_csv

# Numbers written in the files, which validation checks; the scratch store's vault numbers the rest JJN-n.
ONE, FOUR = "JJ-7KDA-94FX-HMQF", "JJ-H673-F747-37HP"


@pytest.fixture
def history(store, tmp_path):
    """Victims, crimes and events, with later versions moving records between people."""
    store.send(
        write_csv(tmp_path / "victims.csv", [victim(1, jjn=ONE), victim(2), victim(3), victim(4, jjn=ONE)])
    )
    store.send(write_csv(tmp_path / "crimes.csv", [crime(n) for n in (1, 2, 3, 4)]))
    store.send(
        write_csv(
            tmp_path / "events.csv",
            [
                event(1),
                event(2, crime_ref="C2", person_ref="P2"),
                event(3),
                event(4, crime_ref="C2", person_ref="P2", jjn=ONE),
                event(5, crime_ref="C4", person_ref="P4"),
                event(6, crime_ref="C2", person_ref="P2", jjn=ONE),
            ],
        )
    )
    # P3 becomes the same person as P1; P4 is found to be someone else.
    store.send(write_csv(tmp_path / "victims-2.csv", [victim(3, jjn=ONE), victim(4, jjn=FOUR)]))
    # E2 is moved onto P1, E3 away from P1, and E6 no longer carries P1's number.
    store.send(
        write_csv(
            tmp_path / "events-2.csv",
            [
                event(2, person_ref="P1"),
                event(3, crime_ref="C2", person_ref="P2"),
                event(6, crime_ref="C2", person_ref="P2"),
            ],
        )
    )
    return store


def _person(lake, sql: str, numbers: list[str], records: list[tuple[str, str]], *, narrowed: bool) -> list:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    if narrowed:
        register_person_views(con, lake, numbers, records)
    else:
        register_current_views(con, lake)
    own = sorted(f"{body}\x1f{ref}" for body, ref in records)
    return con.execute(sql, [numbers, own]).fetchall()


@pytest.mark.parametrize(
    ("numbers", "records"),
    [
        ([ONE], [(FORCE, "P1")]),
        ([ONE, "JJN-3"], [(FORCE, "P1"), (FORCE, "P3")]),
        ([FOUR], [(FORCE, "P4")]),
        (["JJN-2"], []),
        (["JJN-9"], []),
    ],
)
def test_the_narrowed_views_give_the_person_the_same_rows_as_the_full_views(history, numbers, records):
    for sql in (crimes_sql(), events_sql()):
        full = _person(history.lake, sql, numbers, records, narrowed=False)
        assert _person(history.lake, sql, numbers, records, narrowed=True) == full


def test_the_current_version_decides_whose_an_event_is(history):
    ids = "SELECT event_id FROM events WHERE jjn IN (SELECT unnest(?::VARCHAR[])) OR force || chr(31) || person_ref IN (SELECT unnest(?::VARCHAR[])) ORDER BY event_id"
    events = _person(history.lake, ids, [ONE], [(FORCE, "P1")], narrowed=True)
    # E1 and E2 are P1's; E3 moved away; E4 carries the number; E5's victim and E6's number left.
    assert events == [("E1",), ("E2",), ("E4",)]
    crimes = _person(history.lake, crimes_sql(), [ONE], [(FORCE, "P1")], narrowed=True)
    assert sorted(row[2] for row in crimes) == ["C1", "C3"]
