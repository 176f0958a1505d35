"""What an uploaded file really is, judged by its content, never its name.

``detect`` works from the first and last bytes of the upload (kept while it
streams to disk encrypted): libmagic for most types, and the ZIP central
directory — which sits at the end of the file — to tell DOCX, XLSX and ODT
from any other archive. ``check_integrity`` then reads the whole file
(decrypting on the fly) to refuse damaged documents and images.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, BinaryIO

import magic
from django.conf import settings
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 64 * 1024
TAIL_BYTES = 256 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str
    extension: str
    kind: str  # document, image, audio, video


ALLOWED: dict[str, FileType] = {
    t.mime: t
    for t in [
        FileType("application/pdf", "PDF", ".pdf", "document"),
        FileType("image/jpeg", "JPEG", ".jpg", "image"),
        FileType("image/png", "PNG", ".png", "image"),
        FileType("image/webp", "WebP", ".webp", "image"),
        FileType("image/heic", "HEIC", ".heic", "image"),
        FileType("image/heif", "HEIF", ".heif", "image"),
        FileType(DOCX, "DOCX", ".docx", "document"),
        FileType(XLSX, "XLSX", ".xlsx", "document"),
        FileType(ODT, "ODT", ".odt", "document"),
        FileType("audio/mpeg", "MP3", ".mp3", "audio"),
        FileType("audio/x-m4a", "M4A", ".m4a", "audio"),
        FileType("video/mp4", "MP4", ".mp4", "video"),
    ]
}
ALIASES = {"audio/mp4": "audio/x-m4a", "image/heic-sequence": "image/heic", "image/heif-sequence": "image/heif"}


def allowed_labels() -> str:
    return ", ".join(dict.fromkeys(t.label for t in ALLOWED.values()))


class _SparseFile(io.RawIOBase):
    """The head and tail of a file with zeros between: enough for zipfile to
    read an archive's central directory without the whole file."""

    def __init__(self, head: bytes, tail: bytes, size: int) -> None:
        super().__init__()
        self._head, self._tail, self._size = head, tail, size
        self._tail_start = size - len(tail)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        end = min(self._size, self._pos + len(buffer))
        out = bytearray(max(0, end - self._pos))
        for start, blob in ((0, self._head), (self._tail_start, self._tail)):
            lo, hi = max(self._pos, start), min(end, start + len(blob))
            if lo < hi:
                out[lo - self._pos : hi - self._pos] = blob[lo - start : hi - start]
        buffer[: len(out)] = out
        self._pos = end
        return len(out)


def _zip_names(head: bytes, tail: bytes, size: int) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BufferedReader(_SparseFile(head, tail, size))) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _office_type(names: set[str]) -> str | None:
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if {"content.xml", "META-INF/manifest.xml"} <= names:
        return ODT
    return None


def detect(head: bytes, tail: bytes, size: int) -> str | None:
    """The allowed MIME type this content is, or None."""
    if size == 0:
        return None
    found = ALIASES.get(m := magic.from_buffer(head, mime=True), m)
    if found in (DOCX, XLSX, ODT, "application/zip", "application/octet-stream") and head[:2] == b"PK":
        names = _zip_names(head, tail, size)
        return _office_type(names) if names is not None else None
    return found if found in ALLOWED else None


def check_integrity(mime: str, stream: BinaryIO) -> str | None:
    """A translated reason the file is damaged, or None if it reads whole."""
    kind = ALLOWED[mime].kind
    try:
        if mime == "application/pdf":
            _check_pdf(stream)
        elif kind == "image":
            _check_image(stream)
        elif mime in (DOCX, XLSX, ODT):
            _check_zip(stream)
    except Exception:  # noqa: BLE001 - any parser failure means a damaged file
        return str(_("The file is damaged and cannot be opened. Please upload an intact copy."))
    return None


def _check_pdf(stream: BinaryIO) -> None:
    import pikepdf

    with pikepdf.open(stream) as pdf:
        if len(pdf.pages) == 0:
            raise ValueError("no pages")


def _check_image(stream: IO[bytes]) -> None:
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    with warnings.catch_warnings():
        # Oversized pictures are refused by the scrubber with the limit in its
        # message; here they are not decoded at all.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(stream) as image:
            if image.width * image.height > settings.PAKAR_SCRUB_MAX_PIXELS:
                return
            # A JPEG decodes at an eighth of its size: enough to find damage,
            # without holding the whole picture in the web worker's memory.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()


def _check_zip(stream: IO[bytes]) -> None:
    with zipfile.ZipFile(stream) as archive:
        if archive.testzip() is not None:
            raise ValueError("corrupt member")
