"""Runs the whole catalogue on a backend and returns one row per metric, area, body, quarter and breakdown."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from analytics.metrics import matching, sql
from analytics.metrics.backends import Backend
from analytics.metrics.catalogue import (
    COUNT,
    OBLIGATION,
    PROPORTION,
    QUALITY,
    Force,
    Metric,
    load_body_kinds,
    load_catalogue,
    load_forces,
)
from analytics.metrics.periods import calendar_rows, calendar_span, parse_period
from analytics.metrics.quality import QUALITY_METRICS
from analytics.metrics.statistics import (
    Z95,
    Z998,
    compare,
    group_totals,
    load_similar_areas,
    trend,
    wilson_interval,
)

CONTRACT_VIEWS = ("crimes", "events", "victims", "returns")
# A figure's trend spans its quarter and the three before it.
TREND_WINDOW = 4
# Proportion metrics whose numerator and denominator are not "crimes recorded in the quarter with at
# least one of the metric's events". The catalogue names the events; the shape of the count lives here.
VPS_READ = "R7.vps_read"
REVIEW_DECISIONS = {"R6.vrr_overturned": "vrr_requested"}
OUTPUT_COLUMNS = (
    "metric", "force", "body", "period", "breakdown", "breakdown_value", "met", "late", "missed", "pending",
    "numerator", "denominator", "rate", "ci95_low", "ci95_high",
)  # fmt: skip


class MetricsError(ValueError):
    pass


@dataclass
class MetricRow:
    metric: str
    force: str
    body: str
    period: str
    breakdown: str
    breakdown_value: str
    met: int | None
    late: int | None
    missed: int | None
    pending: int | None
    numerator: int
    denominator: int | None
    source: str
    rate: float | None = None
    ci95_low: float | None = None
    ci95_high: float | None = None
    ci998_low: float | None = None
    ci998_high: float | None = None
    national_rate: float | None = None
    national_comparison: str = ""
    similar_group: str = ""
    similar_rate: float | None = None
    similar_comparison: str = ""
    trend: str = ""


@dataclass
class MetricRun:
    periods: list[str]
    cutoff: date
    as_of: datetime
    engine: str
    rows: list[MetricRow] = field(default_factory=list)
    # (body, metric, period) whose return replaced figures the body's crimes or events would have given.
    superseded: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MetricInfo:
    id: str
    kind: str
    title: str
    higher_is_better: bool | None


def metric_infos(catalogue: Sequence[Metric] | None = None) -> dict[str, MetricInfo]:
    infos = {
        m.id: MetricInfo(m.id, m.kind, m.title, m.higher_is_better) for m in catalogue or load_catalogue()
    }
    infos.update({q.id: MetricInfo(q.id, QUALITY, q.title, q.higher_is_better) for q in QUALITY_METRICS})
    return infos


def _load_reference_tables(
    backend: Backend, catalogue: Sequence[Metric], forces: Sequence[Force], periods: Sequence[str]
) -> None:
    calendar = calendar_rows(*calendar_span(tuple(periods)))
    backend.load_table(
        "jj_calendar",
        [("day", "date"), ("wd_index", "int"), ("is_working", "bool"), ("period", "text")],
        calendar,
    )
    backend.load_table(
        "jj_workdays",
        [("wd_index", "int"), ("day", "date")],
        [(index, day) for day, index, working, _ in calendar if working],
    )
    backend.load_table(
        "jj_forces",
        [
            ("code", "text"),
            ("local_policing_body", "text"),
            ("cps_area", "text"),
            ("probation_region", "text"),
            ("witness_care_unit", "text"),
        ],
        [
            (f.code, f.local_policing_body, f.cps_area, f.probation_region, f.witness_care_unit)
            for f in forces
        ],
    )
    rules = [
        (
            m.id,
            m.deadline_unit,
            m.deadline,
            m.enhanced_deadline,
            m.responsible.kind,
            m.responsible.when_detail,
            m.responsible.then_kind,
        )
        for m in catalogue
        if m.kind == OBLIGATION
    ]
    backend.load_table(
        "jj_obligation_rules",
        [
            ("metric", "text"),
            ("deadline_unit", "text"),
            ("deadline", "int"),
            ("enhanced_deadline", "int"),
            ("kind", "text"),
            ("when_detail", "text"),
            ("then_kind", "text"),
        ],
        rules,
    )
    backend.load_table("jj_periods", [("period", "text")], [(p,) for p in periods])
    backend.load_table(
        "jj_event_types",
        [("event_type", "text"), ("type_no", "int")],
        [(name, number) for number, name in enumerate(sorted(_event_types(catalogue)))],
    )


def _event_types(catalogue: Sequence[Metric]) -> set[str]:
    types = {"convicted", "vps_made", *REVIEW_DECISIONS.values()}
    for metric in catalogue:
        if metric.trigger and not metric.trigger_from_crime:
            types.add(metric.trigger)
        types.update(r for r in metric.responses if not r.startswith("crime."))
    return types


def _pairs(catalogue: Sequence[Metric]) -> list[tuple[str, str, str, Sequence[str]]]:
    pairs: list[tuple[str, str, str, Sequence[str]]] = [
        (m.id, m.trigger, m.trigger_detail, m.responses) for m in catalogue if m.kind == OBLIGATION
    ]
    pairs += [(m.id, REVIEW_DECISIONS[m.id], "", m.responses) for m in catalogue if m.id in REVIEW_DECISIONS]
    return pairs


def _fact_steps(
    backend: Backend, catalogue: Sequence[Metric], cutoff: date, as_of: datetime
) -> list[tuple[str, str]]:
    steps = [("jj_facts_obligations", sql.obligation_facts_sql())]
    for number, metric in enumerate(m for m in catalogue if m.kind in (PROPORTION, COUNT)):
        if metric.kind == COUNT:
            query = sql.event_count_facts_sql(metric)
        elif metric.id == VPS_READ:
            query = sql.vps_read_facts_sql(metric)
        elif metric.id in REVIEW_DECISIONS:
            query = sql.decisions_by_request_facts_sql(metric)
        else:
            query = sql.crimes_with_event_facts_sql(metric)
        steps.append((f"jj_facts_{number}", query))
    event_responses = [
        m.id
        for m in catalogue
        if m.kind == OBLIGATION and any(not source.startswith("crime.") for source in m.responses)
    ]
    steps.append(("jj_facts_quality", sql.quality_facts_sql(backend.dialect, cutoff, as_of, event_responses)))
    return steps


def compute_counts(
    backend: Backend,
    *,
    periods: Sequence[str],
    cutoff: date,
    as_of: datetime | None = None,
    catalogue: Sequence[Metric] | None = None,
    forces: Sequence[Force] | None = None,
) -> list[MetricRow]:
    """The counts behind every figure, before any statistics: the part both engines must agree on exactly."""
    for period in periods:
        parse_period(period)
    missing = [view for view in CONTRACT_VIEWS if not backend.has_relation(view)]
    if missing:
        raise MetricsError(
            f"the connection has no view named {', '.join(missing)}; register the event store views first"
        )
    catalogue = list(catalogue if catalogue is not None else load_catalogue())
    as_of = as_of or datetime.now(UTC)
    _load_reference_tables(backend, catalogue, forces if forces is not None else load_forces(), periods)
    backend.create_numbered("jj_crimes", sql.crimes_sql(), "crime_id")
    backend.create("jj_events", sql.events_sql())
    backend.create("jj_known_events", sql.known_events_sql(), keep=False)
    # Steps read once are views; steps read several times are computed and kept.
    pairs = _pairs(catalogue)
    backend.create("jj_stream", matching.stream_sql(pairs), keep=False)
    backend.create("jj_complex_groups", matching.complex_groups_sql(pairs))
    backend.create("jj_groups", matching.groups_sql(pairs))
    backend.create("jj_complex_matched", matching.complex_matched_sql())
    backend.create("jj_responses", matching.responses_sql(), keep=False)
    backend.create("jj_pairs", matching.pairs_sql(), keep=False)
    backend.create("jj_obligations", sql.obligations_sql(backend.dialect, cutoff), keep=False)
    steps = _fact_steps(backend, catalogue, cutoff, as_of)
    for name, query in steps:
        backend.create(name, query, keep=False)
    backend.create("jj_cube", sql.cube_sql([name for name, _ in steps]))
    backend.create("jj_breakdowns_all", sql.breakdowns_sql())
    backend.create("jj_breakdowns", sql.returns_first_sql())
    kinds = {m.id: m.kind for m in catalogue}
    rows = []
    for record in backend.fetch(sql.levels_sql()):
        (
            metric,
            force,
            body,
            period,
            breakdown,
            value,
            met,
            late,
            missed,
            pending,
            numerator,
            denominator,
            source,
        ) = record
        is_count = kinds.get(metric) == COUNT
        rows.append(
            MetricRow(
                metric=metric,
                force=force,
                body=body,
                period=period,
                breakdown=breakdown,
                breakdown_value=value,
                met=_whole(met),
                late=_whole(late),
                missed=_whole(missed),
                pending=_whole(pending),
                numerator=_whole(numerator) or 0,
                denominator=None if is_count else _whole(denominator),
                source=source,
            )
        )
    rows.sort(key=lambda r: (r.metric, r.period, r.force, r.body, r.breakdown, r.breakdown_value))
    return rows


def _whole(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def add_statistics(
    rows: list[MetricRow],
    infos: dict[str, MetricInfo],
    similar_areas: dict[str, str],
    body_kinds: Mapping[str, str] | None = None,
) -> None:
    """Rates, 95% and 99.8% Wilson intervals, comparison with the nation and similar areas, and trends.

    Comparisons use the 99.8% interval, so that among some forty areas a chance difference is rarely called
    better or worse. An area's figure over all its bodies is compared with England and Wales over all bodies; a
    body's figure with the bodies of its kind (`body_kinds`: body code to kind), in England and Wales and in the
    similar areas, since where a duty can fall on two kinds of body (police or CPS) their rates differ.
    """

    def key(r: MetricRow) -> tuple[str, str, str, str]:
        return r.metric, r.period, r.breakdown, r.breakdown_value

    kinds = body_kinds or {}
    national = {key(r): r for r in rows if r.force == sql.ALL and r.body == sql.ALL}
    areas = [
        (r.metric, r.force, r.period, r.breakdown, r.breakdown_value, r.numerator, r.denominator or 0)
        for r in rows
        if r.body == sql.ALL and r.force != sql.ALL
    ]
    groups = group_totals(areas, similar_areas)
    # Each body in each area once: summed by kind, over England and Wales and over each group of similar areas.
    of_kind: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        kind = kinds.get(r.body)
        if r.force == sql.ALL or kind is None or not r.denominator:
            continue
        for total in (of_kind[(*key(r), kind)], of_kind[(*key(r), kind, similar_areas.get(r.force, ""))]):
            total[0] += r.numerator
            total[1] += r.denominator
    history: dict[tuple[str, str, str, str, str], list[MetricRow]] = {}
    for row in rows:
        info = infos.get(row.metric)
        polarity = info.higher_is_better if info else None
        if row.denominator:
            row.rate = row.numerator / row.denominator
            row.ci95_low, row.ci95_high = wilson_interval(row.numerator, row.denominator, Z95) or (None, None)
            row.ci998_low, row.ci998_high = wilson_interval(row.numerator, row.denominator, Z998) or (
                None,
                None,
            )
        wide = (row.ci998_low, row.ci998_high) if row.ci998_low is not None else None
        kind = kinds.get(row.body)
        nation = national.get(key(row))
        if kind is not None:
            numerator, denominator = of_kind.get((*key(row), kind), (0, 0))
            if denominator:
                row.national_rate = numerator / denominator
                row.national_comparison = compare(wide, row.national_rate, polarity)  # type: ignore[arg-type]
        elif nation is not None and nation is not row and nation.denominator:
            row.national_rate = nation.numerator / nation.denominator
            row.national_comparison = compare(wide, row.national_rate, polarity)  # type: ignore[arg-type]
        group = similar_areas.get(row.force)
        if group is not None:
            if kind is not None:
                numerator, denominator = of_kind.get((*key(row), kind, group), (0, 0))
            else:
                numerator, denominator = groups.get((*key(row), group), (0, 0))
            row.similar_group = group
            if denominator:
                row.similar_rate = numerator / denominator
                row.similar_comparison = compare(wide, row.similar_rate, polarity)  # type: ignore[arg-type]
        history.setdefault((row.metric, row.force, row.body, row.breakdown, row.breakdown_value), []).append(
            row
        )
    # Each label parsed once: parsing it again for every row of every series was most of this function.
    ordinal = {period: year * 4 + quarter for period, (year, quarter) in _parsed(rows).items()}
    for series in history.values():
        info = infos.get(series[0].metric)
        polarity = info.higher_is_better if info else None
        if polarity is None:
            continue  # no trend without a polarity: every row keeps ""
        rates = {ordinal[r.period]: r.rate for r in series}
        # The quarter and the three before it, each in its place: a quarter with no figure is a gap, not a
        # reason to treat the quarters either side as neighbours. Fewer than two rates give no trend ("").
        for row in series:
            at = ordinal[row.period]
            row.trend = trend([rates.get(at - back) for back in range(TREND_WINDOW - 1, -1, -1)], polarity)


def _parsed(rows: list[MetricRow]) -> dict[str, tuple[int, int]]:
    return {period: parse_period(period) for period in {r.period for r in rows}}


def compute(
    backend: Backend,
    *,
    periods: Sequence[str],
    cutoff: date,
    as_of: datetime | None = None,
    catalogue: Sequence[Metric] | None = None,
    forces: Sequence[Force] | None = None,
    similar_areas: Path | None = None,
) -> MetricRun:
    catalogue = list(catalogue if catalogue is not None else load_catalogue())
    as_of = as_of or datetime.now(UTC)
    rows = compute_counts(
        backend, periods=periods, cutoff=cutoff, as_of=as_of, catalogue=catalogue, forces=forces
    )
    add_statistics(rows, metric_infos(catalogue), load_similar_areas(similar_areas), load_body_kinds())
    superseded = [(str(b), str(m), str(p)) for b, m, p in backend.fetch(sql.superseded_sql())]
    return MetricRun(
        periods=list(periods),
        cutoff=cutoff,
        as_of=as_of,
        engine=backend.dialect.name,
        rows=rows,
        superseded=superseded,
    )
