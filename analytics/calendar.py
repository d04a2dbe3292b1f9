"""The one working-day calendar for England and Wales: weekends and bank holidays.

Every deadline in the project is computed here. Bank holidays come from the maintained `holidays`
package (substitute days and one-off holidays such as the 2023 coronation included).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2040


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))


def bank_holiday_name(day: date) -> str | None:
    return _bank_holidays().get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The date `days` whole working days after `start`; `start` itself never counts, even if it is a working day.

    A response on the returned date is on time; one on the next day is late.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days(start: date, end: date) -> list[date]:
    """The working days from `start` to `end`, both included."""
    return [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if is_working_day(start + timedelta(days=n))
    ]


def bank_holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    return sorted((day, name) for day, name in _bank_holidays().items() if start <= day <= end)
