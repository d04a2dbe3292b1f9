"""Wilson score intervals, comparisons with the nation and with similar areas, and trends."""

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

Z95 = 1.959963984540054
Z998 = 3.090232306167813
DEFAULT_SIMILAR_AREAS = Path(__file__).with_name("data") / "similar_areas.csv"

BETTER, SIMILAR, WORSE = "better", "similar", "worse"


def wilson_interval(numerator: int, denominator: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for numerator/denominator, or None when there is nothing to measure."""
    if denominator <= 0:
        return None
    if not 0 <= numerator <= denominator:
        raise ValueError(f"numerator {numerator} is outside 0..{denominator}")
    p = numerator / denominator
    z2 = z * z
    scale = 1 + z2 / denominator
    centre = (p + z2 / (2 * denominator)) / scale
    half = z * math.sqrt(p * (1 - p) / denominator + z2 / (4 * denominator * denominator)) / scale
    low = 0.0 if numerator == 0 else max(0.0, centre - half)
    high = 1.0 if numerator == denominator else min(1.0, centre + half)
    return low, high


def compare(
    interval: tuple[float, float] | None, comparator: float | None, higher_is_better: bool | None
) -> str:
    """better / similar / worse: worse when the whole interval lies on the wrong side of the comparator."""
    if interval is None or comparator is None or higher_is_better is None:
        return ""
    low, high = interval
    if low > comparator:
        return BETTER if higher_is_better else WORSE
    if high < comparator:
        return WORSE if higher_is_better else BETTER
    return SIMILAR


def trend(rates: Iterable[float | None], higher_is_better: bool | None) -> str:
    """improving / worsening / steady from the least-squares slope over the quarters that have a rate;
    a slope under one percentage point a quarter is steady."""
    points = [(x, rate) for x, rate in enumerate(rates) if rate is not None]
    if len(points) < 2 or higher_is_better is None:
        return ""
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    if abs(slope) < 0.01:
        return "steady"
    return "improving" if (slope > 0) == higher_is_better else "worsening"


def load_similar_areas(path: Path | None = None) -> dict[str, str]:
    """{force code: group name} from a CSV with columns force, group."""
    path = path or DEFAULT_SIMILAR_AREAS
    groups: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"force", "group"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the header must have the columns force and group")
        for row_number, row in enumerate(reader, start=1):
            force, group = (row.get("force") or "").strip(), (row.get("group") or "").strip()
            if not force or not group:
                raise ValueError(f"{path}, row {row_number}: force and group are both required")
            if force in groups:
                raise ValueError(
                    f"{path}, row {row_number}, column force: {force} is already in group {groups[force]}"
                )
            groups[force] = group
    return groups


def group_totals(rows: Iterable[tuple[str, str, str, str, str, int, int]], groups: dict[str, str]) -> dict:
    """Sums (numerator, denominator) per (metric, period, breakdown, value, group) over area rows
    given as (metric, force, period, breakdown, value, numerator, denominator)."""
    totals: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for metric, force, period, breakdown, value, numerator, denominator in rows:
        group = groups.get(force)
        if group is None:
            continue
        total = totals[(metric, period, breakdown, value, group)]
        total[0] += numerator
        total[1] += denominator
    return totals
