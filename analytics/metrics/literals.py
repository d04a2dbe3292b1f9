"""SQL literals written the same way for DuckDB and Spark."""

from datetime import date


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def date_literal(day: date) -> str:
    return f"DATE '{day.isoformat()}'"
