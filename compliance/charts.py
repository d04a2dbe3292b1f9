"""A small server-side SVG chart of a figure by quarter: a rate with its 95% interval, or a count.

Drawn on the server so the page needs no script and the strict content security policy stays strict;
the table beside the chart carries the same numbers for screen readers and for copying.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
BAR = "#1d70b8"  # GOV.UK blue
INK = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # a rate (0 to 1) or a count
    low: float | None
    high: float | None


def _y(value: float, top: float = 1.0) -> float:
    """Where `value` sits on an axis from 0 (the bottom of the plot) to `top`."""
    return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM)


def trend_chart(points: Sequence[Point], *, title: str) -> SafeString:
    """Rates on an axis from 0% to 100%, each with its 95% interval."""
    ticks = [(value, f"{int(value * 100)}%") for value in (0, 0.25, 0.5, 0.75, 1)]
    return _bar_chart(points, top=1.0, ticks=ticks, title=title)


def count_chart(counts: Sequence[tuple[str, int | None]], *, title: str) -> SafeString:
    """Counts on an axis from 0 to a round number at or above the largest of them."""
    step = _count_step(max((count for _, count in counts if count is not None), default=0))
    ticks = [(step * index, str(intcomma(step * index))) for index in range(5)]
    points = [Point(label, count, None, None) for label, count in counts]
    return _bar_chart(points, top=step * 4, ticks=ticks, title=title)


def _count_step(highest: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that four times over reaches `highest`: the axis's step."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude * 4 >= highest:
                return multiple * magnitude
        magnitude *= 10


def _bar_chart(
    points: Sequence[Point], *, top: float, ticks: Sequence[tuple[float, str]], title: str
) -> SafeString:
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(1, len(points))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="{}">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                f"{_y(value, top):.1f}",
                f"{_y(value, top):.1f}",
                GRID,
                LEFT - 6,
                f"{_y(value, top) + 4:.1f}",
                INK,
                label,
            )
            for value, label in ticks
        ),
    )
    marks = []
    for index, point in enumerate(points):
        centre = LEFT + slot * (index + 0.5)
        marks.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text>',
                f"{centre:.1f}",
                HEIGHT - BOTTOM + 18,
                INK,
                point.label,
            )
        )
        if point.value is None:
            continue
        bar_width = slot * 0.5
        marks.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                f"{centre - bar_width / 2:.1f}",
                f"{_y(point.value, top):.1f}",
                f"{bar_width:.1f}",
                f"{_y(0, top) - _y(point.value, top):.1f}",
                BAR,
            )
        )
        if point.low is not None and point.high is not None:
            marks.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                    f"{centre:.1f}",
                    f"{centre:.1f}",
                    f"{_y(point.low, top):.1f}",
                    f"{_y(point.high, top):.1f}",
                    INK,
                )
            )
    return format_html(
        '<svg class="jj-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="trend-chart-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="trend-chart-title">{}</title>{}{}</svg>',
        WIDTH, HEIGHT, title, grid, SafeString("".join(marks)),
    )  # fmt: skip
