"""An ingest killed at any moment leaves nothing visible; a retry stores everything exactly once."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.factories.journeys import crime, write_csv

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from analytics.ingest import ingest, open_connection, table_schema
    from analytics.standard import load_standard

    path, lake, submission, die_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

    def step(name, count):
        if f"{name}:{count}" == die_at:
            os.kill(os.getpid(), 9)

    work = lake.parent / f"work-{submission}"
    ingest(open_connection(work), path=path, file_name=path.name, schema=table_schema(load_standard(), "crimes"),
           body="E23000036", submission=submission, lake_dir=lake, work_dir=work, on_step=step)
    """
)


def run_ingest(path: Path, lake: Path, submission: int, die_at: str = "") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(path), str(lake), str(submission), die_at],
        cwd=Path(__file__).resolve().parents[3],
    )


def quarterly_crimes(tmp_path: Path, count: int) -> Path:
    months = ["2025-04", "2025-07", "2025-10", "2026-01"]
    rows = [
        crime(n, reported_at=f"{months[n % 4]}-02T10:00", recorded_at=f"{months[n % 4]}-02T11:00")
        for n in range(count)
    ]
    return write_csv(tmp_path / "crimes.csv", rows)


@pytest.mark.slow
@pytest.mark.parametrize("die_at", ["staged:0", "published:1", "published:3", "published:4"])
def test_killed_ingest_then_retry(store, tmp_path, die_at):
    path = quarterly_crimes(tmp_path, 400)
    killed = run_ingest(path, store.lake, 1, die_at)
    assert killed.wait(60) == -signal.SIGKILL
    assert store.query("SELECT count(*) FROM crimes_versions") == [(0,)]

    retry = run_ingest(path, store.lake, 2)
    assert retry.wait(60) == 0
    assert store.query("SELECT count(*), count(DISTINCT crime_ref) FROM crimes_versions") == [(400, 400)]
    assert store.query("SELECT DISTINCT submission FROM crimes_versions") == [(2,)]


@pytest.mark.slow
def test_killed_at_a_random_moment_then_retry(store, tmp_path):
    path = quarterly_crimes(tmp_path, 200_000)
    process = run_ingest(path, store.lake, 1)
    time.sleep(1.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(60)
    visible = store.query("SELECT count(*) FROM crimes_versions")[0][0]
    assert visible in (0, 200_000)  # never a part

    retry = run_ingest(path, store.lake, 2)
    assert retry.wait(120) == 0
    assert store.query("SELECT count(*), count(DISTINCT crime_ref) FROM crimes") == [(200_000, 200_000)]
    assert store.query("SELECT count(*) FROM crimes_versions")[0][0] == 200_000
