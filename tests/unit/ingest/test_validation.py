"""Each validation rule of the minimum dataset, with a malformed file."""

from datetime import UTC, date, datetime

import pytest

from analytics.ingest import FileRejected
from identity import jjn
from tests.factories.journeys import (
    HEADERS,
    crime,
    event,
    return_row,
    victim,
    write_csv,
    write_parquet,
    write_xlsx,
)

FORMATS = ("csv", "xlsx", "parquet", "records")


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in result.first_errors]


def send_as(store, tmp_path, kind: str, table: str, rows: list[dict], header: list[str] | None = None):
    """`rows` sent as a file of the kind given (with the columns `header` names, by default all), or as API
    records."""
    if kind == "csv":
        return store.send(write_csv(tmp_path / f"{table}.csv", rows, header=header))
    if kind == "xlsx":
        return store.send(write_xlsx(tmp_path / f"{table}.xlsx", rows, table=table, header=header))
    if kind == "parquet":
        return store.send(write_parquet(tmp_path / f"{table}.parquet", rows, table=table, header=header))
    return store.send_records(table, rows)


def test_good_file_is_accepted_whole(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)]))
    assert (result.accepted, result.rejected, result.unchanged, result.corrected) == (2, 0, 0, 0)
    assert result.summary() == "crimes.csv: accepted 2, rejected 0, unchanged 0, corrected 0"


def test_missing_column_rejects_the_whole_file(store, tmp_path):
    header = [c for c in HEADERS["crimes"] if c != "offence_group"]
    with pytest.raises(FileRejected, match="missing column offence_group"):
        store.send(write_csv(tmp_path / "crimes.csv", [crime(1)], header=header))
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_optional_column_may_be_left_out(store, tmp_path):
    header = [c for c in HEADERS["crimes"] if c not in ("domestic_abuse", "outcome_type")]
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, outcome_type="1")], header=header))
    assert result.accepted == 1
    assert store.query("SELECT domestic_abuse, outcome_type FROM crimes") == [(None, None)]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_a_column_required_only_in_some_rows_may_be_left_out_when_no_row_needs_it(store, tmp_path, kind):
    header = [c for c in HEADERS["crimes"] if c != "enhanced_reason"]
    result = send_as(
        store, tmp_path, kind, "crimes", [crime(1), crime(2)], header=header
    )  # enhanced_rights N
    assert (result.accepted, result.first_errors) == (2, [])
    victims = [victim(1, jjn="JJ-7KDA-94FX-HMQF"), victim(2, jjn="jj 7kda 94fx hmqf", person_ref="P2")]
    result = send_as(store, tmp_path, kind, "victims", victims, header=["person_ref", "jjn"])
    assert (result.accepted, result.first_errors) == (2, [])


def test_each_row_that_needs_a_column_left_out_is_refused_naming_the_row_and_the_column(store, tmp_path):
    header = [c for c in HEADERS["crimes"] if c != "enhanced_reason"]
    rows = [crime(1), crime(2, enhanced_rights="Y"), crime(3)]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows, header=header))
    assert errors_of(result) == [(2, "enhanced_reason", "is required when enhanced_rights is Y")]
    assert result.accepted == 2

    rows = [victim(1, jjn="JJ-7KDA-94FX-HMQF"), victim(2)]
    result = store.send(write_csv(tmp_path / "victims.csv", rows, header=["person_ref", "jjn"]))
    assert [(e.row, e.column) for e in result.first_errors] == [(2, "family_name"), (2, "given_name")]
    assert all(e.reason.startswith("is required when jjn is empty") for e in result.first_errors)
    assert result.accepted == 1


def test_a_column_required_in_every_row_must_be_in_the_header(store, tmp_path):
    with pytest.raises(FileRejected, match=r"missing column person_ref$"):
        store.send(
            write_csv(tmp_path / "victims.csv", [victim(1)], header=["jjn", "given_name", "family_name"])
        )


def test_unknown_column_rejects_the_whole_file(store, tmp_path):
    with pytest.raises(FileRejected, match="unknown column colour"):
        store.send(write_csv(tmp_path / "crimes.csv", [crime(1)], header=[*HEADERS["crimes"], "colour"]))


def test_a_file_without_its_header_row_is_refused_without_repeating_the_first_row(store, tmp_path):
    path = tmp_path / "victims.csv"
    path.write_text(
        "P1,Mia,Knight,1990-01-02,FY1 9WF,F,W1,N,mia.knight@example.org,07700 900262\n"
        "P2,Colin,Palmer,1980-03-04,BS6 8ZG,M,W1,N,c@example.net,07700 900622\n"
    )
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    message = str(refused.value)
    assert "the first row names none of the columns of the victims table" in message
    assert (
        "is the header row missing?" in message
        and "columns, person_ref, jjn, given_name, family_name," in message
    )
    for personal in ("Mia", "Knight", "1990-01-02", "FY1 9WF", "mia.knight", "07700"):
        assert personal not in message


@pytest.mark.parametrize(("separator", "called"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_refused_saying_so(store, tmp_path, separator, called):
    path = tmp_path / "victims.csv"
    path.write_text(
        separator.join(HEADERS["victims"])
        + "\n"
        + separator.join(["P1", "", "Mia", "Knight", "1990-01-02", "FY1 9WF", "F", "W1", "N", "", ""])
        + "\n"
    )
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    message = str(refused.value)
    assert message.startswith(f"its columns are separated by {called}, not commas;")
    assert "save it as 'CSV UTF-8 (comma delimited)'" in message and "Mia" not in message


def test_required_value_missing(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, offence_group="")]))
    assert (result.accepted, result.rejected) == (1, 1)
    assert errors_of(result) == [(2, "offence_group", "is required and is empty")]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_value_of_only_whitespace_is_empty_in_every_format(store, tmp_path, kind):
    rows = [
        crime(1, crime_ref="   ", person_ref="  ", offence_group="\t"),
        # Optional values of only whitespace (a tab, a no-break space) are stored as empty.
        crime(2, domestic_abuse=" \t ", outcome_type="\u00a0", outcome_date=" "),
        crime(3, enhanced_rights="Y", enhanced_reason="  "),
    ]
    result = send_as(store, tmp_path, kind, "crimes", rows)
    assert errors_of(result) == [
        (1, "crime_ref", "is required and is empty"),
        (1, "offence_group", "is required and is empty"),
        (1, "person_ref", "is required and is empty"),
        (3, "enhanced_reason", "is required when enhanced_rights is Y"),
    ]
    assert [e.value for e in result.first_errors] == ["", "", "", ""]
    assert store.query("SELECT crime_ref, domestic_abuse, outcome_type, outcome_date FROM crimes") == [
        ("C2", None, None, None)
    ]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_victim_name_or_jjn_of_only_whitespace_is_empty(store, tmp_path, kind):
    rows = [
        victim(1, given_name=" "),
        victim(2, family_name="\u2003", jjn="  "),  # an em space; a blank JJN is no JJN
        victim(3, given_name=" ", family_name=" ", jjn="JJ-7KDA-94FX-HMQF", postcode=" ", email=" "),
    ]
    result = send_as(store, tmp_path, kind, "victims", rows)
    assert [(e.row, e.column, e.value) for e in result.first_errors] == [
        (1, "given_name", ""),
        (2, "family_name", ""),
    ]
    assert all(e.reason.startswith("is required when jjn is empty") for e in result.first_errors)
    assert result.accepted == 1
    [registered] = store.registered
    assert (registered["person_ref"], registered["jjn"]) == ("P3", "JJ-7KDA-94FX-HMQF")
    assert [registered[name] for name in ("given_name", "family_name", "postcode", "email")] == [None] * 4


def test_code_not_in_list_is_reported_with_value(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, enhanced_rights="yes")]))
    [error] = result.first_errors
    assert (error.row, error.column, error.value) == (1, "enhanced_rights", "yes")
    assert "one of N, Y" in error.reason


def test_numbered_codes_are_listed_in_numeric_order(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, outcome_type="19"), crime(2)]))
    assert errors_of(result) == [
        (
            1,
            "outcome_type",
            "is not one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22 (codes are "
            "case-sensitive)",
        )
    ]
    victims = store.send(write_csv(tmp_path / "victims.csv", [victim(1, ethnicity="W5")]))
    assert (
        "one of A1, A2, A3, A4, A9, B1" in victims.first_errors[0].reason
    )  # codes that are not numbers: as text


def test_enhanced_reason_required_when_enhanced_rights(store, tmp_path):
    rows = [crime(1, enhanced_rights="Y"), crime(2, enhanced_rights="Y", enhanced_reason="vulnerable")]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows))
    assert errors_of(result) == [(1, "enhanced_reason", "is required when enhanced_rights is Y")]


def test_names_required_unless_jjn_given(store, tmp_path):
    rows = [victim(1, given_name=""), victim(2, given_name="", family_name="", jjn="JJ-7KDA-94FX-HMQF")]
    result = store.send(write_csv(tmp_path / "victims.csv", rows))
    assert [(e.row, e.column) for e in result.first_errors] == [(1, "given_name")]
    assert result.accepted == 1


def test_duplicate_keys_in_one_file_are_all_refused(store, tmp_path):
    result = store.send(
        write_csv(tmp_path / "crimes.csv", [crime(1), crime(2), crime(1, offence_group="theft")])
    )
    assert result.accepted == 1
    assert [(e.row, e.column) for e in result.first_errors] == [(1, "force, crime_ref, person_ref")] * 1 + [
        (3, "force, crime_ref, person_ref")
    ]
    assert "rows 1, 3" in result.first_errors[0].reason


@pytest.mark.parametrize(
    ("table", "row", "key"),
    [("victims", victim, "person_ref"), ("events", event, "event_id"), ("crimes", crime, "crime_ref")],
)
def test_a_repeated_key_stores_neither_row_whatever_the_table(store, tmp_path, table, row, key):
    rows = [row(1), row(2), row(3), row(2)]
    result = store.send(write_csv(tmp_path / f"{table}.csv", rows))

    assert (result.accepted, result.rejected) == (2, 2)
    assert [e.row for e in result.first_errors] == [2, 4]
    stored = store.query(f"SELECT {key} FROM {table}_current ORDER BY row")
    assert [value for (value,) in stored] == [rows[0][key], rows[2][key]]


@pytest.mark.parametrize(
    "value",
    [
        "2025-04-01", "01/04/2025 10:00", "2025-04-31T10:00", "2025-04-01T25:00", "2025-04-01T10:00+1", "soon",
        # Offsets no place on Earth has: hours beyond 14, minutes beyond 59.
        "2025-06-03T14:05+25:00", "2025-06-03T14:05+01:99", "2025-06-03T14:05-14:30",
    ],
)  # fmt: skip
def test_timestamps_that_do_not_parse(store, tmp_path, value):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, reported_at=value)]))
    assert [(e.row, e.column, e.value) for e in result.first_errors] == [(1, "reported_at", value)]


@pytest.mark.parametrize(
    "value",
    [
        "2025-04-01 10:00",  # a space for the T
        "2025-04-01T24:00",  # would be the next day
        "2025-04-01T10:60", "2025-04-01T10:00:60",
        "2025-04-01T10:00:00.1234", "2025-04-01T10:00:00.123456Z",  # more than milliseconds
        "2025-04-01T10:00:00.", "2025-04-01T10:00.5",
    ],
)  # fmt: skip
def test_a_timestamp_not_written_as_the_standard_says_is_refused_saying_the_form(store, tmp_path, value):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, reported_at=value), crime(2)]))
    assert errors_of(result) == [
        (
            1,
            "reported_at",
            "is not a date and time in the form YYYY-MM-DDThh:mm[:ss[.fff]] (a T between date and time, hours 00 "
            "to 23, seconds to at most 3 decimal places), optionally followed by Z or an offset from -14:00 to "
            "+14:00 such as +01:00",
        )
    ]
    assert [e.value for e in result.first_errors] == [value]
    assert store.query("SELECT crime_ref FROM crimes") == [("C2",)]


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("2025-12-01T00:00", datetime(2025, 12, 1, 0, 0, tzinfo=UTC)),
        ("2025-12-01T23:59:59.999", datetime(2025, 12, 1, 23, 59, 59, 999000, tzinfo=UTC)),
        ("2025-12-01T10:00:00.5Z", datetime(2025, 12, 1, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2025-12-01T10:00:00.25-14:00", datetime(2025, 12, 2, 0, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_every_form_the_standard_allows_is_accepted(store, tmp_path, written, instant):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, reported_at=written)]))
    assert result.first_errors == []
    assert store.query("SELECT reported_at FROM crimes") == [(instant,)]


def test_the_last_day_of_the_accepted_range_is_accepted_whole_for_timestamps_as_for_dates(store, tmp_path):
    # The range a year from 1 January 2026 ends on 2 January 2027, as the message says.
    rows = [
        crime(1, recorded_at="2027-01-02T10:00", reported_at="2027-01-02T09:00", outcome_date="2027-01-02"),
        crime(2, recorded_at="2027-01-03T00:30", reported_at="2027-01-02T09:00"),
    ]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows), today=date(2026, 1, 1))
    assert errors_of(result) == [
        (2, "recorded_at", "is outside the accepted range (2000-01-01 to 2027-01-02)")
    ]


def test_dates_out_of_range(store, tmp_path):
    rows = [crime(1, outcome_date="1899-12-31"), crime(2, recorded_at="2199-01-01T00:00")]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows), today=date(2026, 1, 1))
    assert [(e.row, e.column) for e in result.first_errors] == [(1, "outcome_date"), (2, "recorded_at")]
    assert all("outside the accepted range" in e.reason for e in result.first_errors)


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("2025-07-01T12:00", datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),  # BST
        ("2025-12-01T12:00:30.250", datetime(2025, 12, 1, 12, 0, 30, 250000, tzinfo=UTC)),  # GMT
        ("2025-07-01T12:00Z", datetime(2025, 7, 1, 12, 0, tzinfo=UTC)),
        ("2025-07-01T12:00:00-05:00", datetime(2025, 7, 1, 17, 0, tzinfo=UTC)),
        ("2025-07-01T12:00+14:00", datetime(2025, 6, 30, 22, 0, tzinfo=UTC)),
        # The hour the clocks skip: read with the offset before the change (GMT).
        ("2025-03-30T01:30", datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
        # The hour the clocks repeat: read with the offset before the change (BST), the first 01:30.
        ("2025-10-26T01:30", datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        ("2025-10-26T02:30", datetime(2025, 10, 26, 2, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_are_stored_as_instants(store, tmp_path, written, instant):
    store.send(write_csv(tmp_path / "crimes.csv", [crime(1, reported_at=written, recorded_at=written)]))
    [(reported_at, reported_on)] = store.query("SELECT reported_at, reported_on FROM crimes")
    assert reported_at == instant
    assert reported_on == date.fromisoformat(written[:10]) or written.endswith(("Z", "-05:00", "+14:00"))


def test_event_detail_must_suit_its_type(store, tmp_path):
    rows = [
        event(1, event_type="suspect_update_due", detail="arrest"),
        event(2, event_type="suspect_update_due", detail="charged"),
        event(3, detail="arrest"),
    ]
    result = store.send(write_csv(tmp_path / "events.csv", rows))
    assert [(e.row, e.column) for e in result.first_errors] == [(2, "detail"), (3, "detail")]


def test_returns_numbers_and_period(store, tmp_path):
    rows = [
        return_row(),
        return_row(metric="R3.confirmation_5wd", numerator="11"),
        return_row(metric="R4.referral_2wd", period="2025 Q1"),
        return_row(metric="R4.needs_assessed", denominator="ten"),
    ]
    result = store.send(write_csv(tmp_path / "returns.csv", rows))
    assert [(e.row, e.column) for e in result.first_errors] == [
        (2, "numerator"),
        (3, "period"),
        (4, "denominator"),
    ]
    assert store.query("SELECT period, numerator, denominator FROM returns") == [("2025-26 Q1", 8, 10)]


def test_returns_counts_have_a_ceiling(store, tmp_path):
    rows = [
        return_row(numerator="2147483647", denominator="2147483647"),
        return_row(metric="R3.confirmation_5wd", numerator="1", denominator="999999999999999999"),
    ]
    result = store.send(write_csv(tmp_path / "returns.csv", rows))
    assert errors_of(result) == [(2, "denominator", "is larger than 2,147,483,647")]


def test_a_jjn_must_be_one_and_is_stored_in_its_written_form(store, tmp_path):
    events = [
        event(1, jjn="jj 7kda 94fx hmqf"),
        event(2, jjn="garbage-jjn"),
        event(3, jjn="JJ-7KDA-94FX-HMQG"),  # one character mistyped: the check character catches it
    ]
    result = store.send(write_csv(tmp_path / "events.csv", events))
    assert [(e.row, e.column, e.value) for e in result.first_errors] == [
        (2, "jjn", "garbage-jjn"),
        (3, "jjn", "JJ-7KDA-94FX-HMQG"),
    ]
    assert result.first_errors[0].reason.startswith("is not a Justice Journey Number")
    assert store.query("SELECT event_id, jjn FROM events_versions") == [("E1", "JJ-7KDA-94FX-HMQF")]
    victims = store.send(write_csv(tmp_path / "victims.csv", [victim(1, jjn="not-a-jjn"), victim(2)]))
    assert [(e.row, e.column) for e in victims.first_errors] == [(1, "jjn")]
    assert "P1" not in store.vault


# JJ-7KDA-94FX-HMQF as it may be copied from a document or typed on another keyboard.
JJN_WRITTEN_OTHERWISE = [
    "JJ-7KDA-94FX-\u200bHMQF",  # a zero-width space
    "\uff2a\uff2a\uff0d\uff17\uff2b\uff24\uff21\uff0d\uff19\uff14\uff26\uff38\uff0d\uff28\uff2d\uff31\uff26",  # full width
    "JJ\u00a07KDA\u00a094FX\u00a0HMQF",  # non-breaking spaces
    "JJ\u20137KDA\u201394FX\u2013HMQF",  # en dashes
]


def test_a_jjn_in_a_file_is_read_as_jjn_check_reads_it(store, tmp_path):
    assert [jjn.display(value) for value in JJN_WRITTEN_OTHERWISE] == ["JJ-7KDA-94FX-HMQF"] * 4
    events = [event(n, jjn=value) for n, value in enumerate(JJN_WRITTEN_OTHERWISE, start=1)]
    result = store.send(write_csv(tmp_path / "events.csv", events))
    assert (result.accepted, result.rejected) == (4, 0)
    assert store.query("SELECT DISTINCT jjn FROM events_versions") == [("JJ-7KDA-94FX-HMQF",)]
    victims = [victim(n, jjn=value) for n, value in enumerate(JJN_WRITTEN_OTHERWISE, start=1)]
    result = store.send(write_csv(tmp_path / "victims.csv", victims))
    assert (result.accepted, result.rejected) == (4, 0)
    assert {store.vault[f"P{n}"] for n in range(1, 5)} == {"JJ-7KDA-94FX-HMQF"}


def test_a_refused_jjn_is_said_to_be_malformed_or_to_fail_its_check(store, tmp_path):
    events = [
        event(1, jjn="JJ-7KDA-94FX-HMQD"),
        event(2, jjn="JJ\u00a07KDA\u00a094FX\u00a0HMQD"),
        event(3, jjn="JJ-7KDA-94FX-HMQ"),
        event(4, jjn="JJ-7KDA-94FX-HMQO"),
    ]
    result = store.send(write_csv(tmp_path / "events.csv", events))
    wrong_check = (
        "is not a Justice Journey Number: the check character is wrong — a character may be mistyped"
    )
    malformed = "is not a Justice Journey Number (JJ and 12 characters, such as JJ-7KDA-94FX-HMQF)"
    assert errors_of(result) == [
        (1, "jjn", wrong_check),
        (2, "jjn", wrong_check),
        (3, "jjn", malformed),
        (4, "jjn", malformed),
    ]


VALID_POSTCODES = ["BS1 4DJ", "bs14dj", " sw1a  1aa ", "Ec1A 1bB", "M1 1AE", "W1A 0AX", "DN55 1PT", "GIR 0AA"]
WRONG_POSTCODES = [
    "BS1",
    "BS1 4D",
    "12345",
    "ABC 123",
    "BS1 4DJX",
    "BS1 4DJ X",
    "B$1 4DJ",
    "BS1 ADJ",
    "SW1AA 1AA",
]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_postcode_must_be_a_uk_postcode_in_any_spacing_or_case_and_is_never_repeated(store, tmp_path, kind):
    postcodes = VALID_POSTCODES + WRONG_POSTCODES
    rows = [victim(n, postcode=postcode) for n, postcode in enumerate(postcodes, start=1)]
    result = send_as(store, tmp_path, kind, "victims", rows)

    wrong = range(len(VALID_POSTCODES) + 1, len(postcodes) + 1)
    assert [(e.row, e.column, e.value) for e in result.first_errors] == [(n, "postcode", "") for n in wrong]
    assert {e.reason for e in result.first_errors} == {
        "is not a UK postcode (value not shown: personal data)"
    }
    assert result.accepted == len(VALID_POSTCODES)
    # Stored as written: the vault compares postcodes in its own normal form.
    assert [r["postcode"] for r in store.registered] == VALID_POSTCODES
    report = result.report_csv.read_text()
    for postcode in WRONG_POSTCODES:
        assert postcode not in report


def test_personal_values_are_never_repeated_in_errors(store, tmp_path):
    result = store.send(write_csv(tmp_path / "victims.csv", [victim(1, date_of_birth="17/05/1980")]))
    [error] = result.first_errors
    assert (error.column, error.value) == ("date_of_birth", "")
    assert "personal data" in error.reason
    assert "17/05/1980" not in result.report_csv.read_text()


def test_a_victims_row_repeats_only_its_references_in_errors(store, tmp_path):
    rows = [
        victim(1, sex="Ms Carolyn Freetextlady"),
        victim(2, ethnicity="Apimina Jsonbury DOB 1985", disability="maybe"),
        victim(3, jjn="JJ-NOT-A-NUMBER"),
    ]
    result = store.send(write_csv(tmp_path / "victims.csv", rows))
    shown = {(e.row, e.column): e.value for e in result.first_errors}
    assert shown == {
        (1, "sex"): "",
        (2, "ethnicity"): "",
        (2, "disability"): "",
        (3, "jjn"): "JJ-NOT-A-NUMBER",
    }
    report = result.report_csv.read_text()
    for value in ("Freetextlady", "Jsonbury", "maybe"):
        assert value not in report
    # Other tables' codes are shown back as sent.
    crimes = store.send(write_csv(tmp_path / "crimes.csv", [crime(1, offence_group="Freetext")]))
    assert [(e.column, e.value) for e in crimes.first_errors] == [("offence_group", "Freetext")]


def test_whitespace_is_what_python_calls_whitespace_and_nothing_else():
    import duckdb

    from analytics.ingest.validate import blank_as_empty_sql

    blank = [chr(code) for code in range(0x3001) if chr(code).isspace()]
    # Not whitespace: a zero-width space, a word joiner, a letter, NUL's neighbour, and text around spaces.
    kept = ["\u200b", "\u2060", "a", "\x01", "\u00a0x", " x ", "-", "!"]
    values = [*blank, " ".join(blank), *kept]
    con = duckdb.connect()
    found = con.execute(f"SELECT [{blank_as_empty_sql('v')} FOR v IN ?]", [values]).fetchone()[0]
    assert found == [None] * (len(blank) + 1) + kept
