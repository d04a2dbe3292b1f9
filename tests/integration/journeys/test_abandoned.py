"""A submission whose process died part-way leaves no copy of its file behind and does not stay 'processing'."""

import fcntl
import stat
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import AuditEvent, Organisation
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
