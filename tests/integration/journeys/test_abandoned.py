"""A submission whose process died part-way leaves no copy of its file behind and does not stay 'processing'."""

import fcntl
import os
import stat
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, Organisation
from journeys import actions
from journeys.actions import ABANDONED, Actor, submit, sweep_abandoned
from journeys.models import Submission
from tests.factories.journeys import crime

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _left_behind(number: int, *, locked_by_a_live_process: bool = False):
    """A working folder as a killed process leaves it: its lock file, and the file's rows in plain text."""
    folder = Path(settings.DATA_DIR) / "work" / f"submission-{number}"
    folder.mkdir(parents=True)
    (folder / "xlsx-rows.parquet").write_text("Leftoverina Sheetworth, 1980-05-17")
    lock = (folder / ".lock").open("w")
    if locked_by_a_live_process:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return folder, lock
    lock.close()
    return folder, None


def test_the_next_submission_removes_a_dead_ones_folder_and_finishes_it_failed(bodies, lake):
    body = Organisation.objects.get(code="E23000036")
    dead = Submission.objects.create(
        body=body, file_name="victims.xlsx", table="victims", submitted_by_label="x", source="cli"
    )
    folder, _ = _left_behind(dead.pk)

    done = submit(
        by=Actor(user=None, label="test"), body_code="E23000036", file_name="crimes.csv", records=[crime(1)],
        table="crimes",
    )  # fmt: skip

    assert done.status == "stored" and not folder.exists()
    dead.refresh_from_db()
    assert (dead.status, dead.reason) == ("failed", ABANDONED) and dead.finished_at is not None
    finished = AuditEvent.objects.get(target=f"submission:{dead.pk}")
    assert (finished.outcome, finished.actor_label) == ("failed", "service")
    # Its own folder, private while it ran, is gone too.
    assert list((Path(settings.DATA_DIR) / "work").iterdir()) == []


def test_a_running_submissions_folder_is_left_alone(bodies):
    body = Organisation.objects.get(code="E23000036")
    running = Submission.objects.create(
        body=body, file_name="victims.xlsx", table="victims", submitted_by_label="x", source="cli"
    )
    folder, lock = _left_behind(running.pk, locked_by_a_live_process=True)
    try:
        assert sweep_abandoned() == []
        assert folder.exists()
        running.refresh_from_db()
        assert running.status == "processing"
    finally:
        lock.close()
    assert sweep_abandoned() == [running.pk] and not folder.exists()


def test_working_folders_are_readable_by_the_service_alone(bodies, monkeypatch):
    seen = {}
    from journeys import workspace

    real = workspace.working_folder

    def watched(data_dir, number):
        manager = real(data_dir, number)

        class Watch:
            def __enter__(self):
                folder = manager.__enter__()
                seen["folder"] = stat.S_IMODE(folder.stat().st_mode)
                seen["root"] = stat.S_IMODE(folder.parent.stat().st_mode)
                return folder

            def __exit__(self, *exc):
                return manager.__exit__(*exc)

        return Watch()

    monkeypatch.setattr(workspace, "working_folder", watched)
    submit(
        by=Actor(user=None, label="test"), body_code="E23000036", file_name="crimes.csv", records=[crime(1)],
        table="crimes",
    )  # fmt: skip
    assert seen == {"folder": 0o700, "root": 0o700}


def test_a_lock_let_go_by_a_submission_that_ended_is_not_taken_for_an_abandoned_one(tmp_path):
    from journeys import workspace

    with workspace.working_folder(tmp_path, 7) as folder:
        sweeper = (folder / workspace.LOCK).open("r")  # opened by a sweeper just before the submission ends
    folder.mkdir()  # as if the submission's removal had not finished yet
    assert not workspace._still_its_lock(sweeper, folder / workspace.LOCK)
    assert list(workspace.abandoned(tmp_path)) == []  # and a folder without its lock is young, so left alone
    sweeper.close()


@pytest.fixture
def signed_in(client, submitter, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    client.force_login(submitter)
    return client


def test_a_large_upload_is_received_and_copied_inside_the_private_working_folder(
    signed_in, settings, monkeypatch
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload is received into a file, as one over 5 MB is
    work = Path(settings.DATA_DIR) / "work"
    seen = {}
    real_submit = actions.submit

    def watching(**given):
        seen["copy"] = given["path"]
        seen["received"] = sorted(path.name for path in (work / "received").iterdir())
        seen["modes"] = {
            stat.S_IMODE(p.stat().st_mode) for p in (work, work / "received", given["path"].parent)
        }
        return real_submit(**given)

    monkeypatch.setattr(actions, "submit", watching)
    file = SimpleUploadedFile(
        "victims.csv", b"person_ref,given_name\nP1,Leftoverina\n", content_type="text/csv"
    )
    response = signed_in.post("/submissions/new/", {"body": "E23000036", "file": file, "dry_run": "on"})
    assert response.status_code == 302
    assert seen["copy"].parent.parent == work and seen["copy"].parent.name.startswith("received-")
    assert len(seen["received"]) == 1 and seen["received"][0].endswith(".upload.csv")
    assert seen["modes"] == {0o700}
    assert not seen["copy"].parent.exists()  # the copy went with its request


def test_the_next_submission_removes_what_dead_requests_had_received_and_nothing_held(bodies, lake):
    work = Path(settings.DATA_DIR) / "work"
    dead_copy = work / "received-0123456789abcdef"
    dead_copy.mkdir(parents=True)
    (dead_copy / "submitted.csv").write_text("person_ref,given_name\nP1,Leftoverina\n")
    (dead_copy / ".lock").touch()  # its lock was let go when its process died
    received = work / "received"
    received.mkdir()
    dead_upload, held_upload, young_upload = (received / f"tmp{n}.upload.csv" for n in (1, 2, 3))
    for path in (dead_upload, held_upload, young_upload):
        path.write_text("person_ref,given_name\nP1,Leftoverina\n")
    for path in (dead_upload, held_upload):
        os.utime(path, (time.time() - 300, time.time() - 300))
    with held_upload.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # a request still receiving or submitting it
        submit(by=Actor(user=None, label="test"), body_code="E23000036", file_name="crimes.csv",
               records=[crime(1)], table="crimes")  # fmt: skip
        assert not dead_copy.exists() and not dead_upload.exists()
        assert held_upload.exists() and young_upload.exists()
