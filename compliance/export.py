"""Stored figures as CSV rows: the columns of `justice-journey metrics --format csv` and of the page's download."""

from collections.abc import Iterable, Iterator
from typing import Any

from accounts.audit import record
from accounts.models import User
from analytics.metrics import OUTPUT_COLUMNS
from compliance import queries
from compliance.models import ComputationRun, MetricResult
from config.csv_lines import csv_lines


def cell(value: Any, *, rates_as_fractions: bool = True) -> str:
    """A value as text: nothing for none; a rate as a fraction to six places (or a percentage, for reading)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}" if rates_as_fractions else f"{value:.1%}"
    return str(value)


def rows(results: Iterable[MetricResult]) -> Iterator[list[str]]:
    """The header, then one row per figure."""
    yield list(OUTPUT_COLUMNS)
    for result in results:
        yield [cell(getattr(result, column)) for column in OUTPUT_COLUMNS]


def lines(results: Iterable[MetricResult]) -> Iterator[str]:
    """The CSV text, a line at a time (for a streamed download)."""
    return csv_lines(rows(results))


def download(
    user: User, run: ComputationRun, *, period: str, metric: str = "", force: str = ""
) -> Iterator[str]:
    """The figures of `period` that `user` may see, with every breakdown, narrowed to one metric and one area
    when given, as CSV lines. The download is audited with what it held."""
    results = queries.narrowed(
        queries.visible(user, queries.figures(run, period=period)), metric=metric, force=force
    )
    record(
        by=user,
        action="compliance.download",
        target=period,
        detail={"run": run.pk, "metric": metric, "force": force, "figures": results.count()},
    )
    return lines(results.iterator(chunk_size=5000))
