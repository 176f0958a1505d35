"""Audio and video: copy the media data byte for byte, leave the tags behind.

MP3: leading ID3v2 tags, and trailing ID3v1, ID3v2 (appended), APEv2 and
Lyrics3 tags are cut off; only the MPEG frames between them are copied.
mutagen confirms the frames are MPEG audio before anything is written.

MP4 and M4A: every ``udta``, ``meta`` and ``uuid`` box (iTunes-style tags,
QuickTime user data with the ``©xyz`` location, Apple's location keys, XMP)
at the top level, in the movie and in each track is turned into a ``free``
box of the same size filled with zeros, and the creation and modification
times of the movie, tracks and media are zeroed. Overwriting in place rather
than deleting keeps every sample offset valid, so audio and video are
untouched and the file is streamed, never loaded. Not removed: timed
metadata tracks some action and dash cameras record (a GPS track is a track,
and removing tracks would change the evidence).
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO, NamedTuple

from mutagen import MutagenError
from mutagen.mp3 import MP3

from pakar.vault.scrub.base import Limits, RefusedFile

MIME_TYPES = {"audio/mpeg": "mp3", "audio/x-m4a": "mp4", "audio/mp4": "mp4", "video/mp4": "mp4"}
COPY_CHUNK = 1024 * 1024
SYNC_SEARCH = 64 * 1024
STRIPPED_BOXES = {b"udta": "user_data", b"meta": "tags", b"uuid": "vendor_boxes", b"free": "", b"skip": ""}
TIMESTAMPED_BOXES = {b"mvhd", b"tkhd", b"mdhd"}
CONTAINER_BOXES = {b"trak", b"mdia"}


class Patch(NamedTuple):
    """At ``start``, write ``prefix`` then ``zeros`` zero bytes instead of the original."""

    start: int
    prefix: bytes
    zeros: int

    @property
    def end(self) -> int:
        return self.start + len(self.prefix) + self.zeros


def scrub_media(mime: str, src: BinaryIO, dst: BinaryIO, limits: Limits) -> list[str]:
    size = src.seek(0, io.SEEK_END)
    src.seek(0)
    if MIME_TYPES[mime] == "mp3":
        return _scrub_mp3(src, dst, size)
    return _scrub_mp4(src, dst, size, limits)


# --- MP3 -----------------------------------------------------------------------


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _read_at(src: BinaryIO, offset: int, length: int) -> bytes:
    if offset < 0:
        return b""
    src.seek(offset)
    return src.read(length)


def _scrub_mp3(src: BinaryIO, dst: BinaryIO, size: int) -> list[str]:
    start, found = _leading_tags(src, size)
    start = _first_frame(src, start, tagged=bool(found))
    try:
        src.seek(0)
        MP3(src)  # type: ignore[no-untyped-call]  # finds and parses the first MPEG frames
    except (MutagenError, struct.error, ValueError, EOFError) as exc:
        raise RefusedFile("damaged") from exc
    end = _audio_end(src, start, size, found)
    _copy_with_patches(src, dst, [], start, end)
    return sorted(found)


def _leading_tags(src: BinaryIO, size: int) -> tuple[int, set[str]]:
    position, found = 0, set()
    while (header := _read_at(src, position, 10))[:3] == b"ID3" and len(header) == 10:
        footer = 10 if header[5] & 0x10 else 0
        position += 10 + _syncsafe(header[6:10]) + footer
        found.add("id3v2")
    if position >= size:
        raise RefusedFile("damaged")
    return position, found


def _first_frame(src: BinaryIO, start: int, *, tagged: bool) -> int:
    """Where the MPEG frames begin (encoders may pad after a tag)."""
    window = _read_at(src, start, SYNC_SEARCH if tagged else 2)
    for index in range(len(window) - 1):
        if window[index] == 0xFF and window[index + 1] & 0xE0 == 0xE0:
            return start + index
    raise RefusedFile("damaged" if tagged else "type_mismatch")


def _audio_end(src: BinaryIO, start: int, end: int, found: set[str]) -> int:
    """The end of the MPEG frames, once every trailing tag is cut off."""
    while True:
        previous = end
        if _read_at(src, end - 128, 3) == b"TAG":
            end -= 128
            end -= 227 if _read_at(src, end - 227, 4) == b"TAG+" else 0
            found.add("id3v1")
        if _read_at(src, end - 32, 8) == b"APETAGEX":
            footer = _read_at(src, end - 32, 32)
            tag_size, flags = struct.unpack("<I", footer[12:16])[0], struct.unpack("<I", footer[20:24])[0]
            end -= tag_size + (32 if flags & 0x80000000 else 0)
            found.add("ape")
        if _read_at(src, end - 9, 9) == b"LYRICS200" and (digits := _read_at(src, end - 15, 6)).isdigit():
            end -= int(digits) + 15
            found.add("lyrics3")
        if (footer := _read_at(src, end - 10, 10))[:3] == b"3DI" and len(footer) == 10:
            end -= _syncsafe(footer[6:10]) + 20
            found.add("id3v2")
        if end <= start:
            raise RefusedFile("damaged")
        if end == previous:
            return end


# --- MP4 / M4A ------------------------------------------------------------------


class Box(NamedTuple):
    offset: int
    header: int
    size: int
    kind: bytes


def _boxes(read: BinaryIO | bytes, start: int, end: int) -> list[Box]:
    """The boxes laid end to end between ``start`` and ``end``; refuses any that overflow."""
    boxes, position = [], start
    while position + 8 <= end:
        head = read[position : position + 16] if isinstance(read, bytes) else _read_at(read, position, 16)
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1 and len(head) == 16:
            size, header = struct.unpack(">Q", head[8:16])[0], 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise RefusedFile("damaged")
        boxes.append(Box(position, header, size, kind))
        position += size
    return boxes


def _scrub_mp4(src: BinaryIO, dst: BinaryIO, size: int, limits: Limits) -> list[str]:
    if _read_at(src, 4, 4) != b"ftyp":
        raise RefusedFile("type_mismatch")
    boxes = _boxes(src, 0, size)
    movies = [box for box in boxes if box.kind == b"moov"]
    if len(movies) != 1:
        raise RefusedFile("damaged")
    patches: list[Patch] = []
    found: set[str] = set()
    for box in boxes:
        if box.kind in STRIPPED_BOXES:
            patches.append(_free_patch(src, box, found))
    movie = movies[0]
    if movie.size > limits.max_part_bytes:
        raise RefusedFile("too_large")
    data = _read_at(src, movie.offset, movie.size)
    _patch_container(data, movie, patches, found)
    _copy_with_patches(src, dst, patches, 0, size)
    return sorted(label for label in found if label)


def _free_patch(src: BinaryIO | bytes, box: Box, found: set[str], base: int = 0) -> Patch:
    start = box.offset - base
    head = src[start : start + box.header] if isinstance(src, bytes) else _read_at(src, start, box.header)
    found.add(STRIPPED_BOXES.get(box.kind, ""))
    return Patch(box.offset, head[:4] + b"free" + head[8:], box.size - box.header)


def _patch_container(data: bytes, container: Box, patches: list[Patch], found: set[str]) -> None:
    """Walk a movie or track held in ``data`` (which starts at ``container.offset``)."""
    base = container.offset
    for box in _boxes(data, container.header, container.size):
        absolute = Box(base + box.offset, box.header, box.size, box.kind)
        if box.kind in STRIPPED_BOXES:
            patches.append(_free_patch(data, absolute, found, base=base))
        elif box.kind in TIMESTAMPED_BOXES:
            patches.append(_timestamp_patch(data, absolute, base, found))
        elif box.kind in CONTAINER_BOXES:
            _patch_container(data[box.offset : box.offset + box.size], absolute, patches, found)


def _timestamp_patch(data: bytes, box: Box, base: int, found: set[str]) -> Patch:
    payload = box.offset - base + box.header
    if payload + 4 > len(data):
        raise RefusedFile("damaged")
    width = 16 if data[payload] == 1 else 8  # version 1 has 64-bit times
    if box.size < box.header + 4 + width:
        raise RefusedFile("damaged")
    found.add("timestamps")
    return Patch(box.offset + box.header + 4, b"", width)


def _copy_with_patches(src: BinaryIO, dst: BinaryIO, patches: list[Patch], start: int, end: int) -> None:
    position = start
    for patch in sorted(patches):
        _copy_range(src, dst, position, patch.start)
        dst.write(patch.prefix)
        _write_zeros(dst, patch.zeros)
        position = patch.end
    _copy_range(src, dst, position, end)


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = src.read(min(COPY_CHUNK, remaining))
        if not chunk:
            raise RefusedFile("damaged")
        dst.write(chunk)
        remaining -= len(chunk)


def _write_zeros(dst: BinaryIO, count: int) -> None:
    while count > 0:
        step = min(COPY_CHUNK, count)
        dst.write(bytes(step))
        count -= step
