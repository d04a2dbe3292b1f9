"""Each submission's working folder under DATA_DIR/work: private to the service, locked while its submission
runs, and swept when the process that held it died.

A working folder holds what the file held while it is checked (a workbook's rows as Parquet, DuckDB's spill
files), personal data included for a `victims` file. Its submission removes it when it ends; a process killed
part-way cannot, so every submission first sweeps the folders whose lock no live process holds.

A file sent to the page or the API is received here too, never in the system's temporary folder: a large one
as it arrives (`received/`, see journeys.uploads), then copied for its submission into a folder of its own
(`received-<random>`). Both are locked while their request holds them and swept in the same way.
"""

import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PREFIX = "submission-"
RECEIVED_PREFIX = "received-"
RECEIVED_FILES = "received"
LOCK = ".lock"
# A folder with no lock file yet is one being made, unless it is older than this.
UNLOCKED_GRACE_SECONDS = 3600
# A received file is locked as soon as it is made; one younger than this may be that moment.
RECEIVED_GRACE_SECONDS = 60


def _root(data_dir: Path) -> Path:
    root = data_dir / "work"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root.chmod(0o700)
    return root


def received_files(data_dir: Path) -> Path:
    """The private folder large uploads are received into as they arrive."""
    folder = _root(data_dir) / RECEIVED_FILES
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextmanager
def working_folder(data_dir: Path, submission: int) -> Iterator[Path]:
    """The submission's folder, readable by the service's account alone and locked until the block ends, when
    it is removed."""
    with _locked_folder(_root(data_dir) / f"{PREFIX}{submission}") as folder:
        yield folder


@contextmanager
def receiving(data_dir: Path) -> Iterator[Path]:
    """A folder of its own for a file a request received, while it is submitted; locked and removed as a
    working folder is."""
    with _locked_folder(_root(data_dir) / f"{RECEIVED_PREFIX}{secrets.token_hex(8)}") as folder:
        yield folder


@contextmanager
def _locked_folder(folder: Path) -> Iterator[Path]:
    folder.mkdir(mode=0o700, exist_ok=True)
    lock = (folder / LOCK).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder
    finally:
        # The lock file goes first, while still held: a sweeper that takes the lock once it is let go finds it
        # gone, and leaves the folder to this process, which is removing it.
        (folder / LOCK).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        lock.close()


def abandoned(data_dir: Path) -> Iterator[tuple[int, Path]]:
    """The working folders no live process holds, each with its submission's number, while locked by the caller
    (so that two processes sweeping at once take each folder once). The caller removes each before the next."""
    for name, folder in _unheld(data_dir, PREFIX):
        if name.isdigit():
            yield int(name), folder


def sweep_received(data_dir: Path) -> int:
    """Removes what requests that died had received: their folders no live process holds, and large uploads
    (in `received/`) no live process has open. Returns how many were removed."""
    removed = 0
    for _, folder in _unheld(data_dir, RECEIVED_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    root = data_dir / "work" / RECEIVED_FILES
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.is_file() and _unheld_file(path):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _unheld(data_dir: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    root = data_dir / "work"
    if not root.is_dir():
        return
    for folder in sorted(root.glob(f"{prefix}*")):
        if not folder.is_dir():
            continue
        name = folder.name.removeprefix(prefix)
        lock_path = folder / LOCK
        try:
            lock = lock_path.open("r")
        except FileNotFoundError:
            try:
                young = time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_SECONDS
            except FileNotFoundError:
                continue
            if not young:
                yield name, folder
            continue
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its request or submission is running
            if _still_its_lock(lock, lock_path):
                yield name, folder


def _unheld_file(path: Path) -> bool:
    """Whether no live process holds this received file: its receiver locks it from its first moment, but a file
    made this instant may not be locked yet, so a young one is left alone."""
    try:
        if time.time() - path.stat().st_mtime < RECEIVED_GRACE_SECONDS:
            return False
        with path.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True
    except FileNotFoundError:
        return False


def _still_its_lock(lock: IO[str], path: Path) -> bool:
    """Whether the lock taken is still the folder's: a submission that ends removes its lock file before it lets
    go of it, so a lock taken after that is of a file no longer there."""
    try:
        return os.fstat(lock.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False
