"""The worker (`justice-journey db_worker`) runs the recomputes that submissions leave in the database.

Transactional: the worker commits as it claims and finishes each task, as it does in service.
"""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from compliance.models import ComputationRun
from tests.factories.journeys import crime, write_csv

from .conftest import FORCE, ingest

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
    pytest.mark.usefixtures("append_only_tables_clearable"),
]


def work_through_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


def submit(tmp_path, number: int) -> None:
    ingest(FORCE, write_csv(tmp_path / f"crimes-{number}.csv", [crime(number)]))


def test_the_worker_computes_the_figures_a_submission_asked_for(bodies, tmp_path):
    submit(tmp_path, 1)
    assert not ComputationRun.objects.exists()

    work_through_the_queue()

    task = DBTaskResult.objects.get()
    submission = task.args_kwargs["kwargs"]["submission"]
    assert (task.status, task.return_value["status"]) == ("SUCCESSFUL", "done")
    computation = ComputationRun.objects.get()
    assert computation.pk == task.return_value["run"]
    assert computation.requested_by_label == f"compliance recompute after ingest {submission}"
    assert computation.submissions == [submission]


def test_a_burst_of_submissions_costs_one_computation(bodies, tmp_path):
    for number in (1, 2, 3):
        submit(tmp_path, number)
    assert DBTaskResult.objects.filter(status="READY").count() == 3

    work_through_the_queue()

    computation = ComputationRun.objects.get()
    assert len(computation.submissions) == 3
    outcomes = [
        (task.status, task.return_value["status"], task.return_value["run"])
        for task in DBTaskResult.objects.order_by("enqueued_at")
    ]
    assert outcomes == [
        ("SUCCESSFUL", "done", computation.pk),
        ("SUCCESSFUL", "covered", computation.pk),
        ("SUCCESSFUL", "covered", computation.pk),
    ]


def test_a_submission_after_the_last_computation_is_computed_again(bodies, tmp_path):
    submit(tmp_path, 1)
    work_through_the_queue()
    submit(tmp_path, 2)
    work_through_the_queue()

    first, second = ComputationRun.objects.order_by("finished_at", "pk")
    assert (len(first.submissions), len(second.submissions)) == (1, 2)
