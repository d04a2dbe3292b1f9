"""Turns a submitted file (CSV, XLSX, Parquet) or a list of JSON records into one DuckDB view.

The view, `raw_input`, has the file's columns as VARCHAR (an empty cell is NULL; a value of only whitespace is
made empty where it is checked, `validate.blank_as_empty_sql`) and `_row`, the 1-based number of the data
record (for CSV, left empty and numbered as the rows stream out, see `numbered_in_order`).
CSV and Parquet are read by DuckDB as a stream. An XLSX workbook's first sheet is read whole into memory by
python-calamine (which cannot read a sheet in parts; openpyxl's streaming reader is twenty times slower), so a
sheet over MAX_XLSX_ROWS rows is refused before it is read; its rows are then copied to a Parquet scratch file.
"""

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.ingest.errors import FileRejected
from analytics.ingest.schema import TableSchema

RAW_VIEW = "raw_input"
FORMATS = ("csv", "xlsx", "parquet")
_XLSX_BATCH = 50_000
# The most rows (the header included) the first sheet of a workbook may have: python-calamine holds the whole
# sheet in memory: a dry run of a 200,000-row crimes sheet peaks at about 410 MB, one of 400,000 rows at 540 MB
# (refused now in under two seconds, at about 210 MB).
MAX_XLSX_ROWS = 200_000
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileRejected(
            f"files must be CSV, XLSX or Parquet; this file ends in '.{suffix or '(nothing)'}'"
        )
    return suffix


def table_from_name(name: str, tables: Iterable[str]) -> str | None:
    """The table a file name starts with (`crimes-2025-06.csv` is a crimes file), if any."""
    stem = Path(name).name.lower()
    for table in sorted(tables, key=len, reverse=True):
        if re.match(rf"{re.escape(table)}(?![a-z])", stem):
            return table
    return None


def other_separator(header: Sequence[str], names: Iterable[str]) -> str | None:
    """Why a CSV header naming none of `names` is refused when one of its names holds them: the file was saved
    with another separator (Excel does so in some languages). None otherwise."""
    expected = set(names)
    if set(header) & expected:
        return None
    for separator, called in ((";", "semicolons"), ("\t", "tabs")):
        if any({part.strip() for part in name.split(separator)} & expected for name in header):
            return (
                f"its columns are separated by {called}, not commas; save it as 'CSV UTF-8 (comma delimited)' "
                "and send it again"
            )
    return None


def how_many_values(count: int) -> str:
    """`1 value`, `3 values`: for a row whose number of values is not the header's."""
    return f"{count} value{'' if count == 1 else 's'}"


def check_header(
    header: list[str], schema: TableSchema, *, allow_missing: bool = False, workbook: bool = False
) -> None:
    """Refuses a header that does not fit `schema`; `workbook`: it is the first row of a workbook's first sheet."""
    if not set(header) & set(schema.names):
        refusal = other_separator(header, schema.names)
        if refusal is not None:
            raise FileRejected(refusal)
        # Most likely a file with no header row: its first row is data (a victim's name and date of birth),
        # which a refusal must not repeat.
        names = ", ".join(column.name for column in schema.columns)
        where = (
            " (only the first sheet of a workbook is read, and its first row must be the header: put the data on "
            "the first sheet, with nothing above its header)"
            if workbook
            else ""
        )
        raise FileRejected(
            f"the first row names none of the columns of the {schema.name} table of the minimum dataset version "
            f"{schema.version}, so it is not a header (is the header row missing?){where}: the first row must name "
            f"the columns, {names}; the names it held are not shown, in case they are data"
        )
    if any(not name for name in header):
        raise FileRejected("the header row has an empty column name")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise FileRejected(f"the header names these columns more than once: {', '.join(repeated)}")
    unknown = [name for name in header if name not in schema.names]
    # A column required in every row must be there. One that is optional, or required only in some rows (when
    # another column has a value, or is empty), may be left out: it reads as empty, and each row that needs it
    # is refused, naming the row and the column. API records may leave any field out: a record's missing
    # required field is then a row error.
    missing = (
        []
        if allow_missing
        else [column.name for column in schema.columns if column.name not in header and column.required]
    )
    problems = []
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    if problems:
        raise FileRejected(
            f"the header does not match the {schema.name} table of the minimum dataset "
            f"version {schema.version}: {'; '.join(problems)}"
        )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Loaded:
    """What `load` found: the file's header, and the columns it held as typed timestamps (a Parquet TIMESTAMP
    column), which `raw_input` gives as text at their own precision, to the microsecond: they were never
    written by hand, so the rule on how a timestamp is written does not apply to them."""

    header: list[str]
    typed_timestamps: frozenset[str] = frozenset()


def load(
    con: duckdb.DuckDBPyConnection, path: Path, schema: TableSchema, work_dir: Path, name: str | None = None
) -> Loaded:
    """Creates the `raw_input` view over the file at `path` (sent as `name`, which a refusal may quote rather
    than where the file is kept). Raises FileRejected."""
    kind = file_format(path.name)
    if kind == "csv":
        return Loaded(_load_csv(con, path, schema))
    if kind == "xlsx":
        return Loaded(_load_xlsx(con, path, schema, work_dir))
    return _load_parquet(con, path, schema, name or path.name)


def _read_csv_header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            "the file is UTF-16 encoded; save it as 'CSV UTF-8 (comma delimited)' and send it again"
        )
    if not head.removeprefix(b"\xef\xbb\xbf").strip():  # a byte-order mark alone is an empty file too
        raise FileRejected("the file is empty: it has no header row")
    _refuse_nul(path)  # anywhere in the file: DuckDB would read a NUL into a value
    if b"\r" in head and b"\n" not in head:
        raise FileRejected(
            "its lines end with a carriage return alone (an old Mac format); "
            "save it as 'CSV UTF-8 (comma delimited)' and send it again"
        )
    text = head.decode("utf-8-sig", errors="replace")
    if "\ufffd" in text.split("\n", 1)[0]:
        raise FileRejected(
            "the file is not UTF-8 encoded: its header row has a character that is not; "
            "save it as 'CSV UTF-8 (comma delimited)' and send it again"
        )
    try:
        header = next(csv.reader(io.StringIO(text)))
    except (csv.Error, StopIteration) as error:
        raise FileRejected(f"the header row cannot be read as CSV ({error})") from error
    return [name.strip() for name in header]


# Python's csv refuses a field over 131,072 characters unless told otherwise; a value may be longer (it is
# then rejected, and its report entry shortened). The largest limit a C long takes on every platform.
CSV_FIELD_LIMIT = 2**31 - 1


def lift_csv_field_limit() -> None:
    """Lets Python's csv read a field of any length: called before reading a report or a submitted file."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


# The most a CSV row (its lines, when a quoted value holds line breaks) may hold, as DuckDB reads it: far more
# than any row of the minimum dataset (eleven values of at most 200 characters), and a bound on what a row
# with a quote left open can make anything read before it is refused.
MAX_ROW_BYTES = 2_000_000


class _RowTooLong(Exception):
    pass


class _Lines:
    """The lines of a CSV file, decoded, for `csv.reader`: raises _RowTooLong once the row being read (the
    lines read since `next_row()`) holds more than MAX_ROW_BYTES, so memory stays bounded whatever the file."""

    def __init__(self, handle: BinaryIO, errors: str) -> None:
        self.handle = handle
        self.errors = errors
        self.size = 0
        self.first = True

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.handle.readline(MAX_ROW_BYTES + 1)
        if not line:
            raise StopIteration
        if self.first:
            line = line.removeprefix(b"\xef\xbb\xbf")
            self.first = False
        self.size += len(line)
        if self.size > MAX_ROW_BYTES:
            raise _RowTooLong
        return line.decode("utf-8", self.errors)

    def next_row(self) -> None:
        self.size = 0


_LONG_RULE = "the most a row may hold (a quote that is not closed makes the rest of the file one row)"


def _too_long(row: int | None, line: int) -> str:
    which = "the header row" if row is None else f"row {row} (from line {line} of the file)"
    return f"{which} is longer than {MAX_ROW_BYTES:,} bytes, {_LONG_RULE}"


def first_non_utf8(path: Path) -> tuple[int, str] | None:
    """The data row (counted from 1, as in the rejected-rows report) and the column of the first value that is
    not UTF-8, or None. Read as a stream, only when a file has already been found not to be UTF-8."""
    found = _first_value(path, "surrogateescape", _undecodable)
    return found if found is None or found[0] else None


def _first_value(path: Path, errors: str, wrong: Callable[[str], bool]) -> tuple[int, str] | None:
    """The row (0 for the header) and column of the first value of a CSV file for which `wrong` holds, or None
    (also when the file cannot be read so far). The file is read as a stream, each row bounded in size."""
    lift_csv_field_limit()  # a row is bounded by `_Lines`, not by Python's limit on one value
    with path.open("rb") as raw:
        lines = _Lines(raw, errors)
        rows = csv.reader(lines)
        try:
            header = next(rows, [])
            if any(wrong(name) for name in header):
                return 0, ""
            lines.next_row()
            for number, values in enumerate(rows, start=1):
                lines.next_row()
                for index, value in enumerate(values):
                    if wrong(value):
                        name = header[index].strip() if index < len(header) else ""
                        return number, name or f"column {index + 1}"
        except (_RowTooLong, csv.Error):
            return None
    return None


def _nul_in(path: Path) -> bool:
    """Whether the file holds a zero byte anywhere: read in blocks, a small part of the cost of reading it."""
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            if b"\x00" in block:
                return True
    return False


def _refuse_nul(path: Path) -> None:
    if not _nul_in(path):
        return
    found = _first_value(path, "replace", lambda value: "\x00" in value)
    where = ""
    if found is not None:
        where = (
            ": the first is in its header row"
            if not found[0]
            else f": the first is in row {found[0]}, column {found[1]}"
        )
    raise FileRejected(f"the file contains NUL bytes (zero bytes), so it is not a text CSV file{where}")


def _undecodable(text: str) -> bool:
    """Whether text read with `surrogateescape` holds a byte that was not UTF-8."""
    return any("\udc80" <= character <= "\udcff" for character in text)


def _csv_error(error: Exception, path: Path | None = None) -> FileRejected:
    message = str(error)
    if "unicode" in message.lower() or "utf-8" in message.lower():
        found = first_non_utf8(path) if path is not None else None
        where = f": row {found[0]}, column {found[1]}, has a character that is not" if found else ""
        return FileRejected(
            f"the file is not UTF-8 encoded{where} (for example, it was saved as 'CSV' rather than 'CSV UTF-8'); "
            "save it as 'CSV UTF-8 (comma delimited)' and send it again"
        )
    problem = malformed_row(path) if path is not None else None
    if problem is not None:
        rule = "" if problem.endswith(_LONG_RULE) else f" {_CSV_RULE}"
        return FileRejected(f"the file is not well-formed CSV: {problem}{rule}")
    # The parser's own words quote the row (personal data, in a victims file): only its line number is kept.
    line = re.search(r"Line: (\d+)", message)
    where = f" near line {line.group(1)} of the file" if line else ""
    if "maximum line size" in message.lower():
        return FileRejected(
            f"the file is not well-formed CSV: a row{where} is longer than {MAX_ROW_BYTES:,} bytes, {_LONG_RULE}"
        )
    return FileRejected(f"the file is not well-formed CSV{where} {_CSV_RULE}")


_CSV_RULE = "(each row must have as many values as the header, and quotes must be closed)"


def malformed_row(path: Path) -> str | None:
    """Where a CSV file first breaks the rules, in words that name the row and its line but never repeat a
    value, or None. Read as a stream, only when the file has already been refused as malformed."""
    lift_csv_field_limit()  # a row is bounded by `_Lines`, not by Python's limit on one value
    with path.open("rb") as raw:
        lines = _Lines(raw, "replace")
        rows = csv.reader(lines, strict=True)
        try:
            width = len(next(rows, []))
        except _RowTooLong:
            return _too_long(None, 1)
        except csv.Error:
            return "the header row cannot be read"
        number, line = 0, rows.line_num + 1
        while True:
            lines.next_row()
            try:
                values = next(rows)
            except StopIteration:
                return None
            except _RowTooLong:
                return _too_long(number + 1, line)
            except csv.Error:
                return (
                    f"row {number + 1} (from line {line} of the file) has a quote that is not closed, or is not "
                    "followed by a comma"
                )
            if values:  # a blank line is not a row
                number += 1
                if len(values) != width:
                    return (
                        f"row {number} (line {line} of the file) has {how_many_values(len(values))} where "
                        f"the header has {width}"
                    )
            line = rows.line_num + 1


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path, schema: TableSchema) -> list[str]:
    header = _read_csv_header(path)
    check_header(header, schema)
    columns = "{" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header) + "}"
    # DuckDB lets a row have more values than the header when the extra ones, at its end, are its null string:
    # with the usual one, empty, `a,b,c,` would pass for three values. A NUL is never a value (the file was
    # refused if it held one), so as the null string it makes every extra value an error, and an empty value is
    # made NULL here instead.
    source = (
        f"read_csv({literal(str(path))}, columns={columns}, header=true, auto_detect=false, delim=',', "
        "quote='\"', escape='\"', strict_mode=true, encoding='utf-8', null_padding=false, nullstr=chr(0), "
        f"max_line_size={MAX_ROW_BYTES})"
    )
    select = ", ".join(f"NULLIF({quote(name)}, '') AS {quote(name)}" for name in header)
    # `reading` turns the parse errors of the passes over the file into a refusal. Rows are numbered as they
    # stream out in file order (see `numbered_in_order`): a row_number() window here would force every pass
    # over the file onto one thread.
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RAW_VIEW} AS SELECT CAST(NULL AS BIGINT) AS _row, {select} FROM {source}"
    )
    return header


def numbered_in_order(kind: str) -> bool:
    """Whether `_row` of `raw_input` is left empty, for the reader to number rows in the order they come.

    DuckDB keeps a CSV file's order in a query's output (`preserve_insertion_order`), so the n-th row out
    of a scan with no join is the n-th record of the file.
    """
    return kind == "csv"


@contextmanager
def reading(kind: str, path: Path | None = None, name: str | None = None) -> Iterator[None]:
    """Around the first statement that reads `raw_input`: a CSV that cannot be parsed (encoding, a row with
    more or fewer values than the header, an unclosed quote) rejects the whole file, before anything is stored.
    """
    try:
        yield
    except (duckdb.InvalidInputException, OSError) as error:
        # Read through Arrow (the rows streamed past the first batches), DuckDB's error arrives as an OSError.
        if isinstance(error, OSError) and not str(error).startswith("Invalid Input Error"):
            raise
        if kind == "parquet":
            raise _parquet_error(error, path, name) from error
        if kind != "csv":
            raise
        raise _csv_error(error, path) from error


def _parquet_error(error: Exception, path: Path | None, name: str | None) -> FileRejected:
    """DuckDB's account of a Parquet file it cannot read, naming the file as it was sent, never where the
    server keeps it: `Failed to read file "<path>": Snappy decompression failure` is given as its cause, and
    `No magic bytes found at end of file '<path>'` names the file sent."""
    cause = str(error).splitlines()[0].rsplit('": ', 1)[-1]
    if path is not None:
        cause = cause.replace(str(path), _FILE).replace(str(path.parent), "")
    return FileRejected(
        f"the file cannot be read as Parquet ({without_values(cause).replace(_FILE, name or '')})"
    )


_FILE = "\x00file\x00"  # where the file's name goes back once values are taken out
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_AFTER_VALUE = re.compile(r"(\bvalue:)\s.*$", re.IGNORECASE)


def without_values(message: str) -> str:
    """A reading library's account of a file with the values it quotes taken out: a damaged cell's text may be a
    victim's name (`value "Ann Smith\\xFF" is not valid UTF8`, `Unrecognized boolean cell value: Ann Smith`)."""
    shown = _QUOTED.sub(lambda quoted: quoted[0] if _FILE in quoted[0] else "(value not shown)", message)
    return _AFTER_VALUE.sub(r"\1 (value not shown)", shown)


def _load_parquet(con: duckdb.DuckDBPyConnection, path: Path, schema: TableSchema, name: str) -> Loaded:
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))})").fetchall()
    except duckdb.Error as error:
        raise _parquet_error(error, path, name) from error
    header = [str(row[0]) for row in described]
    try:
        # DuckDB renames a repeated column (force, force_1); the file's own names are checked.
        check_header(pq.read_schema(path).names, schema)
    except (pa.ArrowException, OSError):
        check_header(header, schema)
    _refuse_parquet_nul(
        con, path, name, [str(row[0]) for row in described if str(row[1]).upper() == "VARCHAR"]
    )
    selects = []
    typed: set[str] = set()
    for name, column_type, *_ in described:
        kind = str(column_type).upper()
        if kind == "BOOLEAN":  # as in a workbook: true and false are Y and N
            expression = f"CASE WHEN {quote(name)} THEN 'Y' WHEN NOT {quote(name)} THEN 'N' END"
        elif kind == "TIMESTAMP WITH TIME ZONE":
            expression = f"strftime(timezone('UTC', {quote(name)}), '%Y-%m-%dT%H:%M:%S.%fZ')"
            typed.add(name)
        elif kind.startswith("TIMESTAMP"):
            expression = f"strftime({quote(name)}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%f')"
            typed.add(name)
        elif kind == "DATE":
            expression = f"strftime({quote(name)}, '%Y-%m-%d')"
        else:
            expression = f"NULLIF(CAST({quote(name)} AS VARCHAR), '')"
        selects.append(f"{expression} AS {quote(name)}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RAW_VIEW} AS SELECT file_row_number + 1 AS _row, {', '.join(selects)} "
        f"FROM read_parquet({literal(str(path))}, file_row_number=true)"
    )
    return Loaded(header, frozenset(typed))


def _refuse_parquet_nul(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, text_columns: list[str]
) -> None:
    """A value holding a NUL character refuses the file, naming the first row and column that has one."""
    if not text_columns:
        return
    tests = [f"contains({quote(name)}, chr(0))" for name in text_columns]
    which = " ".join(
        f"WHEN {test} THEN {literal(name)}" for test, name in zip(tests, text_columns, strict=True)
    )
    with reading("parquet", path, name):
        found = con.execute(
            f"SELECT file_row_number + 1, CASE {which} END FROM read_parquet({literal(str(path))}, "
            f"file_row_number=true) WHERE {' OR '.join(tests)} ORDER BY file_row_number LIMIT 1"
        ).fetchone()
    if found is not None:
        raise FileRejected(
            f"row {found[0]}, column {found[1]}, holds a NUL character (a zero byte): {_NUL_RULE}"
        )


_NUL_RULE = "a value must be text, and text never holds one"


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        text = value.replace(tzinfo=None).isoformat(
            timespec="milliseconds" if value.microsecond else "seconds"
        )
        return text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return text if text != "" else None


def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path, schema: TableSchema, work_dir: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    rows_held = _sheet_rows(path)
    if rows_held is not None and rows_held > MAX_XLSX_ROWS:
        raise FileRejected(
            f"the first sheet has more than {MAX_XLSX_ROWS:,} rows (the header included), the most a workbook may "
            "have, since it is read whole into memory: send a larger file as CSV or Parquet, which are read as a "
            "stream, or in several workbooks"
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = iter(sheet.iter_rows())
        header_cells = next(rows, None)
    except Exception as error:  # calamine raises its own error types for damaged workbooks
        raise FileRejected(
            f"the file cannot be read as an Excel workbook ({without_values(str(error))})"
        ) from error
    if header_cells is None:
        raise FileRejected("the first sheet is empty: it has no header row")
    header = [(_cell_text(cell) or "").strip() for cell in header_cells]
    while header and header[-1] == "":
        header.pop()
    check_header(header, schema, workbook=True)
    scratch = work_dir / "xlsx-rows.parquet"
    arrow_schema = pa.schema(
        [pa.field("_row", pa.int64()), *(pa.field(name, pa.string()) for name in header)]
    )
    with pq.ParquetWriter(scratch, arrow_schema) as writer:
        batch: list[list[Any]] = [[] for _ in range(len(header) + 1)]
        number = 0
        for cells in rows:
            number += 1  # rows keep their place in the sheet, blank ones included
            values = [_cell_text(cell) for cell in cells[: len(header)]]
            if len(cells) > len(header) and any(
                _cell_text(cell) is not None for cell in cells[len(header) :]
            ):
                raise FileRejected(f"row {number} has values to the right of the last named column")
            if all(value is None for value in values):
                continue  # a blank row carries nothing
            for name, value in zip(header, values, strict=False):
                if value is not None and "\x00" in value:
                    raise FileRejected(
                        f"row {number}, column {name}, holds a NUL character (a zero byte): {_NUL_RULE}"
                    )
            values += [None] * (len(header) - len(values))
            batch[0].append(number)
            for position, value in enumerate(values, start=1):
                batch[position].append(value)
            if len(batch[0]) == _XLSX_BATCH:
                writer.write_table(pa.table(batch, schema=arrow_schema))
                batch = [[] for _ in range(len(header) + 1)]
        writer.write_table(pa.table(batch, schema=arrow_schema))
    select = ", ".join(quote(name) for name in header)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {RAW_VIEW} AS SELECT _row, {select} "
        f"FROM read_parquet({literal(str(scratch))})"
    )
    return header


def _first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook holding its first sheet (in workbook order, as python-calamine reads it)."""
    workbook = archive.read("xl/workbook.xml")[: 1 << 20]
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"", workbook)
    if sheet is None:
        return None
    relations = archive.read("xl/_rels/workbook.xml.rels")[: 1 << 20]
    for relation in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", relations):
        if re.search(rb'\bId="' + re.escape(sheet.group(1)) + rb'"', relation):
            target = re.search(rb'\bTarget="([^"]+)"', relation)
            if target is None:
                return None
            name = target.group(1).decode("utf-8", "replace")
            return name.lstrip("/") if name.startswith("/") else f"xl/{name}"
    return None


def _sheet_rows(path: Path) -> int | None:
    """How many rows the workbook's first sheet spans (its last row's number, or how many it has if more),
    counted from its XML as a stream and no further than just past MAX_XLSX_ROWS; None when the workbook is
    not laid out as expected (python-calamine then reads it, or refuses it as damaged)."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _first_sheet_member(archive)
            if member is None or member not in archive.namelist():
                return None
            count = last = 0
            tail = b""
            with archive.open(member) as sheet:
                while block := sheet.read(1 << 22):
                    text = tail + block
                    cut = text.rfind(b"<")
                    text, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
                    for attributes in _ROW_TAG.findall(text):
                        count += 1
                        number = _ROW_NUMBER.search(attributes)
                        if number is not None:
                            last = max(last, int(number.group(1)))
                    if max(count, last) > MAX_XLSX_ROWS:
                        break
            return max(count, last)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return None


def _record_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    text = str(value)
    return text if text != "" else None


def load_records(
    con: duckdb.DuckDBPyConnection, records: list[Mapping[str, Any]], schema: TableSchema
) -> list[str]:
    """Creates the `raw_input` view over JSON records (an absent field is an empty cell)."""
    if not records:
        raise FileRejected("there are no records to submit")
    header: list[str] = []
    known = set(schema.names)
    for number, record in enumerate(records, start=1):
        for name in record:
            if name not in known:
                # Named as a record's field, not as a file's header, which a JSON batch does not have.
                raise FileRejected(
                    f"record {number}, field {name}: the {schema.name} table has no such field; its fields are "
                    f"{', '.join(schema.names)}"
                )
            if name not in header:
                header.append(name)
    check_header(header, schema, allow_missing=True)
    for number, record in enumerate(records, start=1):
        for name, value in record.items():
            if isinstance(value, dict | list) or (isinstance(value, float) and not math.isfinite(value)):
                # Not a value a cell could hold: the whole batch is refused, as a malformed file is.
                raise FileRejected(
                    f"record {number}, field {name}: a value must be text, a number, true, false or null"
                )
            if isinstance(value, str) and "\x00" in value:
                raise FileRejected(
                    f"record {number}, field {name}: a value must not hold a NUL character (\\u0000)"
                )
    columns = {name: pa.array([_record_text(r.get(name)) for r in records], pa.string()) for name in header}
    columns["_row"] = pa.array(range(1, len(records) + 1), pa.int64())
    con.register("raw_records", pa.table(columns))
    select = ", ".join(quote(name) for name in header)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {RAW_VIEW} AS SELECT _row, {select} FROM raw_records")
    return header
