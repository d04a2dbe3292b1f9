"""Whether a stored submission has been counted in the compliance figures yet, read from the recompute task
it left for the background worker (docs/compliance.md, "After each submission")."""

from dataclasses import dataclass
from enum import StrEnum

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from journeys.models import Submission

RECOMPUTE_TASK = "compliance.tasks.recompute"


class FiguresState(StrEnum):
    UNCHANGED = "unchanged"  # every row was already held: no figure can change
    WAITING = "waiting"  # the recompute waits for the worker
    COMPUTING = "computing"  # the worker is computing
    COUNTED = "counted"  # a stored computation has read the submission
    NOT_COUNTED = "not_counted"  # the recompute failed; the worker's log or the audit log says why


@dataclass(frozen=True)
class Figures:
    state: FiguresState
    period: str = ""  # the newest quarter computed, when counted
    older: tuple[str, ...] = ()  # older quarters the submission corrected, computed again too, newest first


_BY_TASK_STATUS: dict[str, FiguresState] = {
    TaskResultStatus.READY: FiguresState.WAITING,
    TaskResultStatus.RUNNING: FiguresState.COMPUTING,
}


def figures_of(submission: Submission) -> Figures | None:
    """None when nothing can be said: the submission stored nothing, or its recompute ran at once in the
    process that stored it (TASKS_BACKEND=ImmediateBackend) and left no task behind."""
    if submission.status != Submission.Status.STORED:
        return None
    if not (submission.accepted or submission.corrected):
        return Figures(FiguresState.UNCHANGED)
    task = (
        DBTaskResult.objects.filter(task_path=RECOMPUTE_TASK, args_kwargs__kwargs__submission=submission.pk)
        .only("status", "return_value")
        .order_by("-enqueued_at")
        .first()
    )
    if task is None:
        return None
    if task.status in _BY_TASK_STATUS:
        return Figures(_BY_TASK_STATUS[task.status])
    result = task.return_value if isinstance(task.return_value, dict) else {}
    if task.status == TaskResultStatus.SUCCESSFUL and result.get("status") in ("done", "covered"):
        period = str(result.get("period", ""))
        older = tuple(
            str(quarter["period"])
            for quarter in result.get("quarters", [])
            if isinstance(quarter, dict) and quarter.get("period") not in (None, period)
        )
        return Figures(FiguresState.COUNTED, period=period, older=older)
    return Figures(FiguresState.NOT_COUNTED)
