from dataclasses import dataclass


class FileRejected(Exception):
    """The whole file is refused (header, encoding, structure); nothing from it is stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str
