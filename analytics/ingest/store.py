"""Writes accepted rows to a submission's staging folder, one Parquet file per period, as they stream in.

The rows arrive as Arrow record batches from the single pass over the file; a background thread writes them
while DuckDB works out the next batch, so the two overlap. Nothing is visible to readers until the
submission is published (see `lake`).
"""

import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PARTITION = "_partition"
_DONE = None


class PeriodWriters:
    """One Parquet writer per period under `staged/period=<label>/submission=<id>/part-0.parquet`.

    Columns listed in `dictionary` (codes and flags: few distinct values) are dictionary-encoded; references
    and ids are written plain, which is faster and no larger.
    """

    def __init__(self, staged: Path, submission: int, dictionary: Iterable[str]) -> None:
        self.staged = staged
        self.submission = submission
        self.dictionary = list(dictionary)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="parquet-writer", daemon=True)
        self._thread.start()

    def write(self, batch: pa.RecordBatch | pa.Table) -> None:
        """Queues `batch` (with a `_partition` column naming each row's period) for writing."""
        self._raise_if_failed()
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        if not table.num_rows:
            return
        labels = table.column(PARTITION)
        data = table.drop_columns([PARTITION])
        first, last = pc.min_max(labels).values()
        if first == last:  # the usual case: a whole batch in one period
            self._put(str(first), data)
            return
        for label in pc.unique(labels).to_pylist():
            self._put(str(label), data.filter(pc.equal(labels, label)))

    def close(self) -> None:
        """Waits for every queued batch and closes the files; raises what the writing thread met."""
        self._queue.put(_DONE)
        self._thread.join()
        self._raise_if_failed()

    def abort(self) -> None:
        """Stops after the queued batches; the caller removes the staged files."""
        self._queue.put(_DONE)
        self._thread.join()

    def _put(self, label: str, table: pa.Table) -> None:
        while True:
            self._raise_if_failed()
            try:
                self._queue.put((label, table), timeout=0.5)
                return
            except queue.Full:
                continue

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                label, table = item
                writer = self._writers.get(label)
                if writer is None:
                    folder = self.staged / f"period={label}" / f"submission={self.submission}"
                    folder.mkdir(parents=True, exist_ok=True)
                    writer = pq.ParquetWriter(
                        folder / "part-0.parquet", table.schema, use_dictionary=self.dictionary
                    )
                    self._writers[label] = writer
                writer.write_table(table)
        except BaseException as error:  # handed to the caller's thread on its next call
            self._error = error
            while self._queue.get() is not None:  # let a blocked producer finish
                pass
        finally:
            for writer in self._writers.values():
                writer.close()
