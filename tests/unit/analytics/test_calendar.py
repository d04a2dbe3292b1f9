from datetime import date

import pytest

from analytics.calendar import add_working_days, bank_holiday_name, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 4, 22), True),
        (date(2025, 12, 25), False),
        (date(2025, 12, 26), False),
        (date(2022, 12, 27), False),  # substitute for Christmas Day on a Sunday
        (date(2023, 5, 8), False),  # coronation of King Charles III
        (date(2025, 8, 25), False),  # summer bank holiday (England and Wales)
        (date(2025, 3, 17), True),  # St Patrick's Day is a bank holiday only in Northern Ireland
        (date(2025, 11, 22), False),  # Saturday
    ],
)
def test_working_days_of_england_and_wales(day, working):
    assert is_working_day(day) is working


def test_coronation_is_named():
    assert "Coronation" in (bank_holiday_name(date(2023, 5, 8)) or "")


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (date(2025, 6, 2), 5, date(2025, 6, 9)),  # Monday + 5 = next Monday
        (date(2025, 6, 6), 1, date(2025, 6, 9)),  # Friday + 1 = Monday
        (date(2025, 6, 7), 1, date(2025, 6, 9)),  # Saturday: its own date never counts
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # Thursday before Easter + 1 = Tuesday after
        (date(2025, 12, 24), 2, date(2025, 12, 30)),  # over Christmas and Boxing Day
        (date(2022, 12, 23), 1, date(2022, 12, 28)),  # over two substitute days
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # over the coronation holiday
        (date(2025, 6, 2), 0, date(2025, 6, 2)),
    ],
)
def test_add_working_days(start, days, deadline):
    assert add_working_days(start, days) == deadline
