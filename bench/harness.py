"""Small helpers shared by the benchmarks: a quiet DuckDB connection, timing, peak memory of a child process,
and the report."""

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb


@dataclass
class Result:
    benchmark: str
    measure: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that draws no progress bars: they would break up the report."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    started = time.perf_counter()
    finished: list[float] = []
    yield lambda: (finished[0] if finished else time.perf_counter()) - started
    finished.append(time.perf_counter())


def peak_child_memory_mb() -> float:
    """Peak resident memory of the largest finished child process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def print_results(results: list[Result]) -> None:
    if not results:
        return
    print()
    header = f"{'benchmark':<14} {'measure':<34} {'value':>14} {'baseline':>14} {'ratio':>8}  target"
    print(header)
    print("-" * len(header))
    for r in results:
        baseline = f"{r.baseline:,.2f}" if r.baseline is not None else "-"
        ratio = f"{r.ratio:,.2f}x" if r.ratio is not None else "-"
        verdict = "" if r.met is None else ("  met" if r.met else "  NOT MET")
        print(
            f"{r.benchmark:<14} {r.measure:<34} {r.value:>12,.2f} {r.unit:<1} {baseline:>14} {ratio:>8}  {r.target}{verdict}"
        )
