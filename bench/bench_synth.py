"""Synthetic data: time and peak memory to generate a national year, against a bare pyarrow write of as many rows.

The generator runs in a child process so that its peak resident memory can be read; the baseline writes the
same number of rows of constant text with pyarrow's CSV writer, in the same run.
"""

import json
import resource
import subprocess
import sys
import tempfile
from argparse import Namespace
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from bench.harness import Result, peak_child_memory_mb, stopwatch

TARGET_SECONDS = 120
BATCH = 1_000_000
WIDTHS = {"crimes": 11, "events": 8, "victims": 11}

CHILD = """
import json, sys
from synthetic.generator import generate
summary = generate(sys.argv[1], seed=1, scale=float(sys.argv[2]), period_from="2025-26 Q1", period_to="2025-26 Q4")
print(json.dumps(summary.rows))
"""


def _baseline(folder: Path, rows: dict[str, int]) -> None:
    for table, count in rows.items():
        columns = WIDTHS.get(table, 5)
        batch = pa.table(
            {f"c{i}": pa.array(["E23000036-constant"] * min(BATCH, max(count, 1))) for i in range(columns)}
        )
        with (folder / f"{table}.csv").open("wb") as handle:
            written = 0
            while written < count:
                part = batch.slice(0, min(BATCH, count - written))
                pacsv.write_csv(part, handle, pacsv.WriteOptions(include_header=written == 0))
                written += part.num_rows


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: Namespace) -> list[Result]:
    scale = 0.01 if args.quick else 1.0
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as scratch:
        out = Path(scratch) / "synth"
        cpu_before = _children_cpu()
        with stopwatch() as elapsed:
            finished = subprocess.run(
                [sys.executable, "-c", CHILD, str(out), str(scale)],
                check=True,
                capture_output=True,
                text=True,
            )
        seconds = elapsed()
        cpu = _children_cpu() - cpu_before
        peak = peak_child_memory_mb()
        rows: dict[str, int] = json.loads(finished.stdout.strip().splitlines()[-1])
        baseline_dir = Path(scratch) / "baseline"
        baseline_dir.mkdir()
        with stopwatch() as baseline_elapsed:
            _baseline(baseline_dir, rows)
        baseline = baseline_elapsed()
    total = sum(rows.values())
    label = "national year" if scale == 1 else f"scale {scale} year"
    target_seconds = TARGET_SECONDS
    return [
        Result(
            "synth",
            f"{label}: generate and write",
            seconds,
            "s",
            baseline=baseline,
            target=f"<= {target_seconds:g} s" if scale == 1 else "",
            met=seconds <= target_seconds if scale == 1 else None,
        ),
        Result("synth", f"{label}: CPU time, all processes", cpu, "s"),
        Result("synth", f"{label}: rows written", total, "rows"),
        Result("synth", f"{label}: crimes", rows.get("crimes", 0), "rows"),
        Result("synth", f"{label}: peak memory (largest process)", peak, "MB"),
    ]
