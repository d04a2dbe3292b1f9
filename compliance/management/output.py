"""What the compliance commands print, to a reader that may stop early (`| head`)."""

import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console


@contextmanager
def quiet_when_the_reader_stops(stdout: Any) -> Iterator[None]:
    """Runs a command's printing to `stdout`. A reader that stops early (`| head`) has taken what it wanted:
    the command stops there, quietly and with exit 0, rather than with a broken pipe's traceback."""
    try:
        yield
        stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()


class PipedConsole(Console):
    """A rich console that, on a closed pipe, raises BrokenPipeError for `quiet_when_the_reader_stops`
    (rich's own console exits 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def _quiet_stdout() -> None:
    """Points standard output at the null device, so that Python's own flush at exit does not fail again."""
    try:
        target = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, target)
    os.close(devnull)
