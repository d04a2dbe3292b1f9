"""The worker (`justice-journey db_worker`) runs the recomputes that submissions leave in the database.

Transactional: the worker commits as it claims and finishes each task, as it does in service.
"""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent, Role
from compliance.models import ComputationRun
from journeys.actions import issue_token
from journeys.models import Submission
from tests.factories import accounts as people
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


def submission_page(client, submission_id: int) -> str:
    if "_auth_user_id" not in client.session:
        client.force_login(people.user("sender", role=Role.SUBMITTER, organisation_code=FORCE))
    return client.get(reverse("journeys:detail", args=[submission_id])).content.decode()


def figures_cell(text: str) -> tuple[str, str]:
    cell = re.search(r'data-figures="([a-z_]+)">(.*?)</dd>', text, re.S)
    assert cell, "the submission page says nothing of the figures"
    return cell[1], " ".join(re.sub(r"<[^>]+>", " ", cell[2]).split())


def test_a_submission_page_follows_its_figures_from_waiting_to_counted(bodies, tmp_path, client):
    submit(tmp_path, 1)
    submission = Submission.objects.get()
    assert figures_cell(submission_page(client, submission.pk))[0] == "waiting"

    work_through_the_queue()

    text = submission_page(client, submission.pk)
    period = ComputationRun.objects.get().period
    assert figures_cell(text) == ("counted", f"Counted in the figures up to {period}. See the figures")
    assert f'href="/compliance/?period={period.replace(" ", "%20")}"' in text


def test_a_late_submission_page_links_the_earlier_quarters_counted_again(bodies, tmp_path, client):
    submit(tmp_path, 1)  # 1 April 2025: 2025-26 Q1, the newest quarter
    work_through_the_queue()
    ingest(
        FORCE,
        write_csv(
            tmp_path / "crimes-late.csv",
            [crime(2, reported_at="2024-02-01T09:00", recorded_at="2024-02-01T10:00")],
        ),
    )
    late = Submission.objects.latest("pk")

    work_through_the_queue()

    state, text = figures_cell(submission_page(client, late.pk))
    assert (state, text.replace(" .", ".")) == (  # the helper puts a space where each link ends
        "counted",
        "Counted in the figures up to 2025-26 Q1. See the figures "
        "Its rows in earlier quarters are counted in those quarters' figures too: 2023-24 Q4.",
    )
    assert 'href="/compliance/?period=2023-24%20Q4"' in submission_page(client, late.pk)
    assert {run.period for run in ComputationRun.objects.all()} == {"2025-26 Q1", "2023-24 Q4"}
    exporter = people.user("exporter", role=Role.SUBMITTER, organisation_code=FORCE)
    _token, secret = issue_token(by=exporter, body_code=FORCE, name="nightly export")
    answer = client.get(f"/api/submissions/{late.pk}", headers={"Authorization": f"Bearer {secret}"}).json()
    assert (answer["figures"], answer["figures_period"], answer["figures_older_periods"]) == (
        "counted",
        "2025-26 Q1",
        ["2023-24 Q4"],
    )
    client.force_login(people.user("operator", role=Role.ADMINISTRATOR, organisation_code="MOJ"))
    old_run = ComputationRun.objects.get(period="2023-24 Q4")
    page = client.get(reverse("compliance:computations")).content.decode()
    assert f"2025-26 Q1 · run {old_run.pk - 1}; 2023-24 Q4 · run {old_run.pk}" in page


def test_a_submission_that_changed_nothing_says_so(bodies, tmp_path, client):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)])
    ingest(FORCE, path)
    ingest(FORCE, path)
    again = Submission.objects.order_by("pk").last()
    assert figures_cell(submission_page(client, again.pk)) == (
        "unchanged",
        "No change: every row was already held.",
    )
    empty = write_csv(tmp_path / "crimes-empty.csv", [], header=list(crime(1)))
    ingest(FORCE, empty)
    header_only = Submission.objects.order_by("pk").last()
    assert header_only.rows == 0
    assert figures_cell(submission_page(client, header_only.pk)) == (
        "unchanged",
        "No change: the file held no rows.",
    )


def test_a_recompute_that_cannot_read_the_store_fails_and_says_so(bodies, tmp_path, client):
    submit(tmp_path, 1)
    [stored] = (tmp_path / "data" / "lake" / "crimes").rglob("*.parquet")
    stored.write_bytes(b"not parquet")  # a damaged disk, say

    work_through_the_queue()

    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    failure = AuditEvent.objects.get(action="compliance.compute", outcome=AuditEvent.Outcome.FAILED)
    assert failure.detail["submission"] == Submission.objects.get().pk
    assert "Error" in failure.detail["error"]
    assert not ComputationRun.objects.exists()
    assert figures_cell(submission_page(client, Submission.objects.get().pk))[0] == "not_counted"


def test_administrators_see_the_queue_warn_when_it_stalls_and_see_the_computations(bodies, tmp_path, client):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(people.user("ops", role=Role.ADMINISTRATOR, organisation_code="MOJ"))
    submit(tmp_path, 1)
    page = client.get("/compliance/computations/").content.decode()
    assert 'data-count="waiting">1 (the oldest since' in page and "data-stalled" not in page

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=20))
    page = client.get("/compliance/computations/").content.decode()
    assert "A task has waited more than 15 minutes: is a worker running (justice-journey db_worker)?" in page

    work_through_the_queue()
    run = ComputationRun.objects.get()
    page = client.get("/compliance/computations/").content.decode()
    assert 'data-count="waiting">0<' in page and "data-stalled" not in page
    assert f"done · {run.period} · run {run.pk}" in page
    assert f'data-run="{run.pk}"' in page


def test_only_administrators_and_national_analysts_see_the_computations(bodies, client):
    for role, organisation, status in (
        (Role.NATIONAL_ANALYST, "MOJ", 200),
        (Role.ANALYST, FORCE, 403),
        (Role.SUBMITTER, FORCE, 403),
    ):
        client.force_login(people.user(f"someone-{role}", role=role, organisation_code=organisation))
        assert client.get("/compliance/computations/").status_code == status
