"""The one full pass over a file: rows numbered in file order, refused rows set aside, the rest handed on.

`CheckedRows` reads `ingest_checked` (validation, computed as the rows stream out of DuckDB), numbers CSV
rows as they come (the n-th row out of a scan with no join is the n-th record of the file), marks rows
whose key the file repeats, keeps each refused row's problems, and yields the rows as an Arrow stream for the
second database, which joins the good ones with the stored records and writes them. Each row goes on with a
column `_good`: the second database skips the refused ones.
"""

import json
from collections.abc import Iterator, Mapping, Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.ingest.validate import CHECKED_TABLE

_HELPERS = ("problems", "_key_hash", "_has_key")
# The column of the rows handed on that says whether a row is good: the receiving database filters on it,
# several times cheaper than copying every batch without its refused rows here.
GOOD = "_good"
PROBLEM_TYPE = pa.list_(pa.struct([("column", pa.string()), ("value", pa.string()), ("reason", pa.string())]))


def repeated_key_hashes(con: duckdb.DuckDBPyConnection, batch_size: int) -> np.ndarray:
    """The hashes of keys that appear more than once in the file: a pass that computes only the keys.

    The hashes are sorted in memory (8 bytes a row), several times cheaper than grouping by them in SQL.
    """
    query = f"SELECT _key_hash FROM {CHECKED_TABLE} WHERE _has_key"
    return _repeats([batch.column(0).to_numpy() for batch in con.sql(query).to_arrow_reader(batch_size)])


def _repeats(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.array([], dtype=np.uint64)
    hashes = np.concatenate(parts)
    hashes.sort()
    return np.unique(hashes[1:][hashes[1:] == hashes[:-1]])


# Operators that keep each row where the scan put it; any other (a join, a sort, a window, an aggregate)
# may reorder rows within a batch, and rows numbered as they come out would get the wrong numbers.
_IN_PLACE = frozenset({"PROJECTION", "FILTER", "READ_CSV", "READ_CSV_AUTO", "TABLE_SCAN", "DUMMY_SCAN"})


def keeps_file_order(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raises unless every operator of `query`'s plan keeps rows in the order the file gave them."""
    plan = con.execute(f"EXPLAIN (FORMAT json) {query}").fetchall()[0][1]
    found: set[str] = set()
    nodes = list(json.loads(plan))
    while nodes:
        node = nodes.pop()
        found.add(str(node.get("name", "")).strip().upper())
        nodes.extend(node.get("children", []))
    if found - _IN_PLACE:
        raise RuntimeError(
            f"the validation query has operators that may reorder rows ({', '.join(sorted(found - _IN_PLACE))}): "
            "CSV rows could not be numbered in file order"
        )


class CheckedRows:
    """One pass over `ingest_checked` on `con`; `reader()` gives the rows, each marked `_good` or
    not; the counts fill in as it goes."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        number_rows: bool,
        key: Sequence[str],
        duplicate_keys: Mapping[tuple[str, ...], tuple[int, str]],
        batch_size: int,
        collect_hashes: bool = False,
    ) -> None:
        self.con = con
        self.number_rows = number_rows
        self.key = tuple(key)
        # exact key -> (hash, text); a row is a duplicate when its key is one of these
        self.duplicate_keys = dict(duplicate_keys)
        self._duplicate_hashes = pa.array(sorted({h for h, _ in self.duplicate_keys.values()}), pa.uint64())
        self.batch_size = batch_size
        self.rows = 0
        self.refused = 0
        self.problems: list[pa.Table] = []
        self.duplicate_rows: dict[tuple[str, ...], list[int]] = {}
        self.error: BaseException | None = None
        self._hashes: list[np.ndarray] | None = [] if collect_hashes else None

    def reader(self) -> pa.RecordBatchReader:
        query = f"SELECT * FROM {CHECKED_TABLE}"
        if self.number_rows:
            keeps_file_order(self.con, query)
        source = self.con.sql(query).to_arrow_reader(self.batch_size)
        schema = source.schema
        for name in _HELPERS:
            schema = schema.remove(schema.get_field_index(name))
        schema = schema.append(pa.field(GOOD, pa.bool_()))
        return pa.RecordBatchReader.from_batches(schema, self._flagged(source))

    def repeated_hashes(self) -> np.ndarray:
        """The key hashes seen more than once in the pass (with `collect_hashes`)."""
        return _repeats(self._hashes or [])

    def problem_table(self) -> pa.Table:
        if not self.problems:
            return pa.table({"row": pa.array([], pa.int64()), "problems": pa.array([], PROBLEM_TYPE)})
        return pa.concat_tables(self.problems)

    def duplicate_table(self) -> pa.Table:
        """(_row, rows, key_text): every row of a repeated key, with all the rows that share it."""
        rows: list[int] = []
        shared: list[list[int]] = []
        texts: list[str] = []
        for key, numbers in self.duplicate_rows.items():
            ordered = sorted(numbers)
            for number in ordered:
                rows.append(number)
                shared.append(ordered)
                texts.append(self.duplicate_keys[key][1])
        return pa.table(
            {
                "_row": pa.array(rows, pa.int64()),
                "rows": pa.array(shared, pa.list_(pa.int64())),
                "key_text": pa.array(texts, pa.string()),
            }
        )

    def _flagged(self, source: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
        try:
            for batch in source:
                yield from self._split(batch)
        except Exception as error:  # kept: the second database reports it in its own words
            self.error = error
            raise

    def _split(self, batch: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
        count = batch.num_rows
        if self.number_rows:
            numbers = np.arange(self.rows + 1, self.rows + count + 1, dtype=np.int64)
            batch = batch.set_column(batch.schema.get_field_index("_row"), "_row", pa.array(numbers))
        self.rows += count
        if self._hashes is not None:
            hashes = batch.column("_key_hash").filter(batch.column("_has_key"))
            self._hashes.append(hashes.to_numpy(zero_copy_only=False))
        has_problem = pc.is_valid(batch.column("problems"))
        bad = pc.or_(has_problem, self._duplicates(batch))
        refused = pc.sum(bad).as_py() or 0
        good = pc.invert(bad)
        if refused:
            self.refused += refused
            kept = batch.filter(has_problem).select(["_row", "problems"]).rename_columns(["row", "problems"])
            self.problems.append(pa.Table.from_batches([kept]))
        if refused < count:
            yield batch.drop_columns(list(_HELPERS)).append_column(GOOD, good)

    def _duplicates(self, batch: pa.RecordBatch) -> pa.Array:
        """True for rows whose key the file repeats (compared in full: an equal hash alone is not enough)."""
        if not len(self._duplicate_hashes):
            return pa.array(np.zeros(batch.num_rows, dtype=bool))
        candidate = pc.is_in(batch.column("_key_hash"), value_set=self._duplicate_hashes)
        marks = np.zeros(batch.num_rows, dtype=bool)
        positions = np.flatnonzero(candidate.to_numpy(zero_copy_only=False))
        if len(positions):
            picked = pa.array(positions)
            keys = zip(*(batch.column(name).take(picked).to_pylist() for name in self.key), strict=True)
            numbers = batch.column("_row").take(picked).to_pylist()
            for position, key, number in zip(positions, keys, numbers, strict=True):
                if key in self.duplicate_keys:
                    marks[position] = True
                    self.duplicate_rows.setdefault(key, []).append(number)
        return pa.array(marks)
