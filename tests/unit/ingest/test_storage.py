"""Storing: resubmission, corrections with history, local codes, identity at the door, the current views."""

from pathlib import Path

import pyarrow.parquet as pq

from analytics.ingest import committed_files
from analytics.ingest.lake import committed_periods, submission_periods
from tests.factories.journeys import crime, event, victim, write_csv


def test_resending_the_same_records_changes_nothing(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)])
    store.send(path)
    again = store.send(path)
    assert (again.accepted, again.unchanged, again.corrected) == (0, 2, 0)
    assert store.query("SELECT count(*) FROM crimes_versions") == [(2,)]


def test_same_instant_written_differently_is_unchanged(store, tmp_path):
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1, reported_at="2025-07-01T12:00")]))
    again = store.send(write_csv(tmp_path / "crimes-2.csv", [crime(1, reported_at="2025-07-01T11:00:00Z")]))
    assert again.unchanged == 1


def test_correction_keeps_history_and_the_view_shows_the_latest(store, tmp_path):
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)]))
    corrected = store.send(write_csv(tmp_path / "crimes-fix.csv", [crime(1, outcome_type="18"), crime(3)]))
    assert (corrected.accepted, corrected.corrected, corrected.unchanged) == (1, 1, 0)
    assert store.query("SELECT crime_ref, outcome_type FROM crimes ORDER BY crime_ref") == [
        ("C1", "18"),
        ("C2", None),
        ("C3", None),
    ]
    assert store.query(
        "SELECT submission, outcome_type, is_correction FROM crimes_versions WHERE crime_ref = 'C1' ORDER BY submission"
    ) == [(1, None, False), (2, "18", True)]


def test_partitioned_by_table_body_period_and_submission(store, tmp_path):
    rows = [crime(1), crime(2, recorded_at="2025-07-02T09:00", reported_at="2025-07-02T08:00")]
    store.send(write_csv(tmp_path / "crimes.csv", rows))
    folders = sorted(
        path.split("/crimes/")[1].rsplit("/", 1)[0] for path in committed_files(store.lake, "crimes")
    )
    assert folders == [
        "body=E23000036/period=2025-26Q1/submission=1",
        "body=E23000036/period=2025-26Q2/submission=1",
    ]
    [path] = [p for p in committed_files(store.lake, "crimes") if "Q2" in p]
    table = pq.read_table(path)
    assert str(table.schema.field("reported_at").type) == "timestamp[us, tz=UTC]"


def test_the_quarters_held_are_those_of_committed_rows(store, tmp_path):
    assert committed_periods(store.lake) == set()
    rows = [crime(1), crime(2, recorded_at="2025-10-02T09:00", reported_at="2025-10-02T08:00")]
    store.send(write_csv(tmp_path / "crimes.csv", rows))
    store.send(write_csv(tmp_path / "victims.csv", [victim(1)]))  # victims are in no quarter
    # A submission still being published (no commit marker yet) holds no quarter.
    (store.lake / "events" / "body=E23000036" / "period=2026-27Q1" / "submission=99").mkdir(parents=True)
    assert committed_periods(store.lake) == {"2025-26 Q1", "2025-26 Q3"}
    assert committed_periods(store.lake, ["events"]) == set()


def test_a_submission_knows_the_quarters_it_wrote_rows_into(store, tmp_path):
    july = {"reported_at": "2025-07-02T08:00", "recorded_at": "2025-07-02T09:00"}
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, **july)]))
    february = {"reported_at": "2024-02-02T08:00", "recorded_at": "2024-02-02T09:00"}
    rows = [crime(1, outcome_type="18"), crime(2, **july), crime(3, **february)]
    store.send(write_csv(tmp_path / "crimes-fix.csv", rows))
    store.send(write_csv(tmp_path / "victims.csv", [victim(1)]))
    assert submission_periods(store.lake, 1) == {"2025-26 Q1", "2025-26 Q2"}
    # The second wrote only its corrected and new rows: C2, sent again unchanged, is not written again.
    assert submission_periods(store.lake, 2) == {"2025-26 Q1", "2023-24 Q4"}
    assert submission_periods(store.lake, 3) == set()  # victims are in no quarter
    assert submission_periods(store.lake, 99) == set()  # never committed


def test_local_codes_are_mapped_and_recorded(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1, offence_group="VAP"), crime(2)])
    result = store.send(path, code_maps={"offence_group": {"VAP": "violence"}})
    assert result.accepted == 2
    assert store.query(
        "SELECT crime_ref, offence_group, mapped_columns FROM crimes_versions ORDER BY crime_ref"
    ) == [
        ("C1", "violence", ["offence_group"]),
        ("C2", "violence", []),
    ]


def test_personal_data_goes_to_identity_only(store, tmp_path):
    rows = [victim(1), victim(2, date_of_birth="", ethnicity="NS")]
    result = store.send(write_csv(tmp_path / "victims.csv", rows))
    assert result.accepted == 2
    assert store.vault == {"P1": "JJN-1", "P2": "JJN-2"}
    assert store.query(
        "SELECT person_ref, jjn, sex, ethnicity, disability, dob_recorded FROM victims ORDER BY 1"
    ) == [
        ("P1", "JJN-1", "F", "W1", "N", True),
        ("P2", "JJN-2", "F", "NS", "N", False),
    ]
    stored = b"".join(Path(p).read_bytes() for p in committed_files(store.lake, "victims"))
    for personal in (b"Alex1", b"Morgan", b"BS1 4DJ", b"1980-05-17"):
        assert personal not in stored


def test_a_victims_row_whose_personal_details_alone_changed_is_a_correction(store, tmp_path):
    store.send(write_csv(tmp_path / "victims.csv", [victim(1), victim(2)]))
    again = store.send(write_csv(tmp_path / "victims-2.csv", [victim(1), victim(2, family_name="Green")]))
    assert (again.accepted, again.unchanged, again.corrected) == (0, 1, 1)
    assert store.query("SELECT person_ref, count(*) FROM victims_versions GROUP BY 1 ORDER BY 1") == [
        ("P1", 1),
        ("P2", 2),
    ]


def test_crimes_take_characteristics_from_the_victims_row(store, tmp_path):
    store.send(write_csv(tmp_path / "victims.csv", [victim(1, sex="M")]))
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1)]))
    assert store.query("SELECT jjn, sex, ethnicity FROM crimes") == [("JJN-1", "M", "W1")]


def test_events_before_their_crime_are_kept_flagged_and_join_later(store, tmp_path):
    early = store.send(write_csv(tmp_path / "events.csv", [event(1)]), body="WCU-E23000036")
    assert (early.accepted, early.events_without_crime) == (1, 1)
    store.send(write_csv(tmp_path / "victims.csv", [victim(1)]))
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1)]))
    assert store.query(
        "SELECT e.event_id, e.jjn, c.crime_ref FROM events e JOIN crimes c USING (force, crime_ref, person_ref)"
    ) == [("E1", "JJN-1", "C1")]
    later = store.send(write_csv(tmp_path / "events-2.csv", [event(2)]), body="WCU-E23000036")
    assert later.events_without_crime == 0


def test_events_sharing_an_instant_keep_file_order(store, tmp_path):
    rows = [event(1, event_type="outcome_info_received"), event(2, event_type="outcome_info_received")]
    store.send(write_csv(tmp_path / "events.csv", rows))
    assert [r[0] for r in store.query("SELECT event_id FROM events ORDER BY occurred_at, seq")] == [
        "E1",
        "E2",
    ]


def test_dry_run_stores_nothing(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1)]), dry_run=True)
    assert result.accepted == 1
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]
    assert store.vault == {}


def test_views_exist_on_an_empty_store(store):
    assert store.query("SELECT count(*) FROM victims, crimes, events, returns") == [(0,)]
