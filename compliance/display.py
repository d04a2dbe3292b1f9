"""What the compliance pages list, in the order people look for it and under plain names."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analytics.metrics import MetricInfo
from analytics.metrics.catalogue import QUALITY
from analytics.metrics.sql import ALL, CHARACTERISTICS
from compliance.labels import NOT_RECORDED, Labels, metric_title
from compliance.models import MetricResult


@dataclass(frozen=True)
class Row:
    figure: MetricResult
    info: MetricInfo | None
    title: str
    area: str
    body: str


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Group:
    breakdown: str
    value: str
    figure: MetricResult


def metric_position(infos: Mapping[str, MetricInfo]) -> dict[str, int]:
    """Catalogue order: the rights' metrics (R2 before R10) and then data quality."""
    return {metric: position for position, metric in enumerate(infos)}


def metric_choices(metrics: Iterable[str], infos: Mapping[str, MetricInfo]) -> dict[str, list[Choice]]:
    """The metrics offered in the filter, in catalogue order, split into the Code's metrics and data quality."""
    position = metric_position(infos)
    ordered = sorted(metrics, key=lambda metric: (position.get(metric, len(position)), metric))
    choices: dict[str, list[Choice]] = {"code": [], "quality": []}
    for metric in ordered:
        info = infos.get(metric)
        kind = "quality" if info is not None and info.kind == QUALITY else "code"
        choices[kind].append(Choice(metric, metric_title(metric, info)))
    return choices


def area_choices(areas: Iterable[str], labels: Labels) -> list[Choice]:
    """Areas by name, the total over all areas last."""
    named = sorted((Choice(code, labels.area(code)) for code in areas if code != ALL), key=lambda c: c.label)
    return named + ([Choice(ALL, labels.area(ALL))] if ALL in areas else [])


def without_repeated_totals(results: Iterable[MetricResult]) -> list[MetricResult]:
    """Drops a body's all-areas figure where the list holds the body's only area for that metric: both are
    the same figure. A body working in several areas (a CPS area, a probation region) keeps its total."""
    results = list(results)
    areas = Counter((r.metric, r.body) for r in results if r.force != ALL)
    return [r for r in results if not (r.force == ALL and r.body != ALL and areas[(r.metric, r.body)] == 1)]


def figure_rows(
    results: Iterable[MetricResult], infos: Mapping[str, MetricInfo], labels: Labels
) -> list[Row]:
    """Each figure under its names; by metric in catalogue order, then the England and Wales figure, the
    all-areas totals of bodies, the areas by name, and in each area its total before the bodies by name."""
    position = metric_position(infos)
    rows = [
        Row(
            result,
            infos.get(result.metric),
            metric_title(result.metric, infos.get(result.metric)),
            labels.area_of(result.force, result.body),
            labels.body(result.body),
        )
        for result in without_repeated_totals(results)
    ]
    return sorted(
        rows,
        key=lambda row: (
            position.get(row.figure.metric, len(position)),
            row.figure.metric,
            not (row.figure.force == ALL and row.figure.body == ALL),
            row.figure.force != ALL,
            row.area,
            row.figure.body != ALL,
            row.body,
        ),
    )


def breakdown_groups(results: Iterable[MetricResult], labels: Labels) -> list[Group]:
    """The counts behind a figure: breakdowns in the catalogue's order, each one's groups in the order of its
    code list (age bands by age), "not recorded" last."""
    order = {name: index for index, name in enumerate(CHARACTERISTICS)}
    group_orders = {name: labels.group_order(name) for name in CHARACTERISTICS}

    def key(result: MetricResult) -> tuple[int, bool, int, str]:
        listed = group_orders.get(result.breakdown, {})
        return (
            order.get(result.breakdown, len(order)),
            result.breakdown_value == NOT_RECORDED,
            listed.get(result.breakdown_value, len(listed)),
            result.breakdown_value,
        )

    return [
        Group(labels.breakdown(r.breakdown), labels.group(r.breakdown, r.breakdown_value), r)
        for r in sorted((r for r in results if r.breakdown != "all"), key=key)
    ]
