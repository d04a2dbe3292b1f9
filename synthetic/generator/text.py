"""Fast text columns: fixed-width strings built from digit arithmetic, and the Europe/London wall clock.

Times are carried as int64 *local seconds*: seconds since 1970-01-01 00:00 on the Europe/London wall clock.
The minimum dataset reads a naive timestamp as London time, and a time in the hour the clocks skip or repeat
with the offset in force before the change; `utc_offset_seconds` applies exactly that rule.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400
EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - EPOCH).days


def from_day_number(days: int) -> date:
    return EPOCH + timedelta(days=int(days))


def fixed_width(matrix: np.ndarray) -> pa.StringArray:
    """An Arrow string column whose rows are the rows of a (n, width) uint8 matrix of ASCII bytes."""
    rows, width = matrix.shape
    offsets = np.arange(0, rows * width + 1, width, dtype=np.int32)
    data = np.ascontiguousarray(matrix, dtype=np.uint8)
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data))


def _digits(matrix: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    for position in range(width):
        matrix[:, column + width - 1 - position] = values // (10**position) % 10 + 48


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.StringArray:
    """`prefix` followed by each number zero-padded to `width` digits."""
    head = prefix.encode("ascii")
    matrix = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    matrix[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    _digits(matrix, len(head), numbers.astype(np.int64), width)
    return fixed_width(matrix)


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    as_days = days.astype("datetime64[D]")
    years = as_days.astype("datetime64[Y]").astype(np.int64) + 1970
    months_since = as_days.astype("datetime64[M]")
    months = months_since.astype(np.int64) % 12 + 1
    day_of_month = (as_days - months_since).astype(np.int64) + 1
    return years, months, day_of_month


def _write_date(matrix: np.ndarray, days: np.ndarray) -> None:
    years, months, day_of_month = _civil(days)
    _digits(matrix, 0, years, 4)
    matrix[:, 4] = ord("-")
    _digits(matrix, 5, months, 2)
    matrix[:, 7] = ord("-")
    _digits(matrix, 8, day_of_month, 2)


def dates(days: np.ndarray) -> pa.StringArray:
    """`YYYY-MM-DD` for day numbers."""
    matrix = np.empty((len(days), 10), dtype=np.uint8)
    _write_date(matrix, days)
    return fixed_width(matrix)


@lru_cache(maxsize=1)
def _transitions() -> tuple[np.ndarray, np.ndarray]:
    """Local seconds at which British Summer Time starts (02:00 on the last Sunday of March) and ends
    (02:00 on the last Sunday of October, the end of the repeated hour)."""
    starts: list[int] = []
    ends: list[int] = []
    for year in range(1990, 2061):
        for month, bucket in ((3, starts), (10, ends)):
            last = date(year, month, 31)
            last -= timedelta(days=(last.weekday() + 1) % 7)
            bucket.append(day_number(last) * DAY + 2 * 3600)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def utc_offset_seconds(local: np.ndarray) -> np.ndarray:
    starts, ends = _transitions()
    index = np.searchsorted(starts, local, side="right") - 1
    in_summer = (index >= 0) & (local < ends[np.clip(index, 0, None)])
    return np.where(in_summer, 3600, 0).astype(np.int64)


def skip_missing_hour(local: np.ndarray) -> np.ndarray:
    """Moves wall-clock times that fall in the hour the clocks skip one hour on, as a real clock would."""
    starts, _ = _transitions()
    index = np.searchsorted(starts, local, side="right")
    following = starts[np.clip(index, 0, len(starts) - 1)]
    in_gap = (following - local <= 3600) & (following - local > 0)
    return np.where(in_gap, local + 3600, local)


def timestamps(local: np.ndarray, style: str) -> pa.StringArray:
    """Timestamps in one of the written styles bodies use.

    `naive` YYYY-MM-DDThh:mm:ss London time; `minutes` YYYY-MM-DDThh:mm; `utc` the instant with Z;
    `offset` London time followed by +01:00 or +00:00.
    """
    local = local.astype(np.int64)
    clock = local - utc_offset_seconds(local) if style == "utc" else local
    days = clock // DAY
    seconds = clock % DAY
    width = {"naive": 19, "minutes": 16, "utc": 20, "offset": 25}[style]
    matrix = np.empty((len(local), width), dtype=np.uint8)
    _write_date(matrix, days)
    matrix[:, 10] = ord("T")
    _digits(matrix, 11, seconds // 3600, 2)
    matrix[:, 13] = ord(":")
    _digits(matrix, 14, seconds // 60 % 60, 2)
    if style != "minutes":
        matrix[:, 16] = ord(":")
        _digits(matrix, 17, seconds % 60, 2)
    if style == "utc":
        matrix[:, 19] = ord("Z")
    elif style == "offset":
        summer = utc_offset_seconds(local) > 0
        matrix[:, 19] = ord("+")
        matrix[:, 20] = ord("0")
        matrix[:, 21] = np.where(summer, ord("1"), ord("0"))
        matrix[:, 22] = ord(":")
        matrix[:, 23] = ord("0")
        matrix[:, 24] = ord("0")
    return fixed_width(matrix)


def take(vocabulary: pa.Array, indices: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Vocabulary entries by index; rows where `valid` is False are empty (null)."""
    if valid is None:
        return vocabulary.take(pa.array(indices))
    return vocabulary.take(pa.array(indices, mask=~valid))


def join(*columns: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*columns, "")


def local_datetime(local_seconds: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(local_seconds))
