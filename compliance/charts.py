"""A small server-side SVG chart of a figure's rate by quarter, with its 95% interval.

Drawn on the server so the page needs no script and the strict content security policy stays strict;
the table beside the chart carries the same numbers for screen readers and for copying.
"""

from collections.abc import Sequence
from dataclasses import dataclass

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
    rate: float | None
    low: float | None
    high: float | None


def _y(value: float) -> float:
    return TOP + (1 - value) * (HEIGHT - TOP - BOTTOM)


def trend_chart(points: Sequence[Point], *, title: str) -> SafeString:
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(1, len(points))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="{}">{}%</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                f"{_y(v):.1f}",
                f"{_y(v):.1f}",
                GRID,
                LEFT - 6,
                f"{_y(v) + 4:.1f}",
                INK,
                int(v * 100),
            )
            for v in (0, 0.25, 0.5, 0.75, 1)
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
        if point.rate is None:
            continue
        bar_width = slot * 0.5
        marks.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                f"{centre - bar_width / 2:.1f}",
                f"{_y(point.rate):.1f}",
                f"{bar_width:.1f}",
                f"{_y(0) - _y(point.rate):.1f}",
                BAR,
            )
        )
        if point.low is not None and point.high is not None:
            marks.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                    f"{centre:.1f}",
                    f"{centre:.1f}",
                    f"{_y(point.low):.1f}",
                    f"{_y(point.high):.1f}",
                    INK,
                )
            )
    return format_html(
        '<svg class="jj-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="trend-chart-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="trend-chart-title">{}</title>{}{}</svg>',
        WIDTH, HEIGHT, title, grid, SafeString("".join(marks)),
    )  # fmt: skip
