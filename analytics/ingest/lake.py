"""The event store's layout on disk, and how a submission is published atomically.

    <lake>/<table>/body=<code>/period=<2025-26Q1>/submission=<id>/part-0.parquet
    <lake>/_staging/submission=<id>/...        written first, invisible to readers
    <lake>/_commits/<id>.json                  written last; a submission without it does not exist

A submission's folders are renamed into place, then its commit marker is written (atomically, by rename).
Readers list the markers and read only those submissions' folders, so a crash at any moment leaves either
nothing visible or everything. Folders and files starting with `_` are ignored by Spark and DuckDB globs.
"""

import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGING = "_staging"
COMMITS = "_commits"
LOCKS = "_locks"
TABLES = ("victims", "crimes", "events", "returns")

# The stored columns of each table, in order; the current views are built from these.
STORED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "victims": (
        ("person_ref", "VARCHAR"),
        ("jjn", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("ethnicity", "VARCHAR"),
        ("disability", "VARCHAR"),
        ("dob_recorded", "BOOLEAN"),
    ),
    "crimes": (
        ("force", "VARCHAR"),
        ("crime_ref", "VARCHAR"),
        ("person_ref", "VARCHAR"),
        ("offence_group", "VARCHAR"),
        ("reported_at", "TIMESTAMPTZ"),
        ("reported_on", "DATE"),
        ("recorded_at", "TIMESTAMPTZ"),
        ("recorded_on", "DATE"),
        ("enhanced_rights", "VARCHAR"),
        ("enhanced_reason", "VARCHAR"),
        ("domestic_abuse", "VARCHAR"),
        ("outcome_type", "VARCHAR"),
        ("outcome_date", "DATE"),
        ("age_band", "VARCHAR"),
    ),
    "events": (
        ("event_id", "VARCHAR"),
        ("force", "VARCHAR"),
        ("crime_ref", "VARCHAR"),
        ("person_ref", "VARCHAR"),
        ("jjn", "VARCHAR"),
        ("event_type", "VARCHAR"),
        ("occurred_at", "TIMESTAMPTZ"),
        ("occurred_on", "DATE"),
        ("detail", "VARCHAR"),
        ("crime_known", "BOOLEAN"),
    ),
    "returns": (
        ("force", "VARCHAR"),
        ("metric", "VARCHAR"),
        ("numerator", "BIGINT"),
        ("denominator", "BIGINT"),
    ),
}
# Stored but not part of a record's content: a re-sent record is unchanged even if these differ.
DERIVED_COLUMNS = frozenset({"age_band", "crime_known"})
META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row", "BIGINT"),
    ("mapped_columns", "VARCHAR[]"),
    ("is_correction", "BOOLEAN"),
)
PARTITION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("body", "VARCHAR"),
    ("period", "VARCHAR"),
    ("submission", "BIGINT"),
)
KEYS = {
    "victims": ("person_ref",),
    "crimes": ("force", "crime_ref", "person_ref"),
    "events": ("event_id",),
    "returns": ("period", "force", "metric"),
}


def staging_dir(lake_dir: Path, submission: int) -> Path:
    return lake_dir / STAGING / f"submission={submission}"


def commit_marker(lake_dir: Path, submission: int) -> Path:
    return lake_dir / COMMITS / f"{submission}.json"


def committed_submissions(lake_dir: Path) -> set[int]:
    folder = lake_dir / COMMITS
    if not folder.is_dir():
        return set()
    return {int(path.stem) for path in folder.glob("*.json") if path.stem.isdigit()}


# A quarter's partition folder, `period=2025-26Q1`; rows with no date are in none.
_QUARTER_FOLDER = re.compile(r"period=(\d{4}-\d{2})(Q[1-4])")


def committed_periods(lake_dir: Path, tables: Sequence[str] = ("crimes", "events", "returns")) -> set[str]:
    """The quarters ("2025-26 Q1") that committed submissions of `tables` hold rows for, read from the
    partition folders alone: no data file is opened."""
    committed = committed_submissions(lake_dir)
    periods: set[str] = set()
    for table in tables:
        root = lake_dir / table
        if not committed or not root.is_dir():
            continue
        for folder in root.glob("body=*/period=*/submission=*"):
            submission = folder.name.removeprefix("submission=")
            quarter = _QUARTER_FOLDER.fullmatch(folder.parent.name)
            if quarter and submission.isdigit() and int(submission) in committed:
                periods.add(f"{quarter[1]} {quarter[2]}")
    return periods


def submission_periods(lake_dir: Path, submission: int) -> set[str]:
    """The quarters ("2025-26 Q1") a committed submission wrote rows into, read from its commit marker (rows
    with no date, a `victims` file's, are in none); nothing for a submission that is not committed."""
    marker = commit_marker(lake_dir, submission)
    if not marker.is_file():
        return set()
    folders = json.loads(marker.read_text()).get("folders", [])
    periods: set[str] = set()
    for folder in folders:
        for part in Path(folder).parts:
            quarter = _QUARTER_FOLDER.fullmatch(part)
            if quarter:
                periods.add(f"{quarter[1]} {quarter[2]}")
    return periods


def committed_files(
    lake_dir: Path, table: str, body: str | None = None, *, committed: set[int] | None = None
) -> list[str]:
    """The Parquet files of committed submissions of `table` (optionally of one body), in a stable order.
    `committed` is `committed_submissions(lake_dir)` when the caller has already read it."""
    committed = committed_submissions(lake_dir) if committed is None else committed
    root = lake_dir / table
    if not committed or not root.is_dir():
        return []
    pattern = f"body={body}/period=*/submission=*" if body else "body=*/period=*/submission=*"
    files: list[str] = []
    for folder in root.glob(pattern):
        submission = folder.name.removeprefix("submission=")
        if submission.isdigit() and int(submission) in committed:
            files.extend(str(path) for path in folder.glob("*.parquet"))
    return sorted(files)


@contextmanager
def body_lock(lake_dir: Path, table: str, body: str) -> Iterator[None]:
    """Serialises the compare-and-publish step of submissions for the same table and body."""
    folder = lake_dir / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}-{body}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(
    lake_dir: Path,
    *,
    table: str,
    body: str,
    submission: int,
    detail: dict[str, Any],
    on_step: Any = None,
) -> list[str]:
    """Moves a staged submission into the store and commits it. Returns the published folders."""
    marker = commit_marker(lake_dir, submission)
    if marker.exists():
        raise RuntimeError(f"submission {submission} is already committed")
    staged_body = staging_dir(lake_dir, submission) / table / f"body={body}"
    published = []
    for period_dir in sorted(staged_body.glob("period=*")) if staged_body.is_dir() else []:
        for submission_dir in sorted(period_dir.glob("submission=*")):
            target = lake_dir / table / f"body={body}" / period_dir.name / submission_dir.name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():  # left by an earlier, uncommitted attempt with the same id
                shutil.rmtree(target)
            os.replace(submission_dir, target)
            _fsync_dir(target.parent)
            published.append(str(target.relative_to(lake_dir)))
            if on_step:
                on_step("published", len(published))
    marker.parent.mkdir(parents=True, exist_ok=True)
    scratch = marker.with_suffix(".json.tmp")
    with scratch.open("w") as handle:
        json.dump(
            {**detail, "table": table, "body": body, "submission": submission, "folders": published}, handle
        )
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, marker)
    _fsync_dir(marker.parent)
    shutil.rmtree(staging_dir(lake_dir, submission), ignore_errors=True)
    return published


def discard_uncommitted(lake_dir: Path, submission: int) -> None:
    """Removes what an interrupted, uncommitted submission left behind (readers never saw it)."""
    if commit_marker(lake_dir, submission).exists():
        return
    shutil.rmtree(staging_dir(lake_dir, submission), ignore_errors=True)
    for table in TABLES:
        for folder in (lake_dir / table).glob(f"body=*/period=*/submission={submission}"):
            shutil.rmtree(folder, ignore_errors=True)
