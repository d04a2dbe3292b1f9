"""Obligation matching as SQL: each trigger with the response that answered it (ADR 0040, ADR 0046).

The events of one metric, crime and victim form a group. Most groups hold at most one trigger and at most
one response; their match needs no ordering: the response answers the trigger when it is at or after it.
One aggregate settles those groups. Only the other groups go through the running balance, whose windows
sort every row and are by far the dearest step.

Relations read: `jj_crimes`, `jj_known_events`; relations made by the pipeline from these functions:
`jj_stream` (view), `jj_groups`, `jj_complex_matched`, `jj_pairs`.
"""

from collections.abc import Sequence

from analytics.metrics.sql import in_list, quote

# Orders the events of one crime and victim: by instant; a trigger before a response at the same instant
# (so a response at the very instant of its trigger answers it); then in file order.
STREAM_ORDER = "instant_at, kind, body, seq, event_id"
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
        f"FROM jj_known_events e WHERE e.event_type IN {in_list(event_types)}{detail_filter}"
    )


def stream_sql(pairs: Sequence[tuple[str, str, str, Sequence[str]]]) -> str:
    """Triggers (kind 0) and responses (kind 1) of every matched pair, as one stream.

    `pairs` holds (metric id, trigger, trigger detail, responses); a trigger or response named
    `crime.<column>` comes from the crimes row itself.
    """
    parts = []
    for metric_id, trigger, trigger_detail, responses in pairs:
        if trigger.startswith("crime."):
            parts.append(_crime_side_sql(metric_id, trigger, 0))
        else:
            parts.append(_event_side_sql(metric_id, [trigger], 0, trigger_detail))
        crime_responses = [r for r in responses if r.startswith("crime.")]
        event_responses = [r for r in responses if not r.startswith("crime.")]
        parts.extend(_crime_side_sql(metric_id, response, 1) for response in crime_responses)
        if event_responses:
            parts.append(_event_side_sql(metric_id, event_responses, 1))
    return " UNION ALL ".join(parts)


def groups_sql() -> str:
    """One row per metric, crime and victim: how many triggers and responses, and, where there is one of
    each, its instant, date, body and detail. A group is simple when it has at most one trigger, at most one
    response and no instant missing; only the others need the running balance."""
    sides = [
        f"MIN(CASE WHEN kind = {kind} THEN {column} END) AS {prefix}_{suffix}"
        for kind, prefix in ((0, "trigger"), (1, "response"))
        for column, suffix in SIDE_COLUMNS.items()
    ]
    return (
        f"SELECT metric, crime_id, MIN(force) AS force, SUM(1 - kind) AS triggers, SUM(kind) AS responses, "
        f"{', '.join(sides)}, "
        "CASE WHEN SUM(1 - kind) <= 1 AND SUM(kind) <= 1 AND COUNT(instant_at) = COUNT(*) THEN 1 ELSE 0 END "
        "AS simple FROM jj_stream GROUP BY metric, crime_id"
    )


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
    stream = (
        "SELECT s.* FROM jj_stream s JOIN (SELECT metric, crime_id FROM jj_groups WHERE simple = 0) g "
        "ON g.metric = s.metric AND g.crime_id = s.crime_id"
    )
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
        "FROM jj_groups WHERE simple = 1 AND responses = 1 UNION ALL "
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
        f"SELECT g.metric, g.crime_id, g.force, {triggers}, {responses} "
        "FROM jj_groups g WHERE g.simple = 1 AND g.triggers = 1"
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
