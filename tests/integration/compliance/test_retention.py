"""Old runs lose their figures but keep their provenance; the newest run of every quarter keeps everything."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import AuditEvent
from compliance.models import ComputationRun, MetricResult
from compliance.queries import latest_run, quarters_with_figures
from compliance.tasks import recompute

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def compute(period: str) -> ComputationRun:
    call_command("compute", "--period", period, "--cutoff", "2025-08-15", stdout=io.StringIO())
    return ComputationRun.objects.first()


def prune(*args: str) -> str:
    out = io.StringIO()
    call_command("prune_figures", *args, stdout=out)
    return out.getvalue()


def figures_of(run: ComputationRun) -> int:
    return MetricResult.objects.filter(run=run).count()


@pytest.fixture
def runs(submitted):
    """An old quarter computed once, then the newest quarter three times; all finished 40 days ago."""
    oldest = compute("2024-25 Q1")
    first, second, newest = (compute("2025-26 Q1") for _ in range(3))
    ComputationRun.objects.update(finished_at=timezone.now() - timedelta(days=40))
    return oldest, first, second, newest


def test_old_runs_that_no_quarter_reads_lose_their_figures_and_keep_their_provenance(runs):
    oldest, first, second, newest = runs
    held = figures_of(newest)
    assert held > 0

    printed = prune("--older-than-days", "30")

    assert printed.startswith(
        f"Removed the figures of 2 runs ({first.row_count + second.row_count:,} figures)"
    )
    assert "2 older runs are still the newest of a quarter and keep theirs." in printed
    assert (figures_of(first), figures_of(second), figures_of(newest)) == (0, 0, held)
    first.refresh_from_db()
    assert first.figures_pruned_at is not None
    assert (first.cutoff, first.submissions) == (date(2025, 8, 15), newest.submissions)  # still traceable
    assert latest_run("2025-26 Q1") == newest and latest_run("2024-25 Q1") == oldest
    assert "2025-26 Q1" in quarters_with_figures()
    event = AuditEvent.objects.get(action="compliance.prune")
    assert (event.detail["runs"], event.actor_label) == (2, "command line")
    assert prune("--older-than-days", "30").startswith("Removed the figures of 0 runs")


def test_a_dry_run_removes_nothing(runs):
    before = MetricResult.objects.count()
    assert prune("--older-than-days", "30", "--dry-run").startswith("Would remove the figures of 2 runs")
    assert MetricResult.objects.count() == before
    assert not ComputationRun.objects.filter(figures_pruned_at__isnull=False).exists()


def test_runs_younger_than_the_retention_keep_their_figures(runs):
    ComputationRun.objects.update(finished_at=timezone.now() - timedelta(days=5))
    assert prune("--older-than-days", "30").startswith("Removed the figures of 0 runs")


def test_an_old_quarter_stays_in_reach_however_many_runs_come_after_it(runs):
    newest = runs[-1]
    ComputationRun.objects.bulk_create(
        ComputationRun(
            period="2026-27 Q1", periods=["2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2026-27 Q1"],
            cutoff=date(2026, 5, 1), as_of=timezone.now(), standard_version="1", engine="duckdb",
            requested_by_label="worker",
        )
        for _ in range(80)
    )  # fmt: skip
    assert latest_run("2025-26 Q1") == newest
    assert quarters_with_figures() == ["2025-26 Q1"]


def test_each_recompute_removes_what_the_retention_allows(runs, settings):
    settings.FIGURES_RETENTION_DAYS = 0  # keep everything
    assert recompute.call(cutoff="2025-08-15")["pruned_runs"] == 0
    settings.FIGURES_RETENTION_DAYS = 30
    result = recompute.call(cutoff="2025-08-15")
    # The three old runs of 2025-26 Q1 go; the first recompute's, replaced by the second, ran just now.
    assert result["pruned_runs"] == 3
    pruned = set(ComputationRun.objects.filter(figures_pruned_at__isnull=False).values_list("pk", flat=True))
    assert pruned == {run.pk for run in runs[1:]}  # the oldest is still the newest run of 2024-25 Q1
    event = AuditEvent.objects.get(action="compliance.prune")
    assert (event.detail["runs"], event.actor_label) == (3, "compliance retention")


def test_a_recompute_with_nothing_to_remove_leaves_the_audit_log_alone(runs):
    ComputationRun.objects.update(finished_at=timezone.now())  # every run is within the retention
    assert recompute.call(cutoff="2025-08-15")["pruned_runs"] == 0
    assert not AuditEvent.objects.filter(action="compliance.prune").exists()


@pytest.mark.parametrize("days", ["0", "36501", "99999999999"])
def test_prune_refuses_a_retention_out_of_range(days):
    with pytest.raises(CommandError, match="must be between 1 and 36,500"):
        call_command("prune_figures", "--older-than-days", days, "--dry-run", stdout=io.StringIO())
