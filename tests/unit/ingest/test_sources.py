"""Files as bodies send them: encodings, quoting, Excel and Parquet, and the rejected-rows report."""

import csv
from datetime import datetime

import pytest

from analytics.ingest import FileRejected, ingest, open_connection, table_schema
from tests.factories.journeys import HEADERS, crime, victim, write_csv, write_parquet, write_xlsx


def test_utf8_with_byte_order_mark_is_read(store, tmp_path):
    result = store.send(write_csv(tmp_path / "crimes.csv", [crime(1)], encoding="utf-8-sig"))
    assert result.accepted == 1


def test_latin1_file_is_refused_naming_the_first_row_and_column_that_is_not_utf8(store, tmp_path):
    rows = [
        crime(1),
        crime(2, offence_group="violence", crime_ref="Caf\u00e9-2"),
        crime(3, person_ref="Zo\u00eb"),
    ]
    path = write_csv(tmp_path / "crimes.csv", rows, encoding="latin-1")
    with pytest.raises(
        FileRejected, match="not UTF-8 encoded: row 2, column crime_ref, has a character that is not"
    ):
        store.send(path)
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_header_that_is_not_utf8_is_named(store, tmp_path):
    path = tmp_path / "crimes.csv"
    path.write_bytes("crime_ref,force,caf\u00e9\n".encode("latin-1"))
    with pytest.raises(FileRejected, match="its header row has a character that is not"):
        store.send(path)


def test_utf16_file_is_refused(store, tmp_path):
    with pytest.raises(FileRejected, match="UTF-16"):
        store.send(write_csv(tmp_path / "crimes.csv", [crime(1)], encoding="utf-16"))


def test_quoted_line_break_does_not_start_a_row(store, tmp_path):
    rows = [crime(1, crime_ref="C1\nsecond line"), crime(2, offence_group="nonsense")]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows))
    assert [(e.row, e.column) for e in result.first_errors] == [(2, "offence_group")]
    assert store.query("SELECT crime_ref FROM crimes") == [("C1\nsecond line",)]


def test_row_with_too_many_values_rejects_the_file(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)])
    with path.open("a") as handle:
        handle.write("C2,E23000036,P2,violence,2025-04-01T10:00,2025-04-01T12:00,N,,N,,,extra\n")
    with pytest.raises(
        FileRejected,
        match=r"not well-formed CSV: row 2 \(line 3 of the file\) has 12 values where the header has 11",
    ):
        store.send(path)
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_row_of_one_value_is_named_as_one_value(store, tmp_path):
    path = tmp_path / "crimes.csv"
    path.write_text(write_csv(path, [crime(1)]).read_text() + "Total\n")
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    assert "row 2 (line 3 of the file) has 1 value where the header has 11 " in refused.value.reason


@pytest.mark.parametrize(
    ("extra", "values"), [(",", 12), (",,,", 14), (',""', 12)], ids=["one", "three", "quoted"]
)
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_row_with_extra_empty_values_at_its_end_rejects_the_file(store, tmp_path, extra, values, ending):
    path = tmp_path / "crimes.csv"
    lines = write_csv(path, [crime(1), crime(2), crime(3)]).read_text().splitlines()
    assert lines[2].endswith(",,")  # row 2 ends with two empty values of its own, as it should
    lines[2] += extra
    path.write_text(ending.join(lines) + ending, newline="")
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    assert refused.value.reason == (
        f"the file is not well-formed CSV: row 2 (line 3 of the file) has {values} values where the header has 11 "
        "(each row must have as many values as the header, and quotes must be closed)"
    )
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_empty_values_are_empty_however_they_are_written(store, tmp_path):
    path = tmp_path / "crimes.csv"
    lines = (
        write_csv(path, [crime(1, outcome_type="1", domestic_abuse=""), crime(2)]).read_text().splitlines()
    )
    lines[1] = lines[1].replace(",,1,", ',"",1,')  # a quoted empty value
    path.write_text("\n".join(lines) + "\n\n")  # and a blank line at the end
    result = store.send(path)
    assert (result.accepted, result.first_errors) == (2, [])
    stored = store.query("SELECT domestic_abuse, enhanced_reason FROM crimes ORDER BY crime_ref")
    assert stored == [(None, None), ("N", None)]


def test_a_quote_left_open_names_its_row_and_never_repeats_a_value(store, tmp_path):
    path = write_csv(tmp_path / "victims.csv", [victim(1), victim(2), victim(3)])
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = '"' + lines[2]  # row 2 opens a quote it never closes
    path.write_text("".join(lines))
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    message = str(refused.value)
    assert "row 2 (from line 3 of the file) has a quote that is not closed" in message
    for personal in ("Alex", "Morgan", "1980-05-17", "BS1 4DJ"):
        assert personal not in message


@pytest.mark.parametrize("table", ["victims", "crimes"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_broken_row_deep_in_a_large_file_is_refused_the_same_way(store, tmp_path, table, dry_run):
    make = victim if table == "victims" else crime
    path = write_csv(tmp_path / f"{table}.csv", [make(n) for n in range(1, 5001)])
    with path.open("a") as handle:
        handle.write("P9999,Ren,Name\n")
    with pytest.raises(FileRejected) as refused:
        store.send(path, dry_run=dry_run)
    message = str(refused.value)
    assert "row 5001 (line 5002 of the file) has 3 values where the header has" in message
    assert "Ren" not in message and "P9999" not in message
    assert store.query(f"SELECT count(*) FROM {table}") == [(0,)]


def test_a_parquet_file_with_damaged_pages_is_refused(store, tmp_path):
    path = write_parquet(tmp_path / "crimes.parquet", [crime(n) for n in range(1, 2001)], table="crimes")
    data = bytearray(path.read_bytes())
    data[200:4000] = bytes(3800)  # the footer survives; the pages it points to do not
    path.write_bytes(bytes(data))
    with pytest.raises(FileRejected, match="cannot be read as Parquet"):
        store.send(path)
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_parquet_file_naming_a_column_twice_is_refused_naming_it(store, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(crime(1))
    table = pa.table([pa.array([crime(1)[name]]) for name in columns] + [pa.array(["E23000036"])],
                     names=[*columns, "force"])  # fmt: skip
    pq.write_table(table, tmp_path / "crimes.parquet")
    with pytest.raises(FileRejected, match="names these columns more than once: force"):
        store.send(tmp_path / "crimes.parquet")


def test_parquet_booleans_are_read_as_y_and_n(store, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [crime(1), crime(2)]
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    columns["domestic_abuse"] = [True, False]
    columns["enhanced_rights"] = [False, False]
    pq.write_table(pa.table(columns), tmp_path / "crimes.parquet")
    result = store.send(tmp_path / "crimes.parquet")
    assert (result.accepted, result.rejected) == (2, 0)
    stored = store.query("SELECT crime_ref, domestic_abuse, enhanced_rights FROM crimes ORDER BY crime_ref")
    assert stored == [("C1", "Y", "N"), ("C2", "N", "N")]


def test_a_csv_with_old_mac_line_endings_is_refused_saying_so(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)])
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
    with pytest.raises(FileRejected, match="carriage return alone"):
        store.send(path)


def test_blank_lines_are_not_counted_as_rows(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)])
    text = path.read_text().splitlines(keepends=True)
    path.write_text(text[0] + "\n" + text[1] + text[2].rstrip("\n") + ",extra\n")
    with pytest.raises(FileRejected, match=r"row 2 \(line 4 of the file\) has 12 values"):
        store.send(path)


def test_empty_file_is_refused(store, tmp_path):
    (tmp_path / "crimes.csv").write_bytes(b"")
    with pytest.raises(FileRejected, match="empty"):
        store.send(tmp_path / "crimes.csv")


def test_other_file_types_are_refused(store, tmp_path):
    (tmp_path / "crimes.txt").write_text("hello")
    with pytest.raises(FileRejected, match="CSV, XLSX or Parquet"):
        store.send(tmp_path / "crimes.txt")


def test_xlsx_with_real_dates_and_times(store, tmp_path):
    rows = [
        crime(1, reported_at=datetime(2025, 7, 1, 12, 0), recorded_at="2025-07-01T13:00", outcome_type=1),
        crime(2, offence_group="nonsense"),
    ]
    result = store.send(write_xlsx(tmp_path / "crimes.xlsx", rows, table="crimes"))
    assert (result.accepted, result.rejected) == (1, 1)
    assert result.first_errors[0].row == 2
    [(reported_at, outcome)] = store.query("SELECT strftime(reported_at, '%H:%M'), outcome_type FROM crimes")
    assert (reported_at, outcome) == ("11:00", "1")  # Excel times are London local time


@pytest.mark.parametrize("zone", [None, "UTC"], ids=["naive", "with a time zone"])
def test_parquet_timestamp_columns_are_taken_at_their_own_precision(store, tmp_path, zone):
    """A typed timestamp is not text: the rule on how one is written (at most milliseconds) is not for it, and
    sending the same file again changes nothing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [crime(1), crime(2)]
    columns = {name: [row[name] or None for row in rows] for name in rows[0]}
    instants = [datetime(2025, 7, 1, 12, 0, 0, 123456), datetime(2025, 12, 1, 23, 59, 59)]
    columns["reported_at"] = pa.array(instants, pa.timestamp("us", tz=zone))
    columns["recorded_at"] = pa.array(instants, pa.timestamp("ms", tz=zone))
    pq.write_table(pa.table(columns), tmp_path / "crimes.parquet")

    result = store.send(tmp_path / "crimes.parquet")
    assert (result.accepted, result.first_errors) == (2, [])
    stored = store.query(
        "SELECT strftime(reported_at, '%Y-%m-%dT%H:%M:%S.%f'), strftime(recorded_at, '%Y-%m-%dT%H:%M:%S.%f') "
        "FROM crimes ORDER BY crime_ref"
    )
    # Naive timestamps are UK local time (British Summer Time in July), as naive text is.
    summer = "11" if zone is None else "12"
    assert stored == [
        (f"2025-07-01T{summer}:00:00.123456", f"2025-07-01T{summer}:00:00.123000"),
        ("2025-12-01T23:59:59.000000", "2025-12-01T23:59:59.000000"),
    ]
    again = store.send(tmp_path / "crimes.parquet")
    assert (again.accepted, again.unchanged, again.corrected) == (0, 2, 0)


def test_xlsx_date_time_cells_with_seconds_and_milliseconds(store, tmp_path):
    rows = [
        crime(
            1,
            reported_at=datetime(2025, 12, 1, 9, 30, 15),
            recorded_at=datetime(2025, 12, 1, 23, 59, 59, 500000),
        ),
    ]
    result = store.send(write_xlsx(tmp_path / "crimes.xlsx", rows, table="crimes"))
    assert (result.accepted, result.first_errors) == (1, [])
    stored = store.query(
        "SELECT strftime(reported_at, '%H:%M:%S'), strftime(recorded_at, '%H:%M:%S.%g') FROM crimes"
    )
    assert stored == [("09:30:15", "23:59:59.500")]


def test_parquet_file(store, tmp_path):
    result = store.send(write_parquet(tmp_path / "crimes.parquet", [crime(1), crime(2)], table="crimes"))
    assert result.accepted == 2


def test_formula_like_text_is_stored_as_text_and_escaped_in_the_report(store, tmp_path):
    rows = [crime(1, crime_ref="=HYPERLINK(1)"), crime(2, crime_ref="@SUM(A1)", offence_group="+cmd")]
    result = store.send(write_csv(tmp_path / "crimes.csv", rows))
    assert store.query("SELECT crime_ref FROM crimes") == [("=HYPERLINK(1)",)]
    with result.report_csv.open() as handle:
        report = list(csv.DictReader(handle))
    assert list(report[0]) == ["file", "row", "column", "value", "reason"]
    assert report[0]["value"] == "'+cmd"


def test_api_records_may_leave_out_optional_fields(store, tmp_path):
    from analytics.ingest import ingest, open_connection, table_schema

    records = [{k: v for k, v in crime(1).items() if v != ""}]
    con = open_connection(tmp_path / "work")
    result = ingest(
        con,
        records=records,
        file_name="api",
        schema=table_schema(store.standard, "crimes"),
        body="E23000036",
        submission=99,
        lake_dir=store.lake,
        work_dir=tmp_path / "work",
    )
    assert result.accepted == 1


def test_xlsx_blank_rows_keep_the_row_numbers_of_the_sheet(store, tmp_path):
    rows = [crime(1), {}, crime(3, offence_group="nonsense")]
    result = store.send(write_xlsx(tmp_path / "crimes.xlsx", rows, table="crimes"))
    assert (result.accepted, result.rejected) == (1, 1)
    assert [e.row for e in result.first_errors] == [3]


@pytest.mark.parametrize(
    "value", ["x" * 2_500_000, "x\n" * 1_250_000], ids=["one line", "quoted line breaks"]
)
def test_a_row_longer_than_the_limit_is_refused_naming_the_row_and_the_limit(store, tmp_path, value):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2), crime(3, offence_group=value), crime(4)])
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    assert refused.value.reason == (
        "the file is not well-formed CSV: row 3 (from line 4 of the file) is longer than 2,000,000 bytes, the "
        "most a row may hold (a quote that is not closed makes the rest of the file one row)"
    )
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_file_not_utf8_with_a_long_value_before_the_wrong_character_names_its_row_and_column(
    store, tmp_path
):
    rows = [crime(1), crime(2, offence_group="y" * 200_000), crime(3, crime_ref="Caf\u00e9")]
    path = write_csv(tmp_path / "crimes.csv", rows, encoding="latin-1")
    with pytest.raises(
        FileRejected, match="not UTF-8 encoded: row 3, column crime_ref, has a character that is not"
    ):
        store.send(path)
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_nul_byte_deep_in_a_csv_refuses_the_file_naming_its_row_and_column(store, tmp_path):
    rows = [crime(n) for n in range(1, 20_001)]  # well past the first mebibyte
    rows.append(crime(20_001, crime_ref="AUDN/x\x00y"))
    path = write_csv(tmp_path / "crimes.csv", rows)
    assert path.stat().st_size > 1 << 20
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    assert refused.value.reason == (
        "the file contains NUL bytes (zero bytes), so it is not a text CSV file: the first is in row 20001, "
        "column crime_ref"
    )
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


def test_a_nul_byte_near_the_start_of_a_csv_names_its_row(store, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, offence_group="viol\x00ence")])
    with pytest.raises(FileRejected, match=r"the first is in row 2, column offence_group$"):
        store.send(path)


def test_a_nul_character_in_a_parquet_text_column_refuses_the_file_naming_its_row_and_column(store, tmp_path):
    rows = [crime(1), crime(2), crime(3, crime_ref="AUDN/x\x00y")]
    path = write_parquet(tmp_path / "crimes.parquet", rows, table="crimes")
    with pytest.raises(FileRejected) as refused:
        store.send(path)
    assert refused.value.reason == (
        "row 3, column crime_ref, holds a NUL character (a zero byte): a value must be text, and text never "
        "holds one"
    )
    assert store.query("SELECT count(*) FROM crimes") == [(0,)]


@pytest.mark.parametrize("damage", ["not parquet", "damaged pages"])
def test_a_parquet_file_that_cannot_be_read_is_named_as_sent_never_by_where_the_server_keeps_it(
    store, tmp_path, damage
):
    kept = tmp_path / "server-scratch" / "submitted.parquet"
    kept.parent.mkdir()
    if damage == "not parquet":
        kept.write_bytes(b"PAR1" + b"x" * 100)
    else:
        write_parquet(kept, [crime(n) for n in range(1, 2001)], table="crimes")
        data = bytearray(kept.read_bytes())
        data[200:4000] = bytes(3800)
        kept.write_bytes(bytes(data))
    con = open_connection(tmp_path / "work")
    with pytest.raises(FileRejected) as refused:
        ingest(
            con,
            path=kept,
            file_name="crimes-x.parquet",
            schema=table_schema(store.standard, "crimes"),
            body="E23000036",
            submission=1,
            lake_dir=store.lake,
            work_dir=tmp_path / "work",
        )
    assert refused.value.reason.startswith("the file cannot be read as Parquet (")
    assert str(tmp_path) not in refused.value.reason and "submitted" not in refused.value.reason
    if damage == "not parquet":
        assert "'crimes-x.parquet'" in refused.value.reason


def test_a_file_holding_only_a_byte_order_mark_is_refused_as_empty(store, tmp_path):
    (tmp_path / "crimes.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(FileRejected) as refused:
        store.send(tmp_path / "crimes.csv")
    assert refused.value.reason == "the file is empty: it has no header row"


@pytest.mark.parametrize("layout", ["data on the second sheet", "a title above the header"])
def test_a_workbook_whose_header_is_not_the_first_row_of_the_first_sheet_says_where_it_must_be(
    store, tmp_path, layout
):
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    if layout == "data on the second sheet":
        first.append(["Notes: crimes for June, sent by Alex Morgan"])
        data = workbook.create_sheet("Data")
    else:
        first.append(["Crimes for June, sent by Alex Morgan"])
        first.append([])
        data = first
    data.append(HEADERS["crimes"])
    data.append([crime(1)[name] or None for name in HEADERS["crimes"]])
    workbook.save(tmp_path / "crimes.xlsx")
    with pytest.raises(FileRejected) as refused:
        store.send(tmp_path / "crimes.xlsx")
    reason = refused.value.reason
    assert "only the first sheet of a workbook is read, and its first row must be the header" in reason
    assert "Alex" not in reason


def test_a_workbook_with_more_rows_than_the_limit_is_refused_before_it_is_read(store, tmp_path, monkeypatch):
    from analytics.ingest import sources

    monkeypatch.setattr(sources, "MAX_XLSX_ROWS", 4)  # the header and three rows
    assert (
        store.send(
            write_xlsx(tmp_path / "crimes.xlsx", [crime(n) for n in range(1, 4)], table="crimes")
        ).accepted
        == 3
    )
    path = write_xlsx(tmp_path / "crimes-more.xlsx", [crime(n) for n in range(1, 5)], table="crimes")
    with pytest.raises(FileRejected) as refused:
        store.send(path, table="crimes")
    assert refused.value.reason.startswith(
        "the first sheet has more than 4 rows (the header included), the most a workbook may have, since it is "
        "read whole into memory: send a larger file as CSV or Parquet"
    )


def test_a_workbook_whose_last_cell_is_far_below_its_rows_is_counted_to_that_cell(
    store, tmp_path, monkeypatch
):
    from openpyxl import Workbook

    from analytics.ingest import sources

    monkeypatch.setattr(sources, "MAX_XLSX_ROWS", 100)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS["crimes"])
    sheet.append([crime(1)[name] or None for name in HEADERS["crimes"]])
    sheet["A5000"] = "stray"  # the sheet spans 5,000 rows, each held in memory
    workbook.save(tmp_path / "crimes.xlsx")
    with pytest.raises(FileRejected, match="more than 100 rows"):
        store.send(tmp_path / "crimes.xlsx")


def _victims_parquet_with_a_damaged_name(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = b"Parquetina Bytesworth \xff\xfe"
    given = pa.Array.from_buffers(
        pa.string(),
        1,
        [None, pa.py_buffer(bytes([0, 0, 0, 0]) + len(name).to_bytes(4, "little")), pa.py_buffer(name)],
    )
    row = victim(1)
    columns = {column: pa.array([row[column] or None], pa.string()) for column in HEADERS["victims"]}
    columns["given_name"] = given
    pq.write_table(pa.table(columns), path)
    return path


def _victims_workbook_with_a_name_in_a_boolean_cell(path):
    import re
    import zipfile

    write_xlsx(path, [victim(1, given_name="placeholder")], table="victims")
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[HEADERS["victims"].index("given_name")]
    with zipfile.ZipFile(path) as workbook:
        parts = {name: workbook.read(name) for name in workbook.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    parts[sheet] = re.sub(
        rf'<c r="{column}2"[^>]*>.*?</c>'.encode(),
        f'<c r="{column}2" t="b"><v>Calaminia Sheetworth</v></c>'.encode(),
        parts[sheet],
    )
    with zipfile.ZipFile(path, "w") as workbook:
        for name, data in parts.items():
            workbook.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "damaged",
    [
        lambda folder: _victims_parquet_with_a_damaged_name(folder / "victims.parquet"),
        lambda folder: _victims_workbook_with_a_name_in_a_boolean_cell(folder / "victims.xlsx"),
    ],
    ids=["parquet text that is not UTF-8", "workbook cell of a wrong type"],
)
def test_a_file_that_cannot_be_read_is_refused_without_quoting_its_values(store, tmp_path, damaged):
    with pytest.raises(FileRejected) as refused:
        store.send(damaged(tmp_path))
    assert "(value not shown)" in refused.value.reason
    assert "Parquetina" not in refused.value.reason and "Calaminia" not in refused.value.reason
    assert store.vault == {}
