"""Each submission's working folder under DATA_DIR/work: private to the service, locked while its submission
runs, and swept when the process that held it died.

A working folder holds what the file held while it is checked (a workbook's rows as Parquet, DuckDB's spill
files), personal data included for a `victims` file. Its submission removes it when it ends; a process killed
part-way cannot, so every submission first sweeps the folders whose lock no live process holds.
"""

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PREFIX = "submission-"
LOCK = ".lock"
# A folder with no lock file yet is one being made, unless it is older than this.
UNLOCKED_GRACE_SECONDS = 3600


def _root(data_dir: Path) -> Path:
    root = data_dir / "work"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root.chmod(0o700)
    return root


@contextmanager
def working_folder(data_dir: Path, submission: int) -> Iterator[Path]:
    """The submission's folder, readable by the service's account alone and locked until the block ends, when
    it is removed."""
    folder = _root(data_dir) / f"{PREFIX}{submission}"
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
    root = data_dir / "work"
    if not root.is_dir():
        return
    for folder in sorted(root.glob(f"{PREFIX}*")):
        number = folder.name.removeprefix(PREFIX)
        if not number.isdigit() or not folder.is_dir():
            continue
        lock_path = folder / LOCK
        try:
            lock = lock_path.open("r")
        except FileNotFoundError:
            try:
                young = time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_SECONDS
            except FileNotFoundError:
                continue
            if not young:
                yield int(number), folder
            continue
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its submission is running
            if _still_its_lock(lock, lock_path):
                yield int(number), folder


def _still_its_lock(lock: IO[str], path: Path) -> bool:
    """Whether the lock taken is still the folder's: a submission that ends removes its lock file before it lets
    go of it, so a lock taken after that is of a file no longer there."""
    try:
        return os.fstat(lock.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False
