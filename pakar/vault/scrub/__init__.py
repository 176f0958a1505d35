"""Evidence hygiene: remove what a file says about its author before a handler sees it.

One call, ``scrub(mime, src, dst)``, writes a cleaned copy of ``src`` (an
upload of the allowed type ``mime``) to ``dst`` and returns a
:class:`ScrubReport` with the SHA-256 of both, for the chain of custody. A
file that cannot be cleaned safely raises :class:`RefusedFile` with a stable
reason code and a translated message for the reporter; nothing is ever
half-cleaned silently. On refusal ``dst`` holds a partial write the caller
must discard (``EncryptedWriter.abort()``).

``src`` must be readable and seekable (``EncryptedReader`` is); ``dst`` only
needs ``write``. Files are processed from the stream: pictures are decoded
once, PDFs are read object by object, archives member by member and audio or
video is copied in chunks.

Families and their decisions are documented in their modules:
:mod:`.images`, :mod:`.pdf`, :mod:`.office`, :mod:`.media`.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, cast

from pakar.vault.scrub import images, media, office, pdf
from pakar.vault.scrub.base import MESSAGES, Limits, RefusedFile

__all__ = ["MESSAGES", "Limits", "RefusedFile", "ScrubReport", "scrub", "supported_types"]

logger = logging.getLogger(__name__)

Cleaner = Callable[[str, BinaryIO, BinaryIO, Limits], list[str]]

CLEANERS: dict[str, Cleaner] = {
    **dict.fromkeys(images.MIME_FORMATS, images.scrub_image),
    "application/pdf": pdf.scrub_pdf,
    **dict.fromkeys(office.MIME_TYPES, office.scrub_office),
    **dict.fromkeys(media.MIME_TYPES, media.scrub_media),
}


@dataclass(frozen=True)
class ScrubReport:
    mime: str  # of the cleaned file: HEIC and HEIF pictures become JPEG
    original_sha256: str
    original_size: int
    cleaned_sha256: str
    cleaned_size: int
    # What the original carried, in stable English words ("gps", "exif",
    # "docprops", "rsid", ...) for the case record; never the values themselves.
    removed: tuple[str, ...]


def supported_types() -> frozenset[str]:
    return frozenset(CLEANERS)


class _HashingWriter(io.RawIOBase):
    """Passes writes on to ``dst`` and hashes them; never seekable, so no writer
    can go back and change bytes that were already hashed."""

    def __init__(self, dst: BinaryIO) -> None:
        super().__init__()
        self._dst = dst
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = bytes(data)
        self._dst.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.size


def _digest(src: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    src.seek(0)
    while chunk := src.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    src.seek(0)
    return digest.hexdigest(), size


def scrub(mime: str, src: BinaryIO, dst: BinaryIO, *, limits: Limits | None = None) -> ScrubReport:
    """Write a cleaned copy of ``src`` to ``dst``, or raise :class:`RefusedFile`."""
    cleaner = CLEANERS.get(mime)
    if cleaner is None:
        raise RefusedFile("unsupported_type")
    limits = limits or Limits.from_settings()
    original_sha256, original_size = _digest(src)
    if original_size == 0:
        raise RefusedFile("damaged")
    out = _HashingWriter(dst)
    try:
        removed = cleaner(mime, src, cast(BinaryIO, out), limits)
    except RefusedFile:
        raise
    except MemoryError as exc:
        raise RefusedFile("too_large") from exc
    except Exception as exc:  # noqa: BLE001 - a parser's surprise is a damaged file, never a 500
        # The type only: exception messages can quote bytes of the evidence.
        logger.warning("scrub: %s cleaner failed with %s", mime, type(exc).__name__)
        raise RefusedFile("damaged") from exc
    return ScrubReport(
        mime=images.OUTPUT_MIME.get(mime, mime),
        original_sha256=original_sha256,
        original_size=original_size,
        cleaned_sha256=out.digest.hexdigest(),
        cleaned_size=out.size,
        removed=tuple(removed),
    )
