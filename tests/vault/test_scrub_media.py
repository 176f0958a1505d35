"""MP3, M4A and MP4 lose their tags and user data; the audio and video bytes stay identical."""

from __future__ import annotations

import io
import shutil
import struct
import tracemalloc
from pathlib import Path

import pytest
from mutagen.id3 import COMM, ID3, TIT2, TPE1
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from pakar.vault.scrub import Limits, RefusedFile, ScrubReport, scrub


def scrubbed(data: bytes, mime: str) -> tuple[ScrubReport, bytes]:
    out = io.BytesIO()
    report = scrub(mime, io.BytesIO(data), out, limits=Limits())
    return report, out.getvalue()


def mp3_frames(data: bytes) -> bytes:
    """The MPEG audio of an MP3: what lies between a leading ID3 tag and the end."""
    start = 0
    if data[:3] == b"ID3":
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        start = 10 + size
    return data[start:]


def top_boxes(data: bytes) -> dict[bytes, bytes]:
    boxes, position = {}, 0
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        boxes.setdefault(kind, data[position : position + size])
        position += size
    return boxes


def movie_times(data: bytes) -> tuple[int, int]:
    moov = top_boxes(data)[b"moov"]
    mvhd = moov.index(b"mvhd") + 4
    if moov[mvhd] == 1:
        return struct.unpack(">QQ", moov[mvhd + 4 : mvhd + 20])
    return struct.unpack(">II", moov[mvhd + 4 : mvhd + 12])


def test_it_removes_every_id3_frame_and_keeps_the_audio(evidence_file):
    path = evidence_file("dirty.mp3")
    original = path.read_bytes()
    tags = MP3(path).tags
    assert str(tags["TPE1"]) == "jvoisin" and any(key.startswith("COMM") for key in tags)

    report, data = scrubbed(original, "audio/mpeg")

    cleaned = MP3(io.BytesIO(data))
    assert cleaned.tags is None
    for leftover in (b"jvoisin", b"Thank you for using MAT", b"harmfull", b"ID3", b"TPE1"):
        assert leftover not in data
    assert cleaned.info.length == pytest.approx(MP3(path).info.length)
    assert data == mp3_frames(original)  # the frames, byte for byte
    assert report.removed == ("id3v2",)


def test_trailing_id3v1_and_ape_tags_are_cut_off_too(evidence_file, tmp_path):
    path = tmp_path / "tagged.mp3"
    shutil.copy(evidence_file("dirty.mp3"), path)
    frames = mp3_frames(path.read_bytes())
    id3 = ID3()
    id3.add(TPE1(encoding=3, text="Budi Santoso"))
    id3.add(TIT2(encoding=3, text="Rekaman rapat"))
    id3.add(COMM(encoding=3, lang="ind", desc="", text="direkam di kantor dinas"))
    id3.save(path, v1=2)  # ID3v2 at the start and ID3v1 at the end
    ape_item = struct.pack("<II", 4, 0) + b"Artist\0" + b"Budi"
    ape_footer = b"APETAGEX" + struct.pack("<IIII", 2000, 32 + len(ape_item), 1, 0) + bytes(8)
    with path.open("ab") as tail:
        tail.write(ape_item + ape_footer)
    tagged = path.read_bytes()
    assert tagged.count(b"Budi") >= 3

    report, data = scrubbed(tagged, "audio/mpeg")

    assert b"Budi" not in data and b"TAG" not in data[-128:] and b"APETAGEX" not in data
    assert data == frames
    assert set(report.removed) == {"id3v1", "id3v2", "ape"}


def test_it_frees_the_mp4_metadata_boxes_and_keeps_every_sample(evidence_file):
    path = evidence_file("dirty.mp4")
    original = path.read_bytes()
    assert MP4(path).tags["©too"] == ["HandBrake 0.9.4 2009112300"]
    assert movie_times(original) != (0, 0)

    report, data = scrubbed(original, "video/mp4")

    cleaned = MP4(io.BytesIO(data))
    assert not cleaned.tags
    assert b"HandBrake" not in data and b"udta" not in data and b"ilst" not in data
    assert len(data) == len(original)  # boxes overwritten in place: every sample offset still holds
    assert top_boxes(data)[b"mdat"] == top_boxes(original)[b"mdat"]
    assert cleaned.info.length == pytest.approx(MP4(path).info.length)
    assert movie_times(data) == (0, 0)
    assert {"user_data", "timestamps"} <= set(report.removed)


def test_tags_written_by_a_phone_app_into_an_m4a_are_removed(evidence_file, tmp_path):
    path = tmp_path / "recording.m4a"
    shutil.copy(evidence_file("dirty.mp4"), path)
    audio = MP4(path)
    audio["©ART"] = ["Budi Santoso"]
    audio["©nam"] = ["Rekaman rapat anggaran"]
    audio["----:com.apple.iTunes:location"] = [b"-6.9175+106.9269/"]
    audio.save()
    tagged = path.read_bytes()
    assert b"Budi Santoso" in tagged and b"106.9269" in tagged

    _, data = scrubbed(tagged, "audio/x-m4a")

    assert b"Budi" not in data and b"106.9269" not in data and b"Rekaman" not in data
    cleaned = MP4(io.BytesIO(data))
    assert not cleaned.tags
    assert cleaned.info.length == pytest.approx(MP4(path).info.length)
    assert top_boxes(data)[b"mdat"] == top_boxes(tagged)[b"mdat"]


def test_a_large_video_is_streamed_not_loaded(evidence_file, tmp_path):
    """20 MB of media data passes through with a small, constant amount of memory."""
    path = tmp_path / "long.mp4"
    original = evidence_file("dirty.mp4").read_bytes()
    filler = 20 * 1024 * 1024
    path.write_bytes(original + struct.pack(">I4s", filler + 8, b"junk") + bytes(filler))
    out = _CountingSink()

    tracemalloc.start()
    with path.open("rb") as src:
        scrub("video/mp4", src, out, limits=Limits())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert out.size == path.stat().st_size
    assert peak < 6 * 1024 * 1024


class _CountingSink(io.RawIOBase):
    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self.size += len(data)
        return len(data)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_video_is_refused_as_damaged(evidence_file, cut):
    data = evidence_file("dirty.mp4").read_bytes()

    with pytest.raises(RefusedFile) as refused:
        scrubbed(data[: int(len(data) * cut)], "video/mp4")

    assert refused.value.reason_code == "damaged"


def test_an_mp3_tag_with_no_audio_behind_it_is_refused_as_damaged(evidence_file):
    data = evidence_file("dirty.mp3").read_bytes()
    tag_only = data[: len(data) - len(mp3_frames(data))] + bytes(2000)

    with pytest.raises(RefusedFile) as refused:
        scrubbed(tag_only, "audio/mpeg")

    assert refused.value.reason_code == "damaged"


@pytest.mark.parametrize(
    ("name", "declared"),
    [("dirty.pdf", "audio/mpeg"), ("dirty.png", "video/mp4"), ("dirty.mp3", "video/mp4"), ("dirty.heic", "audio/mpeg")],
)
def test_content_that_is_not_the_declared_media_type_is_refused(evidence_file, name, declared):
    path: Path = evidence_file(name)

    with pytest.raises(RefusedFile) as refused:
        scrubbed(path.read_bytes(), declared)

    assert refused.value.reason_code == "type_mismatch"
