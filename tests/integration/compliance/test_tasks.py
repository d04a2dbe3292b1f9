from datetime import date

import pytest
from django_tasks_db.models import DBTaskResult

from compliance.models import ComputationRun
from compliance.queries import latest_run
from compliance.tasks import quarter_to_recompute, quarters_to_recompute, recompute
from journeys.models import Submission
from tests.factories.journeys import crime, write_csv

from .conftest import FORCE, ingest

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_a_stored_submission_leaves_a_recompute_waiting_for_the_worker(
    bodies, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(FORCE, write_csv(tmp_path / "crimes.csv", [crime(1)]))
    waiting = DBTaskResult.objects.get()
    assert (waiting.status, waiting.task_path) == ("READY", "compliance.tasks.recompute")
    assert waiting.args_kwargs["kwargs"]["body"] == FORCE
    assert not ComputationRun.objects.exists()  # the upload did not wait for the figures


def test_recompute_reports_its_run(submitted):
    result = recompute.call(cutoff="2025-08-15")
    assert result["status"] == "done"
    computation = ComputationRun.objects.get(pk=result["run"])
    # The store's newest data are from 2025-26 Q1: the cut-off's own quarter would have no figures.
    assert (computation.period, str(computation.cutoff)) == ("2025-26 Q1", "2025-08-15")
    assert computation.periods == ["2024-25 Q2", "2024-25 Q3", "2024-25 Q4", "2025-26 Q1"]
    assert computation.row_count > 0


def test_the_recompute_takes_the_newest_quarter_with_data_up_to_the_cutoff(submitted, tmp_path):
    assert quarter_to_recompute(date(2026, 12, 1)) == "2025-26 Q1"
    ingest(
        FORCE,
        write_csv(
            tmp_path / "crimes-q3.csv",
            [crime(9, reported_at="2025-10-06T09:00", recorded_at="2025-10-06T10:00")],
        ),
    )
    assert quarter_to_recompute(date(2026, 12, 1)) == "2025-26 Q3"
    # Rows dated after the cut-off's quarter are data-quality errors, not a quarter to compute.
    assert quarter_to_recompute(date(2025, 8, 15)) == "2025-26 Q1"
    assert quarter_to_recompute(date(2025, 5, 1)) == "2025-26 Q1"


def test_an_empty_store_recomputes_the_cutoffs_quarter(bodies):
    assert quarter_to_recompute(date(2025, 8, 15)) == "2025-26 Q2"


def submit_crimes(tmp_path, name: str, *dates: str) -> int:
    rows = [
        crime(100 + n, reported_at=f"{day}T09:00", recorded_at=f"{day}T10:00") for n, day in enumerate(dates)
    ]
    ingest(FORCE, write_csv(tmp_path / name, rows))
    return Submission.objects.latest("pk").pk


def test_a_late_correction_has_its_old_quarters_computed_again(submitted, tmp_path):
    # 2025-26 Q1 is the newest quarter: its computation covers 2024-25 Q2 to 2025-26 Q1.
    within = submit_crimes(tmp_path, "crimes-recent.csv", "2024-07-01", "2025-05-01")
    assert quarters_to_recompute(date(2025, 8, 15), within) == ["2025-26 Q1"]
    # 2023-24 Q4's computation covers 2023-24 Q2 too; 2022-23 Q1 needs one of its own.
    late = submit_crimes(tmp_path, "crimes-late.csv", "2024-02-01", "2023-08-01", "2022-05-01", "2024-08-01")
    assert quarters_to_recompute(date(2025, 8, 15), late) == ["2025-26 Q1", "2023-24 Q4", "2022-23 Q1"]
    assert quarters_to_recompute(date(2025, 8, 15)) == ["2025-26 Q1"]

    result = recompute.call(submission=late, cutoff="2025-08-15")

    assert [(quarter["period"], quarter["status"]) for quarter in result["quarters"]] == [
        ("2025-26 Q1", "done"), ("2023-24 Q4", "done"), ("2022-23 Q1", "done"),
    ]  # fmt: skip
    assert (result["status"], result["period"]) == ("done", "2025-26 Q1")
    assert ComputationRun.objects.count() == 3
    # Each old quarter's figures count the late crime: its recording is on time.
    for period in ("2023-24 Q4", "2023-24 Q2", "2022-23 Q1"):
        run = latest_run(period)
        assert run is not None and late in run.submissions
        recorded = run.results.get(
            metric="R2.recorded_24h", period=period, force=FORCE, body=FORCE, breakdown="all"
        )
        assert (recorded.met, recorded.denominator) == (1, 1)


def test_quarters_a_computation_of_the_same_cutoff_has_read_are_not_computed_again(submitted, tmp_path):
    late = submit_crimes(tmp_path, "crimes-late.csv", "2024-02-01")
    recompute.call(cutoff="2025-08-15")  # the newest quarter, after the late file was stored

    result = recompute.call(submission=late, cutoff="2025-08-15")

    assert [(quarter["period"], quarter["status"]) for quarter in result["quarters"]] == [
        ("2025-26 Q1", "covered"), ("2023-24 Q4", "done"),
    ]  # fmt: skip
    assert result["status"] == "done"
    again = recompute.call(submission=late, cutoff="2025-08-15")
    assert (again["status"], [quarter["status"] for quarter in again["quarters"]]) == (
        "covered",
        ["covered"] * 2,
    )
    assert "pruned_runs" not in again
