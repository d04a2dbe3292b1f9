"""A victims file that turns out unreadable part-way registers nobody in the identity vault."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.ingest import FileRejected
from tests.factories.journeys import victim


def _corrupt_last_names(path) -> None:
    """Overwrites the compressed given names of the file's last row group, as a damaged copy would."""
    meta = pq.ParquetFile(path).metadata
    chunk = meta.row_group(meta.num_row_groups - 1).column(meta.schema.names.index("given_name"))
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    with open(path, "r+b") as handle:
        handle.seek(start + 20)
        handle.write(b"\xab" * (chunk.total_compressed_size - 40))


def test_a_file_rejected_whole_registers_no_one(store, tmp_path):
    rows = [victim(n, given_name=f"Name{n:05d}" * 3) for n in range(1, 100_001)]
    path = tmp_path / "victims.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=10_000, compression="snappy")
    _corrupt_last_names(path)
    with pytest.raises(FileRejected, match="cannot be read as Parquet"):
        store.send(path)
    assert store.vault == {}
    assert store.query("SELECT count(*) FROM victims") == [(0,)]
