"""Stored figures as CSV rows: the columns of `justice-journey metrics --format csv` and of the page's download."""

from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from django.db.models import QuerySet

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


# Lines sent to the browser at a time: a chunk per line made the response machinery most of a download's time.
_LINES_PER_CHUNK = 500


def values(results: QuerySet[MetricResult]) -> Iterator[tuple[Any, ...]]:
    """The figures' values in the order of OUTPUT_COLUMNS, read in batches without building model objects."""
    return results.values_list(*OUTPUT_COLUMNS).iterator(chunk_size=5000)


def rows(figures: Iterable[tuple[Any, ...]]) -> Iterator[list[str]]:
    """The header, then one row per figure (its values in the order of OUTPUT_COLUMNS)."""
    yield list(OUTPUT_COLUMNS)
    for figure in figures:
        yield [cell(value) for value in figure]


def lines(figures: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """The CSV text, some hundreds of lines at a time (for a streamed download)."""
    for chunk in batched(csv_lines(rows(figures)), _LINES_PER_CHUNK):
        yield "".join(chunk)


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
    return lines(values(results))
