"""Financial-year quarters (`2025-26 Q1` is April to June 2025) and the calendar table deadlines join to."""

import re
from datetime import date, timedelta
from functools import lru_cache

from analytics.calendar import FIRST_YEAR, LAST_YEAR, is_working_day

PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")


class PeriodError(ValueError):
    pass


def period_of(day: date) -> str:
    year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{year}-{(year + 1) % 100:02d} Q{quarter}"


def parse_period(label: str) -> tuple[int, int]:
    match = PERIOD_PATTERN.match(label.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise PeriodError(f"{label!r} is not a period; write a financial-year quarter such as '2025-26 Q1'")
    return int(match[1]), int(match[3])


def period_start(label: str) -> date:
    year, quarter = parse_period(label)
    month = 4 + 3 * (quarter - 1)
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def previous_periods(label: str, count: int) -> list[str]:
    """`label` and the `count - 1` quarters before it, oldest first."""
    periods = [label]
    start = period_start(label)
    for _ in range(count - 1):
        start = (start - timedelta(days=1)).replace(day=1)
        start = start.replace(month=start.month - (start.month - 1) % 3)
        periods.insert(0, period_of(start))
    return periods


@lru_cache(maxsize=8)
def calendar_rows(first: date, last: date) -> tuple[tuple[date, int, bool, str], ...]:
    """(day, working-day index, is working day, period) for every day from `first` to `last`.

    The index counts working days up to and including the day, so the deadline `n` working days after
    a trigger date `d` is the working day whose index is index(d) + n: a join, not a loop. The trigger's
    own date never counts, working day or not.
    """
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        raise PeriodError(f"the working-day calendar covers {FIRST_YEAR} to {LAST_YEAR} only")
    rows = []
    index = 0
    day = first
    while day <= last:
        working = is_working_day(day)
        index += working
        rows.append((day, index, working, period_of(day)))
        day += timedelta(days=1)
    return tuple(rows)


def calendar_span(periods: list[str] | tuple[str, ...]) -> tuple[date, date]:
    """The days the reported quarters need: from the first quarter's start to a year after the last
    quarter's start, which covers every deadline of a trigger in those quarters."""
    starts = sorted(period_start(p) for p in periods)
    return starts[0], starts[-1] + timedelta(days=366)
