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

# A timestamp as the minimum dataset writes it (YYYY-MM-DDThh:mm[:ss[.fff]], then optionally Z or ±hh:mm), with
# each part kept within its range so that 2025-13-45T25:99 is refused.
DATETIME_PATTERN = (
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
)
PERIOD_PATTERN = r"\d{4}-\d{2} Q[1-4]"

TABLE_SCHEMA_PROFILE = "https://specs.frictionlessdata.io/schemas/table-schema.json"


def table_schema(standard: Standard, table_name: str) -> dict[str, Any]:
    """The Frictionless Table Schema of one table, as a JSON-ready dict."""
    table = standard.tables[table_name]
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": table.name,
        "title": f"Justice Journey minimum dataset, version {standard.version}: {table.name}",
        "version": standard.version,
        "fields": [_field(standard, table, column.name) for column in table.columns],
        "primaryKey": list(table.key),
        "missingValues": [""],
        # Columns in any order, but no unknown and no missing ones (Table Schema v2).
        "fieldsMatch": "equal",
    }


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
        field.update(type="date", format="%Y-%m-%d")
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
    if constraints:
        field["constraints"] = constraints
    return field


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
