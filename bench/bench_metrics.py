"""Metrics: the whole catalogue for a synthetic national year, against a bare DuckDB scan of the same events.

A national-size event store (about 6.6 million crimes and 66 million events; `--quick` is a hundredth) is
generated set-wise in DuckDB and written as Parquet. The baseline reads every value of the columns the
metrics join and order on, in the events and crimes files (a hash summed over them, so that nothing can be
answered from the Parquet statistics alone, as `count(*)` or `max()` would be); the measure is `analytics.metrics.compute` for four quarters over the same files,
on two threads.
"""

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from bench.harness import Result, connect

FULL_CRIMES = 6_600_000
QUICK_CRIMES = 66_000
EVENTS_PER_CRIME = 10
TARGET_SECONDS = 30
TARGET_RATIO = 3
THREADS = 2
PERIODS = ["2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]

# Event k of each crime (k = 0..9), the body that sends it, and hours after the report.
EVENT_PLAN = [
    ("written_confirmation_sent", "force", 30),
    ("support_referral_made", "force", 20),
    ("needs_assessment_done", "force", 10),
    ("vps_offered", "force", 50),
    ("hearing_info_received", "wcu", 400),
    ("hearing_info_given", "wcu", 420),
    ("suspect_update_due", "force", 100),
    ("suspect_update_given", "force", 150),
    ("outcome_info_received", "wcu", 900),
    ("outcome_info_given", "wcu", 950),
]


def _list(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def write_store(folder: Path, crimes: int) -> dict[str, Path]:
    from analytics.metrics import load_forces

    forces = [f.code for f in load_forces()]
    con = connect()
    con.execute(f"SET threads = {THREADS}")
    paths = {name: folder / f"{name}.parquet" for name in ("crimes", "victims", "events", "returns")}
    seconds_per_crime = 365 * 86400 / crimes
    con.execute(
        f"""COPY (
        SELECT force AS body, force, 'C' || i AS crime_ref, 'P' || i AS person_ref, NULL::VARCHAR AS jjn,
               {_list(["violence", "sexual", "robbery", "burglary", "vehicle", "theft", "arson_criminal_damage", "drugs", "public_order", "weapons", "misc_society", "fraud"])}[1 + i % 12] AS offence_group,
               reported_at, CAST(timezone('Europe/London', reported_at) AS DATE) AS reported_on,
               recorded_at, CAST(timezone('Europe/London', recorded_at) AS DATE) AS recorded_on,
               CASE WHEN i % 5 = 0 THEN 'Y' ELSE 'N' END AS enhanced_rights,
               CASE WHEN i % 5 = 0 THEN 'vulnerable' END AS enhanced_reason,
               CASE WHEN i % 7 = 0 THEN 'Y' ELSE 'N' END AS domestic_abuse,
               CASE WHEN i % 3 = 0 THEN '18' END AS outcome_type, NULL::DATE AS outcome_date,
               ['F', 'M', 'NS', NULL][1 + i % 4] AS sex, ['W1', 'B2', 'A1', 'M9', 'NS', NULL][1 + i % 6] AS ethnicity,
               ['Y', 'N', NULL][1 + i % 3] AS disability,
               ['0-17', '18-24', '25-34', '35-49', '50-64', '65+'][1 + i % 6] AS age_band
        FROM (SELECT range AS i, {_list(forces)}[1 + range % {len(forces)}] AS force,
                     TIMESTAMPTZ '2025-04-01 00:00:00+00' + to_seconds(CAST(range * {seconds_per_crime} AS BIGINT)) AS reported_at,
                     TIMESTAMPTZ '2025-04-01 00:00:00+00' + to_seconds(CAST(range * {seconds_per_crime} AS BIGINT) + (range % 30) * 3600) AS recorded_at
              FROM range({crimes}))
        ) TO '{paths["crimes"]}' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (
        SELECT force AS body, 'P' || i AS person_ref, NULL::VARCHAR AS jjn, ['F', 'M', 'NS', NULL][1 + i % 4] AS sex,
               ['W1', 'B2', 'A1', 'M9', 'NS', NULL][1 + i % 6] AS ethnicity, ['Y', 'N', NULL][1 + i % 3] AS disability,
               i % 10 <> 0 AS dob_recorded
        FROM (SELECT range AS i, {_list(forces)}[1 + range % {len(forces)}] AS force FROM range({crimes}))
        ) TO '{paths["victims"]}' (FORMAT parquet)"""
    )
    types = _list([t for t, _, _ in EVENT_PLAN])
    wcu = _list([str(owner == "wcu").lower() for _, owner, _ in EVENT_PLAN]).replace("'", "")
    hours = "[" + ", ".join(str(h) for _, _, h in EVENT_PLAN) + "]"
    con.execute(
        f"""COPY (
        SELECT CASE WHEN {wcu}[1 + k] THEN 'WCU-' || force ELSE force END AS body, 'E' || j AS event_id, force,
               'C' || i AS crime_ref, 'P' || i AS person_ref, NULL::VARCHAR AS jjn, {types}[1 + k] AS event_type,
               occurred_at, CAST(timezone('Europe/London', occurred_at) AS DATE) AS occurred_on,
               CASE WHEN k = 6 THEN 'arrest' END AS detail, j AS seq
        FROM (SELECT range AS j, range // {EVENTS_PER_CRIME} AS i, range % {EVENTS_PER_CRIME} AS k,
                     {_list(forces)}[1 + (range // {EVENTS_PER_CRIME}) % {len(forces)}] AS force,
                     TIMESTAMPTZ '2025-04-01 00:00:00+00'
                       + to_seconds(CAST((range // {EVENTS_PER_CRIME}) * {seconds_per_crime} AS BIGINT)
                                    + ({hours}[1 + range % {EVENTS_PER_CRIME}] + (range * 7919) % 200) * 3600) AS occurred_at
              FROM range({crimes * EVENTS_PER_CRIME}))
        ) TO '{paths["events"]}' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT 'X' AS body, '2025-26 Q1' AS period, 'X' AS force, 'R2.recorded_24h' AS metric,
                     0::BIGINT AS numerator, 0::BIGINT AS denominator WHERE false) TO '{paths["returns"]}' (FORMAT parquet)"""
    )
    con.close()
    return paths


def _connection(paths: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    con = connect()
    con.execute(f"SET threads = {THREADS}")
    for name, path in paths.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def run(args: argparse.Namespace) -> list[Result]:
    from analytics.metrics import DuckDBBackend, compute

    crimes = QUICK_CRIMES if args.quick else FULL_CRIMES
    with tempfile.TemporaryDirectory(prefix="jj-bench-metrics-") as folder:
        started = time.perf_counter()
        paths = write_store(Path(folder), crimes)
        print(
            f"   generated {crimes:,} crimes, {crimes * EVENTS_PER_CRIME:,} events in {time.perf_counter() - started:.1f} s"
        )
        con = _connection(paths)
        started = time.perf_counter()
        con.execute(
            "SELECT (SELECT sum(hash(body, force, crime_ref, person_ref, event_type, occurred_at)) FROM events), "
            "(SELECT sum(hash(body, force, crime_ref, person_ref, reported_at, recorded_at)) FROM crimes)"
        ).fetchall()
        scan = time.perf_counter() - started
        con.close()
        con = _connection(paths)
        started = time.perf_counter()
        metric_run = compute(DuckDBBackend(con), periods=PERIODS, cutoff=date(2026, 5, 15))
        seconds = time.perf_counter() - started
        con.close()
    print(f"   {len(metric_run.rows):,} figures")
    return [
        Result(
            "metrics", "whole catalogue, seconds", seconds, "s", baseline=None, target=f"<= {TARGET_SECONDS} s",
            met=None if args.quick else seconds <= TARGET_SECONDS,
        ),
        Result(
            "metrics", "whole catalogue / bare scan", seconds, "s", baseline=scan, target=f"<= {TARGET_RATIO}x",
            met=None if args.quick else seconds <= TARGET_RATIO * scan,
        ),
    ]  # fmt: skip
