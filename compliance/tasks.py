"""Background work: recomputing compliance after each ingest.

The ingest enqueues `recompute` through `transaction.on_commit`, so the figures are computed only from
committed submissions. The default task backend runs it at once.
"""

from datetime import date
from typing import Any

from django.tasks import task
from django.utils import timezone

from analytics.metrics import MetricsError, period_of
from compliance.actions import compute_compliance

ACTOR = "compliance recompute after ingest"


@task
def recompute(body: str = "", submission: int | None = None, cutoff: str | None = None) -> dict[str, Any]:
    """Recomputes the current quarter (and the three before it) with today as the cut-off.

    A failure (for instance a body with both events and a return) is recorded in the audit log and
    reported in the task result; it never undoes the submission that triggered it.
    """
    cut = date.fromisoformat(cutoff) if cutoff else timezone.localdate()
    period = period_of(cut)
    try:
        run = compute_compliance(
            period=period, cutoff=cut, by=None, actor_label=f"{ACTOR} {submission or ''}".strip()
        )
    except MetricsError as error:
        return {
            "status": "failed",
            "period": period,
            "error": str(error),
            "body": body,
            "submission": submission,
        }
    return {
        "status": "done",
        "period": period,
        "run": run.pk,
        "figures": run.row_count,
        "submission": submission,
    }
