"""Which run the pages read for each quarter: the newest that computed it, however many runs there are."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.metrics import previous_periods
from compliance.models import ComputationRun
from compliance.queries import newest_runs

pytestmark = pytest.mark.django_db


def computed(period: str, minutes_ago: int) -> int:
    run = ComputationRun.objects.create(
        period=period, periods=previous_periods(period, 4), cutoff=date(2025, 10, 1), as_of=timezone.now(),
        standard_version="1", engine="duckdb", requested_by_label="test",
    )  # fmt: skip
    ComputationRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return run.pk


def test_each_quarter_is_read_from_the_newest_run_that_computed_it_one_lookup_per_quarter_asked_for():
    old_q4 = computed("2024-25 Q4", 100)
    for minutes in range(99, 40, -1):  # a run after every submission, all for the newest quarter
        computed("2025-26 Q2", minutes)
    q1 = computed("2025-26 Q1", 30)
    newest_q2 = computed("2025-26 Q2", 10)
    with CaptureQueriesContext(connection) as queries:
        latest = newest_runs()
    assert len(queries) == 1 + 3  # the quarters asked for, then the newest run of each: not every run
    assert latest == {
        "2025-26 Q2": newest_q2, "2025-26 Q1": newest_q2, "2024-25 Q4": newest_q2, "2024-25 Q3": newest_q2,
        "2024-25 Q2": q1, "2024-25 Q1": old_q4,
    }  # fmt: skip
