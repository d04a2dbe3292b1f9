"""Batch linkage of a table of victims records: score pairs, then cluster them into people.

Pairs scoring at or above the upper threshold are linked automatically; pairs between the lower and the
upper threshold go to clerical review; pairs below the lower threshold are treated as distinct people.
Clerical decisions already made are respected: a confirmed pair (`must_link`) always ends in one
cluster, a rejected pair (`must_not_link`) never does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from analytics.linkage.comparisons import DETERMINISTIC_RULES, blocking_rules_settings
from analytics.linkage.model import (
    DEFAULT_MODEL_PATH,
    DETERMINISTIC_RECALL,
    Model,
    _without_run_details,
    load_model,
)
from analytics.linkage.normalise import prepare_records

Pair = tuple[str, str]
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities: at or above `upper` a pair is linked; below `lower` it is distinct."""

    upper: float = 0.95
    lower: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.lower <= self.upper < 1:
            raise ValueError(
                f"thresholds must satisfy 0 < lower <= upper < 1, got lower={self.lower}, upper={self.upper}"
            )


DEFAULT_THRESHOLDS = Thresholds()

# Below this many records the deterministic rules find too few pairs to estimate the match rate from.
MIN_RECORDS_TO_REESTIMATE_PRIOR = 10_000


def _for_prediction(model: Model) -> dict[str, Any]:
    settings = model.splink_settings()
    # The comparison levels (gamma columns) are kept for the review page.
    settings["retain_matching_columns"] = True
    # Always this version's rules, which are the ones the vault indexes for online matching.
    settings["blocking_rules_to_generate_predictions"] = blocking_rules_settings()
    return settings


@dataclass(frozen=True)
class ScoredPair:
    unique_id_l: str
    unique_id_r: str
    match_probability: float
    match_weight: float
    levels: dict[str, str]
    clerical_decision: str | None


@dataclass
class LinkageResult:
    """Where the results are, on the connection that was linked (tables on DuckDB, views on Spark)."""

    con: Any
    pairs_table: str
    clusters_table: str
    thresholds: Thresholds
    model: Model
    records: int
    timings: dict[str, float] = field(default_factory=dict)
    conflicts: list[Pair] = field(default_factory=list)
    engine: str = "duckdb"

    def _rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        if self.engine == "spark":
            for row in self.con.sql(sql).toLocalIterator():
                yield tuple(row)
            return
        # A cursor of its own, so the caller may query the connection while reading.
        cursor = self.con.cursor()
        cursor.execute(sql)
        while batch := cursor.fetchmany(10_000):
            yield from batch

    def clusters(self) -> dict[str, str]:
        """unique_id → cluster_id for every record (a record linked to nothing is its own cluster)."""
        return {
            str(uid): str(cid)
            for uid, cid in self._rows(f"select unique_id, cluster_id from {self.clusters_table}")
        }

    def pair_count(self) -> int:
        return int(next(self._rows(f"select count(*) from {self.pairs_table}"))[0])

    def scored_pairs(self, *, for_review_only: bool = False) -> Iterator[ScoredPair]:
        """Pairs at or above the lower threshold, with the level each comparison reached.

        `for_review_only` keeps the pairs between the thresholds that no clerical decision has settled.
        """
        labels = self.model.level_labels()
        names = list(labels)
        where = ""
        if for_review_only:
            where = f"where match_probability < {self.thresholds.upper} and clerical_decision is null"
        gammas = ", ".join(f"gamma_{name}" for name in names)
        sql = (
            f"select unique_id_l, unique_id_r, match_probability, match_weight, clerical_decision, {gammas} "
            f"from {self.pairs_table} {where} order by match_probability desc, unique_id_l, unique_id_r"
        )
        for row in self._rows(sql):
            levels = {}
            for name, gamma in zip(names, row[5:], strict=True):
                levels[name] = "missing" if gamma is None or gamma < 0 else labels[name][gamma]
            yield ScoredPair(str(row[0]), str(row[1]), float(row[2]), float(row[3]), levels, row[4])


def _notify(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, fraction)


def _pairs_table(pairs: Iterable[Pair], where: str) -> pa.Table:
    left: list[str] = []
    right: list[str] = []
    for number, pair in enumerate(pairs, start=1):
        if len(pair) != 2 or not all(isinstance(v, str | int) for v in pair):
            raise ValueError(f"{where}: item {number} is not a pair of unique ids: {pair!r}")
        a, b = sorted((str(pair[0]), str(pair[1])))
        if a == b:
            raise ValueError(f"{where}: item {number} pairs record {a!r} with itself")
        left.append(a)
        right.append(b)
    return pa.table({"unique_id_l": pa.array(left, pa.string()), "unique_id_r": pa.array(right, pa.string())})


def link_records(
    con: Any,
    table_name: str,
    model: Model | str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    engine: str = "duckdb",
    *,
    must_link: Iterable[Pair] = (),
    must_not_link: Iterable[Pair] = (),
    output_prefix: str = "jj_linkage",
    reestimate_prior: bool = True,
    progress: Progress | None = None,
) -> LinkageResult:
    """Link the victims records in `table_name` into people.

    `con` is a DuckDB connection (or a SparkSession with `engine="spark"`). `model` is a `Model`, a path
    to a model file, or None for the shipped default. The result names two tables on `con`:
    `<output_prefix>_pairs` and `<output_prefix>_clusters`.
    """
    if engine == "spark":
        from analytics.linkage.spark import link_records_spark

        return link_records_spark(
            con,
            table_name,
            model=model,
            thresholds=thresholds,
            must_link=must_link,
            must_not_link=must_not_link,
            output_prefix=output_prefix,
            progress=progress,
        )
    if engine != "duckdb":
        raise ValueError(f"engine must be 'duckdb' or 'spark', not {engine!r}")
    from splink import DuckDBAPI, Linker
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    if model is None:
        model = load_model(DEFAULT_MODEL_PATH)
    elif not isinstance(model, Model):
        model = load_model(model)
    confirmed = _pairs_table(must_link, "must_link")
    rejected = _pairs_table(must_not_link, "must_not_link")
    timings: dict[str, float] = {}
    pairs_table, clusters_table = f"{output_prefix}_pairs", f"{output_prefix}_clusters"
    records_table = f"{output_prefix}_records"

    started = time.perf_counter()
    _notify(progress, "normalising records", 0.0)
    prepare_records(con, table_name, records_table)
    records = int(con.execute(f"select count(*) from {records_table}").fetchall()[0][0])
    timings["normalise_s"] = time.perf_counter() - started

    started = time.perf_counter()
    _notify(progress, "scoring pairs", 0.15)
    db_api = DuckDBAPI(con)
    linker = Linker(db_api.register(records_table), _for_prediction(model), log_level=logging.WARNING)
    if reestimate_prior and records >= MIN_RECORDS_TO_REESTIMATE_PRIOR:
        # The chance that two records match falls as the table grows; the model's own figure is for the
        # table it was trained on, so it is estimated again for a table large enough to count on.
        linker.training.estimate_probability_two_random_records_match(
            list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
        )
        estimated = linker.misc.save_model_to_json()
        if 0 < estimated["probability_two_random_records_match"] < 1:
            model = Model(settings=_without_run_details(estimated), source=model.source)
        linker = Linker(
            db_api.register(records_table, table_name="__jj_records_again"),
            _for_prediction(model),
            log_level=logging.WARNING,
        )
    predictions = linker.inference.predict(threshold_match_probability=thresholds.lower)
    clustered = None
    con.register("__jj_confirmed_view", confirmed)
    con.register("__jj_rejected_view", rejected)
    try:
        gammas = ", ".join(f"p.gamma_{c['output_column_name']}" for c in model.settings["comparisons"])
        con.execute(
            f"""
            create or replace table {pairs_table} as
            select
                least(p.unique_id_l, p.unique_id_r) as unique_id_l,
                greatest(p.unique_id_l, p.unique_id_r) as unique_id_r,
                p.match_probability, p.match_weight, {gammas},
                case when n.unique_id_l is not null then 'rejected'
                     when y.unique_id_l is not null then 'confirmed' end as clerical_decision
            from {predictions.physical_name} as p
            left join __jj_rejected_view as n
              on n.unique_id_l = least(p.unique_id_l, p.unique_id_r)
             and n.unique_id_r = greatest(p.unique_id_l, p.unique_id_r)
            left join __jj_confirmed_view as y
              on y.unique_id_l = least(p.unique_id_l, p.unique_id_r)
             and y.unique_id_r = greatest(p.unique_id_l, p.unique_id_r)
            """
        )
        timings["predict_s"] = time.perf_counter() - started

        started = time.perf_counter()
        _notify(progress, "clustering", 0.8)
        con.execute(
            f"""
            create or replace table __jj_edges as
            select unique_id_l, unique_id_r, match_probability from {pairs_table}
            where match_probability >= {thresholds.upper} and clerical_decision is distinct from 'rejected'
            union all
            select y.unique_id_l, y.unique_id_r, 1.0 from __jj_confirmed_view as y
            where exists (select 1 from {records_table} r where r.unique_id = y.unique_id_l)
              and exists (select 1 from {records_table} r where r.unique_id = y.unique_id_r)
            """
        )
        clustered = cluster_pairwise_predictions_at_threshold(
            db_api.register(records_table, table_name="__jj_nodes"),
            db_api.register("__jj_edges", table_name="__jj_edges_in"),
            db_api,
            node_id_column_name="unique_id",
        )
        con.execute(
            f"create or replace table {clusters_table} as "
            f"select cast(unique_id as varchar) as unique_id, cast(cluster_id as varchar) as cluster_id "
            f"from {clustered.physical_name}"
        )
        conflicts = _separate_rejected_pairs(con, clusters_table, "__jj_edges", "__jj_rejected_view")
        timings["cluster_s"] = time.perf_counter() - started
    finally:
        con.unregister("__jj_confirmed_view")
        con.unregister("__jj_rejected_view")
        con.execute("drop table if exists __jj_edges")
        predictions.drop_table_from_database_and_remove_from_cache()
        if clustered is not None:
            clustered.drop_table_from_database_and_remove_from_cache()
    _notify(progress, "linked", 1.0)
    return LinkageResult(
        con=con,
        pairs_table=pairs_table,
        clusters_table=clusters_table,
        thresholds=thresholds,
        model=model,
        records=records,
        timings=timings,
        conflicts=conflicts,
    )


class _Components:
    """Union-find that refuses a union joining two records a clerical decision keeps apart."""

    def __init__(self, rejected: dict[str, set[str]]):
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.rejected = rejected

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        self.members.setdefault(node, {node})
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: str, b: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        small, large = sorted((root_a, root_b), key=lambda r: len(self.members[r]))
        for member in self.members[small]:
            if self.rejected.get(member, set()) & self.members[large]:
                return False
        self.parent[small] = large
        self.members[large] |= self.members.pop(small)
        return True


def _separate_rejected_pairs(
    con: duckdb.DuckDBPyConnection, clusters_table: str, edges_table: str, rejected_table: str
) -> list[Pair]:
    """Split each cluster holding a rejected pair by re-adding its edges strongest first, skipping any
    edge that would join a rejected pair; the weakest links are the ones left out. Returns confirmed
    pairs that could not be honoured because they contradict a rejection."""
    offending = con.sql(
        f"""
        select distinct a.cluster_id
        from {rejected_table} as n
        join {clusters_table} as a on a.unique_id = n.unique_id_l
        join {clusters_table} as b on b.unique_id = n.unique_id_r
        where a.cluster_id = b.cluster_id
        """
    ).fetchall()
    if not offending:
        return []
    cluster_ids = pa.table({"cluster_id": pa.array([row[0] for row in offending], pa.string())})
    con.register("__jj_offending_view", cluster_ids)
    try:
        members = con.sql(
            f"select unique_id, cluster_id from {clusters_table} "
            "where cluster_id in (select cluster_id from __jj_offending_view)"
        ).fetchall()
        edges = con.sql(
            f"""
            select e.unique_id_l, e.unique_id_r, e.match_probability
            from {edges_table} as e
            join {clusters_table} as c on c.unique_id = e.unique_id_l
            where c.cluster_id in (select cluster_id from __jj_offending_view)
            order by e.match_probability desc, e.unique_id_l, e.unique_id_r
            """
        ).fetchall()
        rejected_rows = con.sql(f"select unique_id_l, unique_id_r from {rejected_table}").fetchall()
    finally:
        con.unregister("__jj_offending_view")
    rejected: dict[str, set[str]] = {}
    for a, b in rejected_rows:
        rejected.setdefault(a, set()).add(b)
        rejected.setdefault(b, set()).add(a)
    components = _Components(rejected)
    for unique_id, _ in members:
        components.find(unique_id)
    conflicts: list[Pair] = []
    for a, b, probability in edges:
        if not components.union(a, b) and probability >= 1.0:
            conflicts.append((a, b))
    new_ids: dict[str, str] = {}
    for unique_id, _ in members:
        root = components.find(unique_id)
        new_ids[unique_id] = min(components.members[root])
    update = pa.table(
        {
            "unique_id": pa.array(list(new_ids), pa.string()),
            "cluster_id": pa.array(list(new_ids.values()), pa.string()),
        }
    )
    con.register("__jj_split_view", update)
    try:
        con.execute(
            f"update {clusters_table} as c set cluster_id = s.cluster_id "
            "from __jj_split_view as s where c.unique_id = s.unique_id"
        )
    finally:
        con.unregister("__jj_split_view")
    return conflicts
