"""How long computed figures are kept.

Every computation stores every figure (some 250,000 rows for four quarters), and the worker computes after
every burst of submissions, so runs pile up. The newest run of each quarter is what every page, download and
`justice-journey metrics` reads: it keeps its figures for good. An older run keeps its provenance (quarters,
cut-off, standard version, engine and the submissions it read), so it can still be traced; its figures go once
it is older than the retention period.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import record
from accounts.models import User
from compliance.models import ComputationRun, MetricResult
from compliance.queries import runs_in_use


@dataclass(frozen=True)
class Pruned:
    runs: int
    figures: int
    before: datetime
    kept_in_use: int


def prune_figures(
    *,
    older_than: timedelta,
    dry_run: bool = False,
    by: User | None = None,
    actor_label: str = "",
    record_nothing: bool = True,
) -> Pruned:
    """Removes the figures of runs that finished before `older_than` ago and that no quarter reads any more.
    Recorded in the audit log; a call that removed nothing only when `record_nothing` (the worker turns it off:
    it prunes after every computation, and a line each time would bury the log)."""
    before = timezone.now() - older_than
    in_use = runs_in_use()
    old = ComputationRun.objects.filter(finished_at__lt=before, figures_pruned_at__isnull=True)
    candidates = list(old.exclude(pk__in=in_use).only("id", "row_count"))
    result = Pruned(
        runs=len(candidates),
        figures=sum(run.row_count for run in candidates),
        before=before,
        kept_in_use=old.filter(pk__in=in_use).count(),
    )
    if dry_run:
        return result
    for run in candidates:  # one run at a time: a stop part-way leaves every run whole or pruned
        with transaction.atomic():
            MetricResult.objects.filter(run=run).delete()
            ComputationRun.objects.filter(pk=run.pk).update(figures_pruned_at=timezone.now())
    if not (result.runs or record_nothing):
        return result
    record(
        by=by,
        action="compliance.prune",
        detail={"runs": result.runs, "figures": result.figures, "before": before.isoformat()},
        actor_label=actor_label or "compliance retention",
    )
    return result
