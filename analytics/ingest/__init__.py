"""Ingest: validate submitted files against the minimum dataset and store their rows in the event store.

Free of Django. The web upload, the API and the `ingest` command all call `ingest()`.
"""

from analytics.ingest.errors import FileRejected, RowError
from analytics.ingest.lake import committed_files, discard_uncommitted
from analytics.ingest.pipeline import REPORT_COLUMNS, IngestResult, file_checksum, ingest, open_connection
from analytics.ingest.schema import PERSONAL_COLUMNS, Column, TableSchema, table_schema
from analytics.ingest.sources import file_format, table_from_name
from analytics.ingest.views import register_current_views

__all__ = [
    "PERSONAL_COLUMNS",
    "REPORT_COLUMNS",
    "Column",
    "FileRejected",
    "IngestResult",
    "RowError",
    "TableSchema",
    "committed_files",
    "discard_uncommitted",
    "file_checksum",
    "file_format",
    "ingest",
    "open_connection",
    "register_current_views",
    "table_from_name",
    "table_schema",
]
