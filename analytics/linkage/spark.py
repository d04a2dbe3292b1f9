"""The same linkage on Spark, for national scale: same model file, same thresholds, same clerical rules.

Records are normalised by the Python `normalise_record` applied to Arrow batches (so Spark and the online
scorer agree exactly); the model's DuckDB SQL is translated to Spark SQL; Splink's Spark backend scores
and clusters. Clusters holding a rejected pair are few and small, so they are split on the driver with
the same weakest-link rule as on DuckDB.
"""

from __future__ import annotations

import copy
import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa

from analytics.linkage.comparisons import blocking_rules_settings
from analytics.linkage.model import DEFAULT_MODEL_PATH, Model, load_model
from analytics.linkage.normalise import NORMALISED_COLUMNS, REQUIRED_COLUMNS, normalise_record

NORMALISED_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("given_name", pa.string()),
        ("given_compact", pa.string()),
        ("given_canonical", pa.string()),
        ("given_metaphone", pa.string()),
        ("family_name", pa.string()),
        ("family_compact", pa.string()),
        ("family_metaphone", pa.string()),
        ("dob", pa.date32()),
        ("dob_year", pa.int64()),
        ("dob_month", pa.int64()),
        ("dob_day", pa.int64()),
        ("postcode", pa.string()),
        ("postcode_outward", pa.string()),
        ("email", pa.string()),
        ("phone", pa.string()),
    ]
)
assert tuple(NORMALISED_SCHEMA.names) == NORMALISED_COLUMNS


def spark_sql(duckdb_sql: str) -> str:
    """A model condition or blocking rule, written for DuckDB, in Spark SQL (Splink's Spark jaro_winkler)."""
    import sqlglot

    if duckdb_sql.strip().upper() == "ELSE":
        return duckdb_sql
    translated = sqlglot.transpile(duckdb_sql, read="duckdb", write="spark")[0]
    return translated.replace("JAROWINKLER_SIMILARITY(", "jaro_winkler(")


def spark_settings(model: Model) -> dict[str, Any]:
    settings = copy.deepcopy(model.splink_settings())
    settings["sql_dialect"] = "spark"
    settings["retain_matching_columns"] = True
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    settings["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": spark_sql(rule["blocking_rule"]), "sql_dialect": "spark"}
        for rule in blocking_rules_settings()
    ]
    return settings


def _normalise_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = [normalise_record(record) for record in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=NORMALISED_SCHEMA)


def prepare_records_spark(spark: Any, table_name: str) -> Any:
    frame = spark.table(table_name)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"table {table_name!r} lacks the column(s) {', '.join(missing)}")
    frame = frame.selectExpr(
        "cast(unique_id as string) as unique_id", *[c for c in REQUIRED_COLUMNS if c != "unique_id"]
    )
    ddl = ", ".join(
        f"{field.name} {'date' if field.type == pa.date32() else 'bigint' if field.type == pa.int64() else 'string'}"
        for field in NORMALISED_SCHEMA
    )
    return frame.mapInArrow(_normalise_batches, ddl)


def link_records_spark(
    spark: Any,
    table_name: str,
    *,
    model: Model | str | None,
    thresholds: Any,
    must_link: Iterable[tuple[str, str]],
    must_not_link: Iterable[tuple[str, str]],
    output_prefix: str,
    progress: Any,
) -> Any:
    from splink import Linker, SparkAPI

    from analytics.linkage.linking import LinkageResult, _notify, _pairs_table, _separate_rejected_pairs

    if model is None:
        model = load_model(DEFAULT_MODEL_PATH)
    elif not isinstance(model, Model):
        model = load_model(model)
    confirmed = _pairs_table(must_link, "must_link")
    rejected = _pairs_table(must_not_link, "must_not_link")
    pairs_table, clusters_table = f"{output_prefix}_pairs", f"{output_prefix}_clusters"

    _notify(progress, "normalising records", 0.0)
    records = prepare_records_spark(spark, table_name).cache()
    records.createOrReplaceTempView(f"{output_prefix}_records")
    count = records.count()

    _notify(progress, "scoring pairs", 0.15)
    db_api = SparkAPI(spark_session=spark)
    linker = Linker(db_api.register(records), spark_settings(model), log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=thresholds.lower).as_spark_dataframe()
    predictions.createOrReplaceTempView("__jj_predictions")
    spark.createDataFrame(
        confirmed.to_pylist(), "unique_id_l string, unique_id_r string"
    ).createOrReplaceTempView("__jj_confirmed")
    spark.createDataFrame(
        rejected.to_pylist(), "unique_id_l string, unique_id_r string"
    ).createOrReplaceTempView("__jj_rejected")
    gammas = ", ".join(f"p.gamma_{c['output_column_name']}" for c in model.settings["comparisons"])
    pairs = spark.sql(
        f"""
        select least(p.unique_id_l, p.unique_id_r) as unique_id_l,
               greatest(p.unique_id_l, p.unique_id_r) as unique_id_r,
               p.match_probability, p.match_weight, {gammas},
               case when n.unique_id_l is not null then 'rejected'
                    when y.unique_id_l is not null then 'confirmed' end as clerical_decision
        from __jj_predictions as p
        left join __jj_rejected as n
          on n.unique_id_l = least(p.unique_id_l, p.unique_id_r) and n.unique_id_r = greatest(p.unique_id_l, p.unique_id_r)
        left join __jj_confirmed as y
          on y.unique_id_l = least(p.unique_id_l, p.unique_id_r) and y.unique_id_r = greatest(p.unique_id_l, p.unique_id_r)
        """
    ).cache()
    pairs.createOrReplaceTempView(pairs_table)

    _notify(progress, "clustering", 0.8)
    edges = spark.sql(
        f"""
        select unique_id_l, unique_id_r, match_probability from {pairs_table}
        where match_probability >= {thresholds.upper} and (clerical_decision is null or clerical_decision <> 'rejected')
        union all
        select unique_id_l, unique_id_r, 1.0 as match_probability from __jj_confirmed
        """
    ).cache()
    edges.createOrReplaceTempView("__jj_edges")
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    run = uuid.uuid4().hex[:8]
    clustered = cluster_pairwise_predictions_at_threshold(
        db_api.register(records, table_name=f"__jj_nodes_{run}"),
        db_api.register(edges, table_name=f"__jj_edges_{run}"),
        db_api,
        node_id_column_name="unique_id",
    ).as_spark_dataframe()
    clusters = clustered.selectExpr(
        "cast(unique_id as string) as unique_id", "cast(cluster_id as string) as cluster_id"
    )
    conflicts: list[tuple[str, str]] = []
    if rejected.num_rows:
        # Only clusters with a rejected pair are brought to the driver and split there.
        clusters.createOrReplaceTempView("__jj_clusters_all")
        offending = spark.sql(
            """
            select distinct a.cluster_id from __jj_rejected n
            join __jj_clusters_all a on a.unique_id = n.unique_id_l
            join __jj_clusters_all b on b.unique_id = n.unique_id_r
            where a.cluster_id = b.cluster_id
            """
        )
        offending.createOrReplaceTempView("__jj_offending")
        members = spark.sql(
            "select * from __jj_clusters_all where cluster_id in (select cluster_id from __jj_offending)"
        )
        local = duckdb.connect()
        local.register(
            "members_view",
            pa.Table.from_pylist(
                [r.asDict() for r in members.collect()] or [],
                schema=pa.schema([("unique_id", pa.string()), ("cluster_id", pa.string())]),
            ),
        )
        local.execute("create table clusters as select * from members_view")
        ids = [r[0] for r in local.execute("select unique_id from clusters").fetchall()]
        edge_rows = [r.asDict() for r in edges.where(edges.unique_id_l.isin(ids)).collect()] if ids else []
        local.register(
            "edges_view",
            pa.Table.from_pylist(
                edge_rows,
                schema=pa.schema(
                    [
                        ("unique_id_l", pa.string()),
                        ("unique_id_r", pa.string()),
                        ("match_probability", pa.float64()),
                    ]
                ),
            ),
        )
        local.execute("create table edges as select * from edges_view")
        local.register("rejected_view", rejected)
        conflicts = _separate_rejected_pairs(local, "clusters", "edges", "rejected_view")
        split = local.execute("select unique_id, cluster_id from clusters").fetchall()
        if split:
            fixed = spark.createDataFrame(split, "unique_id string, cluster_id string")
            clusters = clusters.join(
                fixed.withColumnRenamed("cluster_id", "split_id"), "unique_id", "left"
            ).selectExpr("unique_id", "coalesce(split_id, cluster_id) as cluster_id")
    clusters.cache().createOrReplaceTempView(clusters_table)
    _notify(progress, "linked", 1.0)
    return LinkageResult(
        con=spark,
        pairs_table=pairs_table,
        clusters_table=clusters_table,
        thresholds=thresholds,
        model=model,
        records=count,
        conflicts=conflicts,
        engine="spark",
    )
