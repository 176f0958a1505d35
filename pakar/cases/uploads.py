"""Django upload handler: every uploaded file streams straight into encrypted staging.

No plaintext temporary file is ever written and no upload is held whole in
memory; only the first and last few kilobytes are kept for type detection.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler

from pakar.cases.files import StagedUpload, Upload


class EncryptingUploadHandler(FileUploadHandler):
    chunk_size = 64 * 1024

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self._upload: Upload | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._upload = Upload(self.file_name or "")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self._upload is not None
        self._upload.feed(raw_data)

    def file_complete(self, file_size: int) -> StagedUpload:
        assert self._upload is not None
        staged = self._upload.finish()
        self._upload = None
        return StagedUpload(staged)

    def upload_interrupted(self) -> None:
        if self._upload is not None:
            self._upload.abort()
            self._upload = None
