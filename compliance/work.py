"""What the background worker has to do and has done, and the computations it stored: for administrators to
see that figures follow submissions (docs/operations.md, "The background worker")."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compliance.models import ComputationRun

# Longer than any computation at national volume: a task waiting this long means no worker is taking tasks.
STALLED_AFTER = timedelta(minutes=15)
RECENT = 20


@dataclass(frozen=True)
class Work:
    waiting: int
    oldest_waiting: datetime | None
    running: int
    failed_last_day: int
    tasks: list[DBTaskResult] = field(default_factory=list)
    runs: list[ComputationRun] = field(default_factory=list)

    @property
    def stalled(self) -> bool:
        return self.oldest_waiting is not None and timezone.now() - self.oldest_waiting > STALLED_AFTER


def current_work() -> Work:
    tasks = DBTaskResult.objects.all()
    waiting = tasks.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return Work(
        waiting=waiting.count(),
        oldest_waiting=oldest,
        running=tasks.running().count(),
        failed_last_day=tasks.failed().filter(finished_at__gte=timezone.now() - timedelta(days=1)).count(),
        tasks=list(tasks.order_by("-enqueued_at")[:RECENT]),
        runs=list(ComputationRun.objects.defer("submissions", "superseded")[:RECENT]),
    )
