"""Streaming file encryption with random-access reading.

Layout: ``MAGIC`` (4 bytes) + nonce prefix (16 bytes), then chunks of at most
``CHUNK`` plaintext bytes, each sealed with XChaCha20-Poly1305 under the
file's own key. A chunk's nonce is the prefix plus its index, and its
associated data says whether it is the last one, so chunks cannot be
reordered, dropped or cut off without the reader noticing. Every chunk but the
last is full, which lets a reader seek without decrypting what comes before.
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path
from typing import BinaryIO

import nacl.exceptions
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)

from pakar.vault.envelope import DecryptionError

MAGIC = b"PKF1"
PREFIX_BYTES = 16
HEADER_BYTES = len(MAGIC) + PREFIX_BYTES
CHUNK = 64 * 1024
TAG_BYTES = 16
SEALED_CHUNK = CHUNK + TAG_BYTES


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">Q", index)


def _ad(index: int, last: bool) -> bytes:
    return struct.pack(">Q?", index, last)


def encrypted_size_to_plain(size: int) -> int:
    body = size - HEADER_BYTES
    if body < TAG_BYTES:
        raise DecryptionError("file too short")
    full, rest = divmod(body, SEALED_CHUNK)
    if rest == 0:
        full, rest = full - 1, SEALED_CHUNK
    if rest < TAG_BYTES:
        raise DecryptionError("file cut off")
    return full * CHUNK + rest - TAG_BYTES


class EncryptedWriter:
    """Write plaintext in any pieces; only ciphertext ever reaches the disk."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self._prefix = nacl.utils.random(PREFIX_BYTES)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._out: BinaryIO = os.fdopen(fd, "wb")
        self._out.write(MAGIC + self._prefix)
        self._buffer = bytearray()
        self._index = 0
        self.size = 0
        self.closed = False

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._index)
        self._out.write(crypto_aead_xchacha20poly1305_ietf_encrypt(chunk, _ad(self._index, last), nonce, self._key))
        self._index += 1

    def close(self) -> None:
        if self.closed:
            return
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        self.closed = True

    def abort(self) -> None:
        """Stop and delete what was written (a refused or interrupted upload)."""
        if not self._out.closed:
            self._out.close()
        self.closed = True
        self.path.unlink(missing_ok=True)


class EncryptedReader(io.RawIOBase):
    """A seekable, read-only plaintext view of an encrypted file."""

    def __init__(self, path: Path, key: bytes) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        header = self._file.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or header[:4] != MAGIC:
            self._file.close()
            raise DecryptionError("not a PAKAR encrypted file")
        self._prefix = header[4:]
        self._key = key
        self.size = encrypted_size_to_plain(os.fstat(self._file.fileno()).st_size)
        self._chunks = max(1, -(-self.size // CHUNK)) if self.size else 1
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        self._file.seek(HEADER_BYTES + index * SEALED_CHUNK)
        sealed = self._file.read(SEALED_CHUNK)
        last = index == self._chunks - 1
        try:
            plain = crypto_aead_xchacha20poly1305_ietf_decrypt(
                sealed, _ad(index, last), _nonce(self._prefix, index), self._key
            )
        except nacl.exceptions.CryptoError as exc:
            raise DecryptionError(f"chunk {index} failed authentication") from exc
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= self.size:
            if self.size == 0:
                self._chunk(0)  # authenticate the empty file's only chunk
            return 0
        # Fill the whole buffer across chunk boundaries: parsers handed this
        # reader directly (zipfile, Pillow, pikepdf) take a short read for a
        # truncated file and would refuse an intact upload.
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._pos < self.size:
            index, offset = divmod(self._pos, CHUNK)
            piece = self._chunk(index)[offset : offset + len(view) - filled]
            view[filled : filled + len(piece)] = piece
            filled += len(piece)
            self._pos += len(piece)
        return filled

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        super().close()


def copy_decrypted(path: Path, key: bytes, out: BinaryIO, block: int = CHUNK) -> int:
    """Stream a whole plaintext into ``out``; returns the bytes written."""
    written = 0
    with EncryptedReader(path, key) as reader:
        while piece := reader.read(block):
            out.write(piece)
            written += len(piece)
    return written
