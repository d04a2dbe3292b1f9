"""Background work: recomputing compliance after each ingest.

The ingest enqueues `recompute` through `transaction.on_commit`, so the figures are computed only from
committed submissions. The task waits in the database until a worker (`justice-journey db_worker`) takes it;
a burst of submissions costs one computation, not one each, because a task whose submission an earlier
task's computation has already read has nothing left to do.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent
from analytics.ingest.lake import committed_periods
from analytics.metrics import MetricsError, period_of
from analytics.metrics.periods import parse_period
from compliance.actions import compute_compliance
from compliance.models import ComputationRun
from compliance.retention import prune_figures
from journeys.models import Submission

ACTOR = "compliance recompute after ingest"
# Runs looked at for one that read the submission: the newest that finished after it was stored.
_RUNS_LOOKED_AT = 20


def quarter_to_recompute(cutoff: date, lake_dir: Path | None = None) -> str:
    """The newest quarter the event store holds crimes, events or returns for, up to the cut-off's own
    quarter (rows dated later are errors the quality metrics count, not a quarter to compute); the cut-off's
    quarter when the store is empty. While bodies send today's data this is the current quarter; a store
    whose newest data is older (a body catching up, the demo) gets its newest figures, not an empty quarter.
    """
    latest = period_of(cutoff)
    held = [
        period
        for period in committed_periods(Path(lake_dir or settings.LAKE_DIR))
        if parse_period(period) <= parse_period(latest)
    ]
    return max(held, key=parse_period, default=latest)


def covering_run(submission: int, period: str, cutoff: date) -> ComputationRun | None:
    """A stored run of `period` with this cut-off that read `submission`, if any."""
    runs = ComputationRun.objects.filter(period=period, cutoff=cutoff)
    finished = Submission.objects.filter(pk=submission).values_list("finished_at", flat=True).first()
    if finished is not None:
        runs = runs.filter(finished_at__gte=finished)
    for run in runs.only("pk", "submissions", "row_count")[:_RUNS_LOOKED_AT]:
        if submission in run.submissions:
            return run
    return None


@task
def recompute(body: str = "", submission: int | None = None, cutoff: str | None = None) -> dict[str, Any]:
    """Recomputes the newest quarter with data (and the three before it), with today as the cut-off.

    When a run with the same quarter and cut-off has already read `submission` (a later task of the same
    burst got there first), the task reports that run as "covered" and computes nothing.
    After a computation, runs older than FIGURES_RETENTION_DAYS that no quarter reads lose their figures
    (`compliance.retention`). A failure (for instance a body with both events and a return) is recorded in
    the audit log and reported in the task result; it never undoes the submission that triggered it.
    """
    cut = date.fromisoformat(cutoff) if cutoff else timezone.localdate()
    period = quarter_to_recompute(cut)
    if submission is not None:
        covered = covering_run(submission, period, cut)
        if covered is not None:
            return {
                "status": "covered",
                "period": period,
                "run": covered.pk,
                "figures": covered.row_count,
                "submission": submission,
            }
    actor_label = f"{ACTOR} {submission or ''}".strip()
    try:
        run = compute_compliance(period=period, cutoff=cut, by=None, actor_label=actor_label)
    except MetricsError as error:  # a reason in the data, already in the audit log
        return {
            "status": "failed",
            "period": period,
            "error": str(error),
            "body": body,
            "submission": submission,
        }
    except Exception as error:
        # Anything else (a store that cannot be read, a database that refuses the figures) fails the task,
        # which keeps its traceback; the audit log says so too, where administrators look.
        record(
            by=None, action="compliance.compute", target=period, outcome=AuditEvent.Outcome.FAILED,
            detail={"cutoff": cut.isoformat(), "submission": submission, "error": f"{type(error).__name__}: {error}"},
            actor_label=actor_label,
        )  # fmt: skip
        raise
    retention = settings.FIGURES_RETENTION_DAYS
    pruned = prune_figures(older_than=timedelta(days=retention)).runs if retention > 0 else 0
    return {
        "status": "done",
        "period": period,
        "run": run.pk,
        "figures": run.row_count,
        "submission": submission,
        "pruned_runs": pruned,
    }
