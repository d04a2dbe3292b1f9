from pathlib import Path

import duckdb
import pytest

from analytics.ingest import IngestResult, ingest, open_connection, register_current_views, table_schema
from analytics.standard import load_standard
from tests.factories.journeys import FORCE


class Store:
    """A scratch event store and a way to send files to it, as a body would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lake = root / "lake"
        self.next_submission = 1
        self.standard = load_standard("1")
        self.vault: dict[str, str] = {}
        self.details: dict[str, tuple] = {}
        self.registered: list[dict] = []  # every record handed to the vault, as it was handed

    def identity(self, records: list[dict]) -> dict[str, tuple[str, bool]]:
        """A stand-in for the vault: numbers in order, and a correction when a person's details change."""
        answer = {}
        self.registered.extend(records)
        for record in records:
            number = record["jjn"] or self.vault.get(record["person_ref"]) or f"JJN-{len(self.vault) + 1}"
            details = tuple(
                value for name, value in sorted(record.items()) if name not in ("person_ref", "jjn")
            )
            held = self.details.get(record["person_ref"])
            self.vault[record["person_ref"]] = number
            self.details[record["person_ref"]] = details
            answer[record["person_ref"]] = (number, held is not None and held != details)
        return answer

    def send(self, path: Path, *, table: str | None = None, body: str = FORCE, **options) -> IngestResult:
        name = table or path.name.split("-")[0].split(".")[0]
        return self._ingest(name, body, path=path, file_name=path.name, **options)

    def send_records(self, table: str, records: list[dict], *, body: str = FORCE, **options) -> IngestResult:
        """Records as the API sends them (JSON objects, a field left out being empty)."""
        return self._ingest(table, body, records=records, file_name=f"api-{table}.json", **options)

    def _ingest(self, table: str, body: str, **options) -> IngestResult:
        submission = self.next_submission
        self.next_submission += 1
        work = self.root / f"work-{submission}"
        con = open_connection(work)
        try:
            return ingest(
                con,
                schema=table_schema(self.standard, table),
                body=body,
                submission=submission,
                lake_dir=self.lake,
                work_dir=work,
                identity=self.identity,
                **options,
            )
        finally:
            con.close()

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        register_current_views(con, self.lake)
        return con.execute(sql).fetchall()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)
