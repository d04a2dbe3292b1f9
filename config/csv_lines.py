"""CSV for streamed downloads: rows in, text lines out, one at a time, so a long download never sits whole in
memory."""

import csv
from collections.abc import Iterable, Iterator


class _Line:
    """What `csv.writer` writes to: hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    for row in rows:
        yield writer.writerow(row)
