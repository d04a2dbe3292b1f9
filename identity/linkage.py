"""Batch linkage over the whole vault: export, link with `analytics.linkage`, apply the results.

The personal fields are decrypted into an in-memory DuckDB table inside this process only; nothing
is written to disk. The linkage core clusters the records, respecting every clerical decision; this
module then merges numbers through the registry, queues the doubtful pairs for review, and sends
numbers whose records now fall apart to review as possible splits.
"""

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import duckdb
import pyarrow as pa
from django.db import transaction

from accounts.audit import record as audit
from accounts.models import AuditEvent, User
from analytics.linkage import DEFAULT_THRESHOLDS, Model, Thresholds, link_records
from identity import actions, crypto
from identity.models import JusticeJourneyNumber, RegistryEvent, ReviewItem, VictimRecord
from identity.routers import VAULT_DB

Progress = Callable[[str, float], None]
EXPORT_BATCH = 5000
TABLE = "vault_victims"
_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("postcode", pa.string()),
        ("email", pa.string()),
        ("phone", pa.string()),
    ]
)
_FIELDS = ("given_name", "family_name", "date_of_birth", "postcode", "email", "phone")


@dataclass(frozen=True)
class LinkSummary:
    records: int
    new_jjns: int
    merges: int
    review_items: int
    split_requests: int

    def line(self) -> str:
        return (
            f"{_counted(self.records, 'record')} linked: {_counted(self.new_jjns, 'new JJN')} since the last run, "
            f"{_counted(self.merges, 'merge')}, {_counted(self.review_items, 'new review item')}, "
            f"{_counted(self.split_requests, 'possible split')} sent to review"
        )


def _counted(count: int, noun: str) -> str:
    """`1 merge`, `1,013 merges`: the summary is read by people; scripts read the audit event's details."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def export_records(
    con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None
) -> tuple[int, dict[int, int]]:
    """Writes every named record to `vault_victims` on `con`; returns (count, record id -> number id)."""
    batches = []
    numbers: dict[int, int] = {}
    total = VictimRecord.objects.using(VAULT_DB).count() or 1
    rows = (
        VictimRecord.objects.using(VAULT_DB)
        .filter(family_name__isnull=False)
        .order_by("id")
        .values_list("id", "jjn_id", *_FIELDS)
        .iterator(chunk_size=EXPORT_BATCH)
    )
    columns: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for record_id, number_id, *tokens in rows:
        numbers[record_id] = number_id
        columns["unique_id"].append(str(record_id))
        for name, token in zip(_FIELDS, tokens, strict=True):
            value = crypto.decrypt(name, token)
            columns[name].append(value if name != "date_of_birth" or value is None else _date(value))
        if len(columns["unique_id"]) >= EXPORT_BATCH:
            batches.append(pa.table(columns, schema=_SCHEMA))
            columns = {name: [] for name in _SCHEMA.names}
            if progress:
                progress("reading the vault", 0.1 * len(numbers) / total)
    batches.append(pa.table(columns, schema=_SCHEMA))
    table = pa.concat_tables(batches)
    con.register("__vault_export", table)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS SELECT * FROM __vault_export")
    finally:
        con.unregister("__vault_export")
    return len(numbers), numbers


def _date(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)


def _decided_pairs(status: str) -> list[tuple[str, str]]:
    return [
        (str(left), str(right))
        for left, right in ReviewItem.objects.using(VAULT_DB)
        .filter(kind=ReviewItem.Kind.PAIR, status=status)
        .values_list("left_id", "right_id")
    ]


def _split_decisions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Pairs a split decision keeps apart (moved records against those left), and pairs a rejected
    split keeps together (the records of a number decided to be one person)."""
    apart: list[tuple[str, str]] = []
    together: list[tuple[str, str]] = []
    decisions = RegistryEvent.objects.using(VAULT_DB).filter(
        kind__in=[RegistryEvent.Kind.SPLIT_DECIDED, RegistryEvent.Kind.SPLIT_REJECTED]
    )
    for number_id, kind, detail in decisions.values_list("number_id", "kind", "detail"):
        # Decisions name the records on each side; those recorded before they did are read from the number.
        recorded = detail.get("records_left" if kind == RegistryEvent.Kind.SPLIT_DECIDED else "records")
        left = (
            sorted(recorded)
            if recorded is not None
            else sorted(
                VictimRecord.objects.using(VAULT_DB).filter(jjn_id=number_id).values_list("id", flat=True)
            )
        )
        if kind == RegistryEvent.Kind.SPLIT_DECIDED:
            moved = detail.get("records_moved", [])
            apart.extend((str(a), str(b)) for a in moved for b in left if a != b)
        else:
            together.extend((str(a), str(b)) for a, b in pairwise(left))
    return apart, together


def _numbers_issued_since_last_run() -> int:
    last = (
        AuditEvent.objects.filter(action="identity.link", outcome=AuditEvent.Outcome.OK)
        .order_by("-at")
        .first()
    )
    events = RegistryEvent.objects.using(VAULT_DB).filter(
        kind__in=[RegistryEvent.Kind.ISSUED, RegistryEvent.Kind.RECEIVED]
    )
    if last is not None:
        events = events.filter(at__gt=last.at)
    return events.count()


def run_linkage(
    *,
    by: User | None,
    engine: str = "duckdb",
    model: Model | str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Progress | None = None,
    con: Any = None,
) -> LinkSummary:
    """Links every named record in the vault and applies the result. One audit event with the summary."""
    label = by.get_username() if by is not None else "linkage"
    local = duckdb.connect() if con is None else con
    checkpoints = ""
    try:
        count, number_of = export_records(local, progress=progress)
        if count < 2:
            summary = LinkSummary(count, _numbers_issued_since_last_run(), 0, 0, 0)
            audit(by=by, action="identity.link", detail=summary.__dict__, actor_label=label)
            return summary
        linked_on, table = local, TABLE
        if engine == "spark":
            checkpoints = tempfile.mkdtemp(prefix="jj-link-")
            linked_on, table = _spark_table(local, checkpoints)

        def scaled(stage: str, fraction: float) -> None:
            if progress:
                progress(stage, 0.1 + 0.8 * fraction)

        apart, together = _split_decisions()
        result = link_records(
            linked_on,
            table,
            model=model,
            thresholds=thresholds,
            engine=engine,
            must_link=[*_decided_pairs(ReviewItem.Status.CONFIRMED), *together],
            must_not_link=[*_decided_pairs(ReviewItem.Status.REJECTED), *apart],
            progress=scaled,
        )
        clusters = {int(uid): cid for uid, cid in result.clusters().items()}
        review = [
            (int(pair.unique_id_l), int(pair.unique_id_r), pair.match_probability)
            for pair in result.scored_pairs(for_review_only=True)
        ]
    finally:
        if con is None:
            local.close()
        if checkpoints:
            shutil.rmtree(checkpoints, ignore_errors=True)
    if progress:
        progress("applying merges and review items", 0.9)
    summary = apply_linkage(clusters, review, number_of, by=by, label=label)
    if progress:
        progress("done", 1.0)
    return summary


def _spark_table(con: duckdb.DuckDBPyConnection, checkpoints: str) -> tuple[Any, str]:
    from analytics.spark import local_session

    spark = local_session(app_name="justice-journey-link")
    # Splink checkpoints intermediate tables: they go to a private folder removed when linkage ends.
    spark.sparkContext.setCheckpointDir(checkpoints)
    frame = spark.createDataFrame(con.sql(f"SELECT * FROM {TABLE}").to_arrow_table())
    frame.createOrReplaceTempView(TABLE)
    return spark, TABLE


def apply_linkage(
    clusters: dict[int, str],
    review: list[tuple[int, int, float]],
    number_of: dict[int, int],
    *,
    by: User | None,
    label: str,
) -> LinkSummary:
    members: dict[str, list[int]] = defaultdict(list)
    for record_id, cluster in clusters.items():
        members[cluster].append(record_id)
    merge_pairs: list[tuple[int, int]] = []
    for records in members.values():
        first_by_number: dict[int, int] = {}
        for record_id in sorted(records):
            first_by_number.setdefault(number_of[record_id], record_id)
        anchor, *others = first_by_number.values()
        merge_pairs.extend((anchor, other) for other in others)

    clusters_of_number: dict[int, set[str]] = defaultdict(set)
    for record_id, cluster in clusters.items():
        clusters_of_number[number_of[record_id]].add(cluster)
    falling_apart = sorted(number for number, found in clusters_of_number.items() if len(found) > 1)

    doubtful = [
        (left, right, probability)
        for left, right, probability in review
        if clusters.get(left) != clusters.get(right) and number_of.get(left) != number_of.get(right)
    ]
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        merges = actions.merge_records(merge_pairs, by=by, reason="batch linkage", actor_label=label)
        queued = actions.raise_pairs(
            doubtful, by=by, actor_label=label, reason="batch linkage: between the thresholds"
        )
        splits = 0
        numbers = {n.id: n for n in JusticeJourneyNumber.objects.using(VAULT_DB).filter(id__in=falling_apart)}
        for number_id in falling_apart:
            number = numbers[number_id]
            if number.superseded_by_id is not None:
                continue
            if ReviewItem.objects.using(VAULT_DB).filter(kind="split", number=number, status="open").exists():
                continue
            actions.request_split(
                value=number.number,
                reason="batch linkage places the records of this number in different people",
                by=by,
                actor_label=label,
            )
            splits += 1
        summary = LinkSummary(len(clusters), _numbers_issued_since_last_run(), merges, queued, splits)
        audit(by=by, action="identity.link", detail=summary.__dict__, actor_label=label)
    return summary
