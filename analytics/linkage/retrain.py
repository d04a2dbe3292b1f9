"""Retrain the shipped model on synthetic people: `python -m analytics.linkage.retrain [--people N] [--out PATH]`."""

from __future__ import annotations

import argparse
import sys

import duckdb

from analytics.linkage.model import DEFAULT_MODEL_PATH, save_model, train_model
from analytics.linkage.people import load_people


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.linkage.retrain", description=__doc__)
    parser.add_argument("--people", type=int, default=30_000, help="synthetic people to train on")
    parser.add_argument("--seed", type=int, default=7, help="seed for the people and for u sampling")
    parser.add_argument("--out", default=str(DEFAULT_MODEL_PATH), help="where to write the model JSON")
    args = parser.parse_args(argv)
    con = duckdb.connect()
    records = load_people(con, "victims", args.people, seed=args.seed)
    model = train_model(con, "victims", seed=args.seed, progress=lambda stage, _: print(stage, flush=True))
    path = save_model(model, args.out)
    print(f"trained on {records:,} records of {args.people:,} synthetic people; written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
