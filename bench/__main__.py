"""Runs every benchmark in bench/ and prints each result as a ratio against a baseline from the same run.

Each module `bench/bench_*.py` exposes `run(args) -> list[Result]`. Absolute timings vary between
machines; the ratios are what the targets are stated in.
"""

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.harness import Result, print_results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. ingest, metrics)")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, for a smoke run: targets are shown, not judged"
    )
    args = parser.parse_args(argv)
    folder = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_"))
    selected = [m for m in modules if not args.names or m.removeprefix("bench_") in args.names]
    if not selected:
        print("No benchmarks to run." if not modules else f"No benchmark named {args.names}.")
        return 0 if not modules else 2
    results: list[Result] = []
    failed = False
    for name in selected:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"== {name.removeprefix('bench_')}", flush=True)
        module_results = module.run(args)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        results.extend(module_results)
    if args.quick:
        # Targets are stated for the full sizes: a smoke run shows them but judges none.
        for result in results:
            if result.target and result.met is not None:
                result.target += " (judged at full size only)"
            result.met = None
    print_results(results)
    failed = any(result.met is False for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
