"""Builders for submitted files: minimum-dataset rows with sensible defaults, written as CSV, XLSX or Parquet."""

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

FORCE = "E23000036"

HEADERS = {
    "victims": [
        "person_ref", "jjn", "given_name", "family_name", "date_of_birth", "postcode",
        "sex", "ethnicity", "disability", "email", "phone",
    ],
    "crimes": [
        "crime_ref", "force", "person_ref", "offence_group", "reported_at", "recorded_at",
        "enhanced_rights", "enhanced_reason", "domestic_abuse", "outcome_type", "outcome_date",
    ],
    "events": ["event_id", "force", "crime_ref", "person_ref", "jjn", "event_type", "occurred_at", "detail"],
    "returns": ["period", "force", "metric", "numerator", "denominator"],
}  # fmt: skip


def victim(n: int = 1, **values: str) -> dict[str, str]:
    row = {
        "person_ref": f"P{n}", "jjn": "", "given_name": f"Alex{n}", "family_name": "Morgan",
        "date_of_birth": "1980-05-17", "postcode": "BS1 4DJ", "sex": "F", "ethnicity": "W1",
        "disability": "N", "email": "", "phone": "",
    }  # fmt: skip
    return {**row, **values}


def crime(n: int = 1, **values: str) -> dict[str, str]:
    row = {
        "crime_ref": f"C{n}", "force": FORCE, "person_ref": f"P{n}", "offence_group": "violence",
        "reported_at": "2025-04-01T10:00", "recorded_at": "2025-04-01T12:00", "enhanced_rights": "N",
        "enhanced_reason": "", "domestic_abuse": "N", "outcome_type": "", "outcome_date": "",
    }  # fmt: skip
    return {**row, **values}


def event(n: int = 1, **values: str) -> dict[str, str]:
    row = {
        "event_id": f"E{n}", "force": FORCE, "crime_ref": "C1", "person_ref": "P1", "jjn": "",
        "event_type": "written_confirmation_sent", "occurred_at": "2025-04-02T09:00", "detail": "",
    }  # fmt: skip
    return {**row, **values}


def return_row(**values: str) -> dict[str, str]:
    row = {
        "period": "2025-26 Q1",
        "force": FORCE,
        "metric": "R2.recorded_24h",
        "numerator": "8",
        "denominator": "10",
    }
    return {**row, **values}


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    *,
    table: str | None = None,
    header: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    columns = header or HEADERS[table or path.name.split("-")[0].split(".")[0]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
    return path


def write_xlsx(
    path: Path, rows: Iterable[Mapping[str, object]], *, table: str, header: list[str] | None = None
) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    columns = header or HEADERS[table]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) if row.get(column) != "" else None for column in columns])
    workbook.save(path)
    return path


def write_parquet(
    path: Path, rows: list[Mapping[str, str]], *, table: str, header: list[str] | None = None
) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = header or HEADERS[table]
    pq.write_table(pa.table({c: [row.get(c) or None for row in rows] for c in columns}), path)
    return path
