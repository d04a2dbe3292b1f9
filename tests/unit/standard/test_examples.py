from datetime import date

from standard.examples import worked_example


def test_working_day_example_skips_easter():
    example = worked_example(unit="working_days", deadline=5, enhanced_deadline=1)
    assert example.trigger_at.date() == date(2025, 4, 17)
    assert example.deadline_on == date(2025, 4, 28)
    assert example.enhanced_deadline_on == date(2025, 4, 22)
    assert [name for _, name in example.bank_holidays] == ["Good Friday", "Easter Monday"]
    cases = {case.status: case for case in example.cases}
    assert cases["met"].response_at is not None
    assert cases["met"].response_at.date() == date(2025, 4, 28)
    assert cases["late"].response_at is not None
    assert cases["late"].response_at.date() == date(2025, 4, 29)
    assert cases["missed"].cut_off == date(2025, 4, 29)
    assert cases["pending"].cut_off == date(2025, 4, 28)


def test_hours_example_counts_elapsed_time_over_a_bank_holiday():
    example = worked_example(unit="hours", deadline=24)
    assert example.deadline_at is not None
    assert example.deadline_at.isoformat() == "2025-04-18T14:30:00+01:00"
    assert [case.status for case in example.cases] == ["met", "late"]
