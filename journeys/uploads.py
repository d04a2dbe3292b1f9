"""Large uploads are received into the data folder's private working area, never the system's temporary folder.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file as it arrives. A file sent
to the service can hold personal data (a `victims` file), and a process killed mid-request leaves that file
behind; in `JJ_DATA_DIR/work/received/` (readable by the service's account alone) each is locked while its
request holds it, so the next submission's sweep removes those no live process holds (journeys.workspace).
"""

import fcntl
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from journeys import workspace


class PrivateUploadedFile(TemporaryUploadedFile):
    """A received file in `work/received/`, locked from the moment it is made until it is closed."""

    def __init__(
        self, name: str, content_type: str, size: int, charset: str | None, content_type_extra: Any
    ) -> None:
        _, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - it lives as long as the upload, closed by Django
            suffix=".upload" + ext, dir=workspace.received_files(Path(settings.DATA_DIR))
        )
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)  # let go when the file is closed, or its process dies
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class PrivateFileUploadHandler(TemporaryFileUploadHandler):
    """Streams a large upload into a PrivateUploadedFile."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = PrivateUploadedFile(
            self.file_name or "upload", self.content_type or "", 0, self.charset, self.content_type_extra
        )
