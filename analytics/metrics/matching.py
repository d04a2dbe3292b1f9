"""Obligation matching as SQL: each trigger with the response that answered it (ADR 0040, ADR 0046, ADR 0048).

The events of one metric, crime and victim form a group. Most groups hold at most one trigger and at most
one response; their match needs no ordering: the response answers the trigger when it is at or after it.
Those groups are settled by joining each metric's triggers to its responses on the crime row (a metric whose
trigger and response are both columns of the crime row needs no join). Only the other groups go through the
running balance, whose windows sort every row and are by far the dearest step.

Relations read: `jj_crimes`, `jj_known_events`, `jj_event_types`; relations made by the pipeline from these functions:
`jj_stream` (view), `jj_complex_groups`, `jj_groups`, `jj_complex_matched`, `jj_pairs`.
"""

from collections.abc import Sequence

from analytics.metrics.literals import quote
from analytics.metrics.sql import of_types

# Orders the events of one crime and victim: by instant; a trigger before a response at the same instant
# (so a response at the very instant of its trigger answers it); then in file order.
# NULLS LAST spelled out: it is DuckDB's default and not Spark's, and rows from crime columns have no seq or
# event id, so the two engines would otherwise order a group's rows differently.
STREAM_ORDER = ", ".join(
    f"{column} ASC NULLS LAST" for column in ("instant_at", "kind", "body", "seq", "event_id")
)
GROUP = ("metric", "crime_id")
# Stream column -> suffix of the trigger_ and response_ columns of a group and a pair.
SIDE_COLUMNS = {"instant_at": "at", "on_date": "on", "body": "body", "detail": "detail"}


def _crime_side_sql(metric_id: str, column: str, kind: int) -> str:
    field = column.removeprefix("crime.")
    on = field.removesuffix("_at") + "_on"
    return (
        f"SELECT {quote(metric_id)} AS metric, c.crime_id, c.force, c.{field} AS instant_at, "
        f"c.{on} AS on_date, {kind} AS kind, c.body, 0 AS seq, '' AS event_id, '' AS detail FROM jj_crimes c"
    )


def _event_side_sql(metric_id: str, event_types: Sequence[str], kind: int, detail: str = "") -> str:
    detail_filter = f" AND e.detail = {quote(detail)}" if detail else ""
    return (
        f"SELECT {quote(metric_id)} AS metric, e.crime_id, e.force, e.occurred_at AS instant_at, "
        f"e.occurred_on AS on_date, {kind} AS kind, e.body, e.seq, e.event_id, e.detail "
        f"FROM jj_known_events e WHERE {of_types('e', event_types)}{detail_filter}"
    )


Pair = tuple[str, str, str, Sequence[str]]


def _sources(pair: Pair) -> tuple[list[str], list[str]]:
    """The trigger's sources and the responses' sources of one pair; a source is an event type or
    `crime.<column>`."""
    _, trigger, _, responses = pair
    return [trigger], list(responses)


def _side_parts(metric_id: str, sources: Sequence[str], kind: int, detail: str = "") -> list[str]:
    parts = [_crime_side_sql(metric_id, s, kind) for s in sources if s.startswith("crime.")]
    event_types = [s for s in sources if not s.startswith("crime.")]
    if event_types:
        parts.append(_event_side_sql(metric_id, event_types, kind, detail))
    return parts


def _side_sql(metric_id: str, sources: Sequence[str], kind: int, detail: str = "") -> str:
    parts = _side_parts(metric_id, sources, kind, detail)
    if not parts:  # an obligation with no response named: a side with no rows
        return _event_side_sql(metric_id, ["-"], kind) + " AND 1 = 0"
    return " UNION ALL ".join(parts)


def stream_sql(pairs: Sequence[Pair]) -> str:
    """Triggers (kind 0) and responses (kind 1) of every matched pair, as one stream.

    `pairs` holds (metric id, trigger, trigger detail, responses); a trigger or response named
    `crime.<column>` comes from the crimes row itself.
    """
    parts = []
    for pair in pairs:
        metric_id, _, trigger_detail, _ = pair
        triggers, responses = _sources(pair)
        parts += _side_parts(metric_id, triggers, 0, trigger_detail)
        parts += _side_parts(metric_id, responses, 1)
    return " UNION ALL ".join(parts)


def _crime_field(sources: Sequence[str]) -> str | None:
    """The crimes column of a side that is one column of the crime row (one row per crime, always)."""
    if len(sources) == 1 and sources[0].startswith("crime."):
        return sources[0].removeprefix("crime.")
    return None


def _complex_side_sql(metric_id: str, sources: Sequence[str], kind: int, detail: str = "") -> str:
    """Crime rows where this side has more than one row or a missing instant."""
    field = _crime_field(sources)
    if field is not None:
        return f"SELECT {quote(metric_id)} AS metric, crime_id FROM jj_crimes WHERE {field} IS NULL"
    return (
        f"SELECT {quote(metric_id)} AS metric, crime_id FROM ({_side_sql(metric_id, sources, kind, detail)}) s "
        "GROUP BY crime_id HAVING COUNT(*) > 1 OR COUNT(instant_at) < COUNT(*)"
    )


def complex_groups_sql(pairs: Sequence[Pair]) -> str:
    """The groups that are not simple: more than one trigger or response, or an instant missing."""
    parts = []
    for pair in pairs:
        metric_id, _, trigger_detail, _ = pair
        triggers, responses = _sources(pair)
        parts.append(_complex_side_sql(metric_id, triggers, 0, trigger_detail))
        parts.append(_complex_side_sql(metric_id, responses, 1))
    return f"SELECT DISTINCT metric, crime_id FROM ({' UNION ALL '.join(parts)}) x"


def _side_columns(alias: str, prefix: str) -> str:
    return ", ".join(f"{alias}.{column} AS {prefix}_{suffix}" for column, suffix in SIDE_COLUMNS.items())


def _simple_side_sql(metric_id: str, sources: Sequence[str], kind: int, detail: str = "") -> str:
    return (
        f"SELECT * FROM ({_side_sql(metric_id, sources, kind, detail)}) s WHERE NOT EXISTS ("
        f"SELECT 1 FROM jj_complex_groups g WHERE g.metric = {quote(metric_id)} AND g.crime_id = s.crime_id)"
    )


def _simple_groups_of(pair: Pair) -> str:
    metric_id, _, trigger_detail, _ = pair
    triggers, responses = _sources(pair)
    trigger_field, response_field = _crime_field(triggers), _crime_field(responses)
    if trigger_field is not None and response_field is not None:
        # Both from the crime row: one trigger and one response in every group that has both instants.
        sides = [
            f"c.{field} AS {prefix}_at, c.{field.removesuffix('_at')}_on AS {prefix}_on, "
            f"c.body AS {prefix}_body, '' AS {prefix}_detail"
            for field, prefix in ((trigger_field, "trigger"), (response_field, "response"))
        ]
        return (
            f"SELECT {quote(metric_id)} AS metric, c.crime_id, c.force, 1 AS triggers, 1 AS responses, "
            f"{', '.join(sides)} FROM jj_crimes c "
            f"WHERE c.{trigger_field} IS NOT NULL AND c.{response_field} IS NOT NULL"
        )
    trigger = _simple_side_sql(metric_id, triggers, 0, trigger_detail)
    response = _simple_side_sql(metric_id, responses, 1)
    return (
        f"SELECT {quote(metric_id)} AS metric, COALESCE(t.crime_id, r.crime_id) AS crime_id, "
        "COALESCE(t.force, r.force) AS force, CASE WHEN t.crime_id IS NULL THEN 0 ELSE 1 END AS triggers, "
        f"CASE WHEN r.crime_id IS NULL THEN 0 ELSE 1 END AS responses, {_side_columns('t', 'trigger')}, "
        f"{_side_columns('r', 'response')} FROM ({trigger}) t FULL OUTER JOIN ({response}) r ON r.crime_id = t.crime_id"
    )


def groups_sql(pairs: Sequence[Pair]) -> str:
    """One row per simple group (metric, crime and victim): at most one trigger, at most one response, no
    instant missing; how many of each, and their instant, date, body and detail. Each pair's triggers are
    joined to its responses on the crime row; no aggregate over the whole stream is needed."""
    return " UNION ALL ".join(_simple_groups_of(pair) for pair in pairs)


def _window(frame: str) -> str:
    return f"OVER (PARTITION BY metric, crime_id ORDER BY {STREAM_ORDER} ROWS BETWEEN {frame})"


def complex_matched_sql() -> str:
    """The stream rows of the groups that are not simple, matched by the running balance.

    A response answers the earliest unmatched trigger at or before it: a first-in, first-out queue, so the
    k-th response that finds an open trigger answers the k-th trigger. The running balance counts open
    triggers (+1 a trigger, -1 a response); the queue length is that balance floored at zero, which equals
    balance - min(0, lowest balance so far). A response finds no open trigger exactly when it takes the
    balance below every earlier value and below zero; the responses before it that found none number
    -min(0, lowest earlier balance), so its match rank is responses_so_far + that floor.
    """
    running = _window("UNBOUNDED PRECEDING AND CURRENT ROW")
    earlier = _window("UNBOUNDED PRECEDING AND 1 PRECEDING")
    stream = "SELECT s.* FROM jj_stream s JOIN jj_complex_groups g ON g.metric = s.metric AND g.crime_id = s.crime_id"
    balance = (
        f"SELECT s.*, SUM(1 - 2 * kind) {running} AS balance, SUM(1 - kind) {running} AS trigger_rank, "
        f"SUM(kind) {running} AS responses_so_far FROM ({stream}) s"
    )
    return (
        "SELECT b.*, CASE WHEN kind = 1 AND balance < low_water THEN 1 ELSE 0 END AS unmatched, "
        "CASE WHEN kind = 1 AND balance >= low_water THEN responses_so_far + low_water END AS match_rank "
        f"FROM (SELECT s.*, LEAST(0, COALESCE(MIN(balance) {earlier}, 0)) AS low_water FROM ({balance}) s) b"
    )


def responses_sql() -> str:
    """Every response with its area, body, date and whether it found no trigger to answer."""
    return (
        "SELECT metric, force, response_body AS body, response_on AS on_date, "
        "CASE WHEN triggers = 0 OR response_at < trigger_at THEN 1 ELSE 0 END AS unmatched "
        "FROM jj_groups WHERE responses = 1 UNION ALL "
        "SELECT metric, force, body, on_date, unmatched FROM jj_complex_matched WHERE kind = 1"
    )


def pairs_sql() -> str:
    """Each trigger with the response that answered it, if any."""
    answered = "g.responses = 1 AND g.response_at >= g.trigger_at"
    triggers = ", ".join(f"g.trigger_{suffix}" for suffix in SIDE_COLUMNS.values())
    responses = ", ".join(
        f"CASE WHEN {answered} THEN g.response_{suffix} END AS response_{suffix}"
        for suffix in SIDE_COLUMNS.values()
    )
    simple = (
        f"SELECT g.metric, g.crime_id, g.force, {triggers}, {responses} FROM jj_groups g WHERE g.triggers = 1"
    )
    return f"{simple} UNION ALL {_complex_pairs_sql()}"


def _complex_pairs_sql() -> str:
    return (
        "SELECT t.metric, t.crime_id, t.force, t.instant_at AS trigger_at, t.on_date AS trigger_on, "
        "t.body AS trigger_body, t.detail AS trigger_detail, r.instant_at AS response_at, r.on_date AS response_on, "
        "r.body AS response_body, r.detail AS response_detail "
        "FROM (SELECT * FROM jj_complex_matched WHERE kind = 0) t "
        "LEFT JOIN (SELECT * FROM jj_complex_matched WHERE kind = 1 AND unmatched = 0) r "
        "ON r.metric = t.metric AND r.crime_id = t.crime_id AND r.match_rank = t.trigger_rank"
    )
