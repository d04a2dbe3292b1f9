import pytest

from compliance.models import ComputationRun
from compliance.tasks import recompute

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_ingest_enqueues_a_recompute_after_commit(bodies, tmp_path, django_capture_on_commit_callbacks):
    from tests.factories.journeys import crime, write_csv

    from .conftest import ingest

    with django_capture_on_commit_callbacks(execute=True):
        ingest("E23000036", write_csv(tmp_path / "crimes.csv", [crime(1)]))
    computation = ComputationRun.objects.get()
    assert computation.requested_by_label.startswith("compliance recompute after ingest")
    assert len(computation.submissions) == 1


def test_recompute_reports_its_run(submitted):
    result = recompute.enqueue(cutoff="2025-08-15")
    assert result.return_value["status"] == "done"
    computation = ComputationRun.objects.get(pk=result.return_value["run"])
    assert (computation.period, str(computation.cutoff)) == ("2025-26 Q2", "2025-08-15")
    assert "2025-26 Q1" in computation.periods
