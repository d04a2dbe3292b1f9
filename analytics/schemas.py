"""Downloads generated from the standard: Frictionless Table Schemas and CSV and XLSX templates.

Nothing here is written by hand: each schema follows the version's tables, columns and code lists.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from analytics.standard import Standard, Table

# The patterns are written in the regular expressions that XML Schema (which Table Schema names) and Python read
# alike: no anchors (a pattern matches the whole value), [0-9] rather than \d (which also matches the digits of
# other scripts), and plain groups only.

# A year that has a 29 February: divisible by 4, and by 400 when it ends in 00.
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
# A date as the standard writes it: YYYY-MM-DD with two digits for the month and for the day, and a day that the
# month has (2025-7-01 and 2025-02-29 are refused, 2024-02-29 is not).
DATE_PATTERN = (
    r"([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))"
    rf"|{_LEAP_YEAR}-02-29)"
)
# A timestamp: such a date, T, hh:mm with hours 00-23, optional :ss and then an optional fraction of 1 to 3 digits;
# then nothing, Z, or an offset from -14:00 to +14:00 (minutes 00-59).
DATETIME_PATTERN = (
    rf"{DATE_PATTERN}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{{1,3}})?)?"
    r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)
# A financial-year quarter such as 2025-26 Q1, whose second year is the year after the first: a pattern cannot
# add one to a number, so it lists the 100 pairs of last two digits (00-01, 01-02 ... 98-99, 99-00).
PERIOD_PATTERN = (
    "[0-9]{2}(" + "|".join(f"{year:02d}-{(year + 1) % 100:02d}" for year in range(100)) + ") Q[1-4]"
)
# A UK postcode in any case and with spaces anywhere: 1 or 2 letters, a digit, an optional letter or digit, then a
# digit and 2 letters (BS1 4DJ, sw1a 1aa, M11AE); or GIR 0AA.
_SPACE = r"\s*"
POSTCODE_PATTERN = (
    f"({_SPACE}[A-Za-z]{_SPACE}([A-Za-z]{_SPACE})?[0-9]{_SPACE}([A-Za-z0-9]{_SPACE})?[0-9]{_SPACE}"
    f"[A-Za-z]{_SPACE}[A-Za-z]{_SPACE}"
    f"|{_SPACE}[Gg]{_SPACE}[Ii]{_SPACE}[Rr]{_SPACE}0{_SPACE}[Aa]{_SPACE}[Aa]{_SPACE})"
)
# A value of only whitespace is empty, as a blank one is; a Table Schema can list missing values but not describe
# them, so it lists those met in practice: up to ten spaces, or a tab.
BLANK_VALUES = ["", *(" " * count for count in range(1, 11)), "\t"]

# Table Schema v2 (fieldsMatch is new in v2). `superset`: fields are matched by name, a file may have fewer of them
# and no other; that the required ones must be there is said in the schema's description.
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
FIELDS_MATCH = "superset"


def table_schema(standard: Standard, table_name: str) -> dict[str, Any]:
    """The Frictionless Table Schema of one table, as a JSON-ready dict."""
    table = standard.tables[table_name]
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": table.name,
        "title": f"Justice Journey minimum dataset, version {standard.version}: {table.name}",
        "version": standard.version,
        "description": _schema_description(table),
        "fields": [_field(standard, table, column.name) for column in table.columns],
        "primaryKey": list(table.key),
        "missingValues": BLANK_VALUES,
        "fieldsMatch": FIELDS_MATCH,
    }


def _schema_description(table: Table) -> str:
    conditional = [column.name for column in table.columns if column.required_when]
    may_be_left_out = (
        "any other column may be left out (it reads as empty)"
        if not conditional
        else f"any other column may be left out (it reads as empty), {_names(conditional)} included, though "
        "a row that needs a value there is then refused"
    )
    return (
        f"The {table.name} table of the Justice Journey minimum dataset. Columns may come in any order. A column "
        f"required in every row (constraints.required) must be in the header; {may_be_left_out}; a column not "
        "listed here is refused. fieldsMatch superset lets columns be left out and refuses others; the Table Schema "
        "standard has no value that also demands the required ones, which Frictionless tools check anyway. A value "
        "of only whitespace is empty, like a blank one (missingValues lists the usual forms). Some rules are "
        "checked only when a file is sent, among them a value required only in some rows (as the field's "
        "description says), the accepted range of dates and timestamps, and a JJN's check character."
    )


def _names(names: list[str], joiner: str = "and") -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def _field(standard: Standard, table: Table, name: str) -> dict[str, Any]:
    column = table.column(name)
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    field: dict[str, Any] = {
        "name": column.name,
        "description": _description(column.description, column.required_when),
    }
    if column.type == "date":
        # Text with a pattern rather than the date type, whose format is read by strptime, which takes one-digit
        # months and days (2025-7-01).
        field.update(type="string", format="default")
        constraints["pattern"] = DATE_PATTERN
    elif column.type == "datetime":
        # Text with a pattern rather than Frictionless's datetime type, whose parsers either demand one fixed
        # format or accept far more than the standard does.
        field.update(type="string", format="default")
        constraints["pattern"] = DATETIME_PATTERN
    elif column.type == "integer":
        field.update(type="integer")
        constraints["minimum"] = 0
    else:
        field.update(type="string")
        if column.codelist:
            constraints["enum"] = list(standard.codes[column.codelist])
        if table.name == "returns" and column.name == "period":
            constraints["pattern"] = PERIOD_PATTERN
            field["description"] += " (the second year is the year after the first: 2025-26, 1999-00)"
        if table.name == "victims" and column.name == "postcode":
            constraints["pattern"] = POSTCODE_PATTERN
        if table.name == "events" and column.name == "detail":
            taken = detail_codes(standard)
            constraints["enum"] = list(dict.fromkeys(code for codes in taken.values() for code in codes))
            field["description"] += ". " + _detail_text(taken)
    if constraints:
        field["constraints"] = constraints
    return field


def detail_codes(standard: Standard) -> dict[str, tuple[str, ...]]:
    """The detail codes each event type takes, for the types that take one, in the vocabulary's order."""
    return {
        code: tuple(standard.codes[event_type.detail_codelist])
        for code, event_type in standard.event_types.items()
        if event_type.detail_codelist
    }


def _detail_text(taken: dict[str, tuple[str, ...]]) -> str:
    pairs = "; ".join(f"{event_type}: {_names(list(codes), 'or')}" for event_type, codes in taken.items())
    return (
        f"Only these event types take a detail, each from its own list ({pairs}); every other event type must "
        "leave it empty. Which code goes with which type is checked when a file is sent."
    )


def _description(text: str, required_when: str | None) -> str:
    if required_when is None:
        return text
    return f"{text} (required when {condition_text(required_when)})"


def condition_text(required_when: str) -> str:
    """`enhanced_rights=Y` as "enhanced_rights is Y"; `jjn=` as "jjn is empty"."""
    other, _, value = required_when.partition("=")
    return f"{other} is empty" if value == "" else f"{other} is {value}"


def csv_template(table: Table) -> bytes:
    """A CSV file with the table's header row and nothing else."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(table.column_names)
    return buffer.getvalue().encode("utf-8")


def xlsx_template(standard: Standard, table: Table) -> bytes:
    """An XLSX workbook: the table's header on the first sheet (the one read), the columns explained on a second."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.name
    sheet.append(list(table.column_names))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("columns")
    guide.append(["column", "type", "required", "code list", "description"])
    for column in table.columns:
        required = (
            "yes"
            if column.required
            else (f"when {condition_text(column.required_when)}" if column.required_when else "no")
        )
        guide.append([column.name, column.type, required, column.codelist or "", column.description])
    guide.append([])
    guide.append([f"Minimum dataset version {standard.version}. Only the first sheet is read."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
