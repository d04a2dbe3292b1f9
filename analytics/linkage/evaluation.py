"""Accuracy of a clustering against the truth, counted over pairs of records.

A true pair is two records of the same true person; a predicted pair is two records in the same
cluster. Precision, recall and F1 are over those pairs, so a wrongly merged large cluster costs many
pairs, as it would cost many wrongly shared journeys.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class PairwiseAccuracy:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise_accuracy_sql(assignments_table: str) -> str:
    """`assignments_table` has unique_id, cluster_id (predicted) and person_id (truth)."""
    return f"""
    with
    predicted as (select count(*) as n from {assignments_table} group by cluster_id),
    truth as (select count(*) as n from {assignments_table} group by person_id),
    both_ as (select count(*) as n from {assignments_table} group by cluster_id, person_id)
    select
        (select coalesce(sum(n * (n - 1) / 2), 0) from truth),
        (select coalesce(sum(n * (n - 1) / 2), 0) from predicted),
        (select coalesce(sum(n * (n - 1) / 2), 0) from both_)
    """


def pairwise_accuracy(con: duckdb.DuckDBPyConnection, assignments_table: str) -> PairwiseAccuracy:
    row = con.execute(pairwise_accuracy_sql(assignments_table)).fetchall()[0]
    return PairwiseAccuracy(int(row[0]), int(row[1]), int(row[2]))


def cluster_accuracy(
    con: duckdb.DuckDBPyConnection, clusters_table: str, truth_table: str, truth_column: str = "person_id"
) -> PairwiseAccuracy:
    """Compare `clusters_table` (unique_id, cluster_id) with `truth_table` (unique_id, `truth_column`)."""
    con.execute(
        f"""
        create or replace temp table __jj_assignments as
        select c.unique_id, c.cluster_id, cast(t.{truth_column} as varchar) as person_id
        from {clusters_table} as c
        join {truth_table} as t on cast(t.unique_id as varchar) = c.unique_id
        """
    )
    try:
        return pairwise_accuracy(con, "__jj_assignments")
    finally:
        con.execute("drop table if exists __jj_assignments")


def exact_match_clusters_sql(prepared_table: str) -> str:
    """The deterministic baseline: records agree on exact normalised given name, family name and date of birth."""
    return f"""
    select unique_id,
           case when given_compact is null or family_compact is null or dob is null then unique_id
                else min(unique_id) over (partition by given_compact, family_compact, dob) end as cluster_id
    from {prepared_table}
    """
