"""Ingest: event rows per second, validated and stored, against Frictionless `validate` of the same rows.

A generated events file (a small share of rows wrong in the ways submitters get them wrong) goes through the
same code as the `ingest` command, in a child process so that its peak memory can be measured. Frictionless
validates a slice of the same file (it is far slower) with an equivalent schema; rates are compared.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result, connect, peak_child_memory_mb

FULL_ROWS = 10_000_000
QUICK_ROWS = 200_000
BASELINE_ROWS = {True: 10_000, False: 100_000}
TARGET_ROWS_PER_SECOND = 1_000_000
TARGET_RATIO = 20
TARGET_MEMORY_MB = 1024
BODY = "WCU-E23000036"


def write_events(path: Path, rows: int) -> Path:
    """`rows` events in the minimum dataset; about one in a thousand has a wrong code or timestamp."""
    from analytics.standard import load_standard

    types = sorted(code for code, event in load_standard().event_types.items() if not event.detail_codelist)
    listed = "[" + ", ".join(f"'{code}'" for code in types) + "]"
    con = connect()
    con.execute(
        f"""COPY (
            SELECT 'E' || range AS event_id, 'E23000036' AS force, 'C' || (range // 6) AS crime_ref,
                   'P' || (range // 6) AS person_ref, NULL AS jjn,
                   CASE WHEN range % 1000 = 17 THEN 'written_confirmation' ELSE {listed}[1 + range % {len(types)}] END
                       AS event_type,
                   CASE WHEN range % 1000 = 500 THEN '31/12/2025 10:00'
                        ELSE strftime(TIMESTAMP '2024-04-01 08:00:00' + to_seconds(range * 6), '%Y-%m-%dT%H:%M:%S') END
                       AS occurred_at,
                   NULL AS detail
            FROM range({rows})
        ) TO '{path}' (HEADER, DELIMITER ',')"""
    )
    con.close()
    return path


def _child(path: str, lake: str) -> None:
    """Runs in the child process: the ingest pipeline exactly as the command line runs it."""
    from analytics.ingest import ingest, open_connection, table_schema
    from analytics.standard import load_standard

    work = Path(lake).parent / "work"
    started = time.perf_counter()
    con = open_connection(work)
    result = ingest(
        con,
        path=Path(path),
        file_name=Path(path).name,
        schema=table_schema(load_standard(), "events"),
        body=BODY,
        submission=1,
        lake_dir=Path(lake),
        work_dir=work,
    )
    print(
        json.dumps(
            {"seconds": time.perf_counter() - started, "rows": result.rows, "accepted": result.accepted}
        )
    )


def _frictionless_rows_per_second(path: Path) -> float:
    from frictionless import Resource, Schema, validate

    from analytics.standard import load_standard

    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "event_id", "type": "string", "constraints": {"required": True, "unique": True}},
                {"name": "force", "type": "string", "constraints": {"required": True}},
                {"name": "crime_ref", "type": "string", "constraints": {"required": True}},
                {"name": "person_ref", "type": "string", "constraints": {"required": True}},
                {"name": "jjn", "type": "string"},
                {
                    "name": "event_type",
                    "type": "string",
                    "constraints": {"required": True, "enum": sorted(load_standard().event_types)},
                },
                {"name": "occurred_at", "type": "datetime", "constraints": {"required": True}},
                {"name": "detail", "type": "string"},
            ]
        }
    )
    started = time.perf_counter()
    report = validate(Resource(path=path.name, basepath=str(path.parent), schema=schema), limit_errors=10**9)
    seconds = time.perf_counter() - started
    rows = report.tasks[0].stats.get("rows") or 0
    return rows / seconds


def run(args: argparse.Namespace) -> list[Result]:
    rows = QUICK_ROWS if args.quick else FULL_ROWS
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        root = Path(folder)
        events = write_events(root / "events.csv", rows)
        baseline_file = write_events(root / "events-slice.csv", BASELINE_ROWS[bool(args.quick)])
        baseline = _frictionless_rows_per_second(baseline_file)
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from bench.bench_ingest import _child; _child({str(events)!r}, {str(root / 'lake')!r})",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        memory = peak_child_memory_mb()
    rate = measured["rows"] / measured["seconds"]
    size = f"{rows:,} rows"
    return [
        Result(
            benchmark="ingest",
            measure=f"events/s validate+store ({size})",
            value=rate,
            unit="rows/s",
            baseline=baseline,
            target=f">= {TARGET_ROWS_PER_SECOND:,}/s and >= {TARGET_RATIO}x Frictionless",
            met=rate >= TARGET_ROWS_PER_SECOND and rate >= TARGET_RATIO * baseline,
        ),
        Result(
            benchmark="ingest",
            measure=f"peak memory ({size})",
            value=memory,
            unit="MB",
            target=f"< {TARGET_MEMORY_MB} MB",
            met=memory < TARGET_MEMORY_MB,
        ),
    ]
