"""A small hand-made event store: the four contract views (`crimes`, `events`, `victims`, `returns`) built
directly as DuckDB tables, with timestamps read as the minimum dataset reads them (no offset = Europe/London)."""

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

LONDON = ZoneInfo("Europe/London")
FORCE = "E23000036"  # Avon and Somerset: CPS-SW, PR-SW

_TS = pa.timestamp("us", tz="UTC")
SCHEMAS = {
    "victims": pa.schema(
        [("body", pa.string()), ("person_ref", pa.string()), ("jjn", pa.string()), ("sex", pa.string()),
         ("ethnicity", pa.string()), ("disability", pa.string()), ("dob_recorded", pa.bool_())]
    ),
    "crimes": pa.schema(
        [("body", pa.string()), ("force", pa.string()), ("crime_ref", pa.string()), ("person_ref", pa.string()),
         ("jjn", pa.string()), ("offence_group", pa.string()), ("reported_at", _TS), ("reported_on", pa.date32()),
         ("recorded_at", _TS), ("recorded_on", pa.date32()), ("enhanced_rights", pa.string()),
         ("enhanced_reason", pa.string()), ("domestic_abuse", pa.string()), ("outcome_type", pa.string()),
         ("outcome_date", pa.date32()), ("sex", pa.string()), ("ethnicity", pa.string()),
         ("disability", pa.string()), ("age_band", pa.string())]
    ),
    "events": pa.schema(
        [("body", pa.string()), ("event_id", pa.string()), ("force", pa.string()), ("crime_ref", pa.string()),
         ("person_ref", pa.string()), ("jjn", pa.string()), ("event_type", pa.string()), ("occurred_at", _TS),
         ("occurred_on", pa.date32()), ("detail", pa.string()), ("seq", pa.int64())]
    ),
    "returns": pa.schema(
        [("body", pa.string()), ("period", pa.string()), ("force", pa.string()), ("metric", pa.string()),
         ("numerator", pa.int64()), ("denominator", pa.int64())]
    ),
}  # fmt: skip


def instant(text: str) -> datetime:
    """A timestamp as the minimum dataset writes it; without an offset it is Europe/London local time
    (fold=0: an ambiguous or skipped time takes the offset in force before the change)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment


def london_date(moment: datetime) -> Any:
    return moment.astimezone(LONDON).date()


class EventStore:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMAS}

    def victim(self, person_ref: str = "P1", *, body: str = FORCE, sex: str | None = "F", ethnicity: str | None = "W1",
               disability: str | None = "N", dob_recorded: bool = True) -> None:  # fmt: skip
        self.rows["victims"].append(
            {"body": body, "person_ref": person_ref, "jjn": None, "sex": sex, "ethnicity": ethnicity,
             "disability": disability, "dob_recorded": dob_recorded}
        )  # fmt: skip

    def crime(
        self,
        crime_ref: str = "C1",
        *,
        reported_at: str = "2025-04-07T10:00",
        recorded_at: str | None = None,
        force: str = FORCE,
        person_ref: str = "P1",
        offence_group: str = "violence",
        enhanced_rights: str = "N",
        domestic_abuse: str | None = "N",
        outcome_type: str | None = None,
        sex: str | None = "F",
        ethnicity: str | None = "W1",
        disability: str | None = "N",
        age_band: str | None = "25-34",
    ) -> None:
        reported = instant(reported_at)
        recorded = instant(recorded_at) if recorded_at else reported
        self.rows["crimes"].append(
            {
                "body": force, "force": force, "crime_ref": crime_ref, "person_ref": person_ref, "jjn": None,
                "offence_group": offence_group, "reported_at": reported, "reported_on": london_date(reported),
                "recorded_at": recorded, "recorded_on": london_date(recorded), "enhanced_rights": enhanced_rights,
                "enhanced_reason": "vulnerable" if enhanced_rights == "Y" else None,
                "domestic_abuse": domestic_abuse, "outcome_type": outcome_type, "outcome_date": None, "sex": sex,
                "ethnicity": ethnicity, "disability": disability, "age_band": age_band,
            }
        )  # fmt: skip

    def event(
        self,
        event_type: str,
        occurred_at: str,
        *,
        crime_ref: str = "C1",
        force: str = FORCE,
        person_ref: str = "P1",
        body: str | None = None,
        detail: str | None = None,
        event_id: str | None = None,
    ) -> None:
        moment = instant(occurred_at)
        events = self.rows["events"]
        self.rows["events"].append(
            {
                "body": body or force, "event_id": event_id or f"E{len(events) + 1}", "force": force,
                "crime_ref": crime_ref, "person_ref": person_ref, "jjn": None, "event_type": event_type,
                "occurred_at": moment, "occurred_on": london_date(moment), "detail": detail, "seq": len(events) + 1,
            }
        )  # fmt: skip

    def return_(self, metric: str, numerator: int, denominator: int, *, body: str, period: str = "2025-26 Q1",
                force: str = FORCE) -> None:  # fmt: skip
        self.rows["returns"].append(
            {"body": body, "period": period, "force": force, "metric": metric, "numerator": numerator,
             "denominator": denominator}
        )  # fmt: skip

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.Table.from_pylist(rows, schema=SCHEMAS[name]) for name, rows in self.rows.items()}

    def register(self, con: Any) -> Any:
        """Creates the four views' relations on a DuckDB connection and returns it."""
        for name, table in self.tables().items():
            con.register(f"{name}_rows", table)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_rows")
            con.unregister(f"{name}_rows")
        return con

    def write_parquet(self, folder: Path) -> dict[str, Path]:
        import pyarrow.parquet as pq

        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, table in self.tables().items():
            paths[name] = folder / f"{name}.parquet"
            pq.write_table(table, paths[name])
        return paths
