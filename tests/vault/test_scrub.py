"""The scrub API: chain-of-custody digests, encrypted streams in and out, and a
translated refusal (never a crash) for anything it cannot clean."""

from __future__ import annotations

import hashlib
import io
import random
from typing import BinaryIO, cast

import pytest
from django.utils import translation
from PIL import Image

from pakar import vault
from pakar.cases import filetypes
from pakar.vault.scrub import MESSAGES, Limits, RefusedFile, scrub, supported_types

PREFIXES = {
    "image/jpeg": b"\xff\xd8\xff\xe0",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/gif": b"GIF89a",
    "image/webp": b"RIFF\x00\x10\x00\x00WEBPVP8 ",
    "image/tiff": b"II*\x00",
    "image/heic": b"\x00\x00\x00\x18ftypheic",
    "application/pdf": b"%PDF-1.7\n",
    filetypes.DOCX: b"PK\x03\x04",
    filetypes.XLSX: b"PK\x03\x04",
    filetypes.ODT: b"PK\x03\x04",
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x10",
    "audio/x-m4a": b"\x00\x00\x00\x18ftypM4A ",
    "video/mp4": b"\x00\x00\x00\x18ftypisom",
}


def test_every_type_a_reporter_may_upload_has_a_cleaner():
    assert set(filetypes.ALLOWED) <= supported_types()


def test_the_report_records_both_digests_for_the_chain_of_custody(evidence_file):
    original = evidence_file("jpg_gps_DSCN0010.jpg").read_bytes()
    out = io.BytesIO()

    report = scrub("image/jpeg", io.BytesIO(original), out, limits=Limits())

    cleaned = out.getvalue()
    assert report.original_sha256 == hashlib.sha256(original).hexdigest()
    assert report.cleaned_sha256 == hashlib.sha256(cleaned).hexdigest()
    assert (report.original_size, report.cleaned_size) == (len(original), len(cleaned))
    assert report.original_sha256 != report.cleaned_sha256
    assert report.mime == "image/jpeg"


def test_it_reads_an_encrypted_upload_and_writes_an_encrypted_clean_copy(evidence_file, tmp_path):
    """The way uploads will flow: no plaintext file on disk at any step."""
    key_in, key_out = vault.new_key(), vault.new_key()
    staged, cleaned_path = tmp_path / "staged", tmp_path / "cleaned"
    writer = vault.EncryptedWriter(staged, key_in)
    writer.write(evidence_file("dirty.pdf").read_bytes())
    writer.close()

    out = vault.EncryptedWriter(cleaned_path, key_out)
    with vault.EncryptedReader(staged, key_in) as reader:
        report = scrub("application/pdf", cast(BinaryIO, reader), cast(BinaryIO, out), limits=Limits())
    out.close()

    with vault.EncryptedReader(cleaned_path, key_out) as reader:
        cleaned = reader.read()
    assert hashlib.sha256(cleaned).hexdigest() == report.cleaned_sha256
    assert cleaned.startswith(b"%PDF-") and b"pdfTeX" not in cleaned
    assert b"%PDF" not in cleaned_path.read_bytes()


@pytest.mark.parametrize("mime", ["text/plain", "image/svg+xml", "application/zip", "application/x-msdownload"])
def test_a_type_without_a_cleaner_is_refused(mime):
    with pytest.raises(RefusedFile) as refused:
        scrub(mime, io.BytesIO(b"anything"), io.BytesIO(), limits=Limits())

    assert refused.value.reason_code == "unsupported_type"


@pytest.mark.parametrize("mime", sorted(PREFIXES))
def test_an_empty_file_is_refused_as_damaged(mime):
    with pytest.raises(RefusedFile) as refused:
        scrub(mime, io.BytesIO(b""), io.BytesIO(), limits=Limits())

    assert refused.value.reason_code == "damaged"


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow's note on garbage TIFF tags
@pytest.mark.parametrize("mime", sorted(PREFIXES))
def test_random_bytes_behind_a_valid_signature_get_a_refusal_never_a_crash(mime):
    rng = random.Random(mime)
    for _ in range(25):
        blob = PREFIXES[mime] + rng.randbytes(rng.randint(0, 4000))
        with pytest.raises(RefusedFile) as refused:
            scrub(mime, io.BytesIO(blob), io.BytesIO(), limits=Limits())
        assert refused.value.reason_code in {"damaged", "type_mismatch", "image_too_large", "archive_too_large"}


@pytest.mark.parametrize("name", ["jpg_Canon_40D.jpg", "dirty.pdf", "comment.docx", "dirty.mp4", "dirty.mp3"])
def test_flipped_bytes_in_a_real_file_get_a_clean_copy_or_a_refusal(evidence_file, name):
    mime = {".jpg": "image/jpeg", ".pdf": "application/pdf", ".docx": filetypes.DOCX}
    mime |= {".mp4": "video/mp4", ".mp3": "audio/mpeg"}
    path = evidence_file(name)
    original = path.read_bytes()
    rng = random.Random(name)
    for _ in range(30):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 12)):
            damaged[rng.randrange(len(damaged))] = rng.getrandbits(8)
        try:
            scrub(mime[path.suffix], io.BytesIO(bytes(damaged)), io.BytesIO(), limits=Limits())
        except RefusedFile as refused:
            assert refused.message


def test_every_refusal_has_a_message_in_the_active_language():
    with translation.override("en"):
        for code in MESSAGES:
            message = RefusedFile(code, limit=60).message
            assert message.endswith(".") and "%(" not in message


def test_an_unknown_refusal_reason_is_a_programming_error():
    with pytest.raises(ValueError):
        RefusedFile("because")


def test_a_picture_over_the_limit_is_refused_before_anything_is_written(evidence_file):
    """scrub() writes as it goes (a refusal means: discard dst), but limits are checked first."""
    data = evidence_file("jpg_gps_DSCN0010.jpg").read_bytes()
    out = io.BytesIO()

    with pytest.raises(RefusedFile):
        scrub("image/jpeg", io.BytesIO(data), out, limits=Limits(max_pixels=1000))

    assert out.getvalue() == b""  # the pixel check happens before anything is written
    assert Image.open(io.BytesIO(data)).size == (640, 480)
