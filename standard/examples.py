"""Worked examples for the metric pages: real dates from the working-day calendar, never hand-written ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from analytics.calendar import add_working_days, bank_holidays_between

LONDON = ZoneInfo("Europe/London")

# The Thursday before Easter 2025: Good Friday and Easter Monday follow, so the deadlines jump over them.
EXAMPLE_TRIGGER_DATE = date(2025, 4, 17)
EXAMPLE_TRIGGER_TIME = time(14, 30)


@dataclass(frozen=True)
class ExampleCase:
    status: str  # met, late, missed or pending
    response_at: datetime | None
    cut_off: date | None


@dataclass(frozen=True)
class WorkedExample:
    unit: str  # hours or working_days
    trigger_at: datetime
    deadline: int
    deadline_at: datetime | None  # elapsed-time deadlines
    deadline_on: date | None  # working-day deadlines
    enhanced_deadline: int | None
    enhanced_deadline_on: date | None
    bank_holidays: list[tuple[date, str]]
    cases: list[ExampleCase]


def worked_example(*, unit: str, deadline: int, enhanced_deadline: int | None = None) -> WorkedExample:
    trigger_at = datetime.combine(EXAMPLE_TRIGGER_DATE, EXAMPLE_TRIGGER_TIME, tzinfo=LONDON)
    if unit == "hours":
        deadline_at = trigger_at + timedelta(hours=deadline)
        return WorkedExample(
            unit=unit,
            trigger_at=trigger_at,
            deadline=deadline,
            deadline_at=deadline_at,
            deadline_on=None,
            enhanced_deadline=None,
            enhanced_deadline_on=None,
            bank_holidays=bank_holidays_between(trigger_at.date(), deadline_at.date()),
            cases=[
                ExampleCase("met", deadline_at, None),
                ExampleCase("late", deadline_at + timedelta(minutes=1), None),
            ],
        )
    if unit != "working_days":
        raise ValueError(f"No worked example for a deadline in {unit!r}")
    deadline_on = add_working_days(EXAMPLE_TRIGGER_DATE, deadline)
    enhanced_on = (
        add_working_days(EXAMPLE_TRIGGER_DATE, enhanced_deadline) if enhanced_deadline is not None else None
    )
    late_on = add_working_days(deadline_on, 1)
    return WorkedExample(
        unit=unit,
        trigger_at=trigger_at,
        deadline=deadline,
        deadline_at=None,
        deadline_on=deadline_on,
        enhanced_deadline=enhanced_deadline,
        enhanced_deadline_on=enhanced_on,
        bank_holidays=bank_holidays_between(EXAMPLE_TRIGGER_DATE, late_on),
        cases=[
            # Any time on the deadline date is on time, even late in the evening.
            ExampleCase("met", datetime.combine(deadline_on, time(17, 45), tzinfo=LONDON), None),
            ExampleCase("late", datetime.combine(late_on, time(9, 0), tzinfo=LONDON), None),
            ExampleCase("missed", None, deadline_on + timedelta(days=1)),
            # A cut-off on the deadline date itself: the deadline has not yet passed.
            ExampleCase("pending", None, deadline_on),
        ],
    )
