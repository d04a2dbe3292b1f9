from datetime import date

import pytest
from django_tasks_db.models import DBTaskResult

from compliance.models import ComputationRun
from compliance.tasks import quarter_to_recompute, recompute
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
