"""Background work: recomputing compliance after each ingest.

The ingest enqueues `recompute` through `transaction.on_commit`, so the figures are computed only from
committed submissions. The task waits in the database until a worker (`justice-journey db_worker`) takes it;
a burst of submissions costs one computation, not one each, because a task whose submission an earlier
task's computation has already read has nothing left to do. A submission with rows in quarters older than the
newest four (a late correction) has those quarters computed again too.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent
from analytics.ingest.lake import committed_periods, submission_periods
from analytics.metrics import MetricsError, period_of, previous_periods
from analytics.metrics.periods import parse_period
from compliance.actions import TREND_QUARTERS, compute_compliance
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


def quarters_to_recompute(
    cutoff: date, submission: int | None = None, lake_dir: Path | None = None
) -> list[str]:
    """The quarters to compute, newest first: `quarter_to_recompute`, then each quarter `submission` wrote rows
    into that no computation asked for here already covers (each computes the three quarters before it too), so
    a late correction to an old quarter is counted in that quarter's figures. Rows dated after the newest
    quarter are in no quarter computed."""
    lake = Path(lake_dir or settings.LAKE_DIR)
    newest = quarter_to_recompute(cutoff, lake)
    quarters = [newest]
    covered = set(previous_periods(newest, TREND_QUARTERS))
    written = submission_periods(lake, submission) if submission is not None else set()
    for quarter in sorted(written, key=parse_period, reverse=True):
        if quarter not in covered and parse_period(quarter) < parse_period(newest):
            quarters.append(quarter)
            covered.update(previous_periods(quarter, TREND_QUARTERS))
    return quarters


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
    """Recomputes, with today as the cut-off, the newest quarter with data (and the three before it), and any
    older quarter `submission` corrected (`quarters_to_recompute`).

    A quarter for which a run with the same cut-off has already read `submission` (a later task of the same
    burst got there first) is "covered" by that run and not computed again; when every quarter is, the task
    computes nothing. After a computation, runs older than FIGURES_RETENTION_DAYS that no quarter reads lose
    their figures (`compliance.retention`). A failure (for instance a body with both events and a return) is
    recorded in the audit log and reported in the task result; it never undoes the submission that triggered it.

    The result names the newest quarter (`period`, `run`, `figures`) and, in `quarters`, each quarter asked for,
    newest first, with its status (`done` or `covered`), run and number of figures.
    """
    cut = date.fromisoformat(cutoff) if cutoff else timezone.localdate()
    actor_label = f"{ACTOR} {submission or ''}".strip()
    quarters: list[dict[str, Any]] = []
    for period in quarters_to_recompute(cut, submission):
        covered = covering_run(submission, period, cut) if submission is not None else None
        if covered is not None:
            quarters.append(
                {"period": period, "status": "covered", "run": covered.pk, "figures": covered.row_count}
            )
            continue
        try:
            run = compute_compliance(period=period, cutoff=cut, by=None, actor_label=actor_label)
        except MetricsError as error:  # a reason in the data, already in the audit log
            return {
                "status": "failed",
                "period": period,
                "error": str(error),
                "body": body,
                "submission": submission,
                "quarters": quarters,
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
        quarters.append({"period": period, "status": "done", "run": run.pk, "figures": run.row_count})
    computed = any(quarter["status"] == "done" for quarter in quarters)
    result = {
        "status": "done" if computed else "covered",
        "period": quarters[0]["period"],
        "run": quarters[0]["run"],
        "figures": quarters[0]["figures"],
        "submission": submission,
        "quarters": quarters,
    }
    if computed:
        retention = settings.FIGURES_RETENTION_DAYS
        result["pruned_runs"] = (
            prune_figures(older_than=timedelta(days=retention), record_nothing=False).runs
            if retention > 0
            else 0
        )
    return result
