"""Real files through the real report form: the type is judged by content
against the allowlist, refusals are explained, and a refusal never leaves a
case, an evidence file or a stray staged file behind."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from pakar.cases import files as case_files
from pakar.cases.models import Case, Evidence
from pakar.vault import EncryptedReader
from tests.cases.support import storage_files
from tests.conftest import EVIDENCE_DIR
from tests.public.conftest import (
    SMALL_JPEG,
    assert_only_carried_files_staged,
    post_report,
    real_upload,
    staged_ids_on_disk,
    staged_tokens,
    upload,
)

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
EXPECTED_TYPE = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
}
REFUSED_TYPES = {".gif", ".tiff"}
REAL_FILES = sorted(p for p in EVIDENCE_DIR.glob("*/*") if p.suffix.lower() in EXPECTED_TYPE.keys() | REFUSED_TYPES)


def test_every_real_sample_file_is_covered_below():
    names = {p.name for p in EVIDENCE_DIR.glob("*/*") if p.name != "README.md"}
    assert names == {p.name for p in REAL_FILES}
    assert len(REAL_FILES) >= 30


def assert_nothing_saved() -> None:
    assert Case.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert storage_files("evidence") == []


def assert_receipt(response) -> Case:
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "public/receipt.html" in [t.name for t in response.templates]
    return Case.objects.get()


# Samples the metadata cleaner refuses (embedded objects, damaged package parts).
SCRUB_REFUSED = {
    "broken_xml_content_types.docx": "damaged",
    "embedded.docx": "embedded files or objects",
    "embedded.odt": "embedded files or objects",
    "embedded_corrupted.docx": "damaged",
    "malformed_content_types.docx": "damaged",
    "no_content_types.docx": "damaged",
}
CLEANED_TYPE = {".heic": "image/jpeg"}
CLEANED_NAME = {"heic_IMG_5195.HEIC": "heic_IMG_5195.jpg", "dirty.heic": "dirty.jpg"}
ACCEPTED = [p for p in REAL_FILES if p.suffix.lower() in EXPECTED_TYPE and p.name not in SCRUB_REFUSED]


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: p.name)
def test_an_allowed_real_file_is_stored_cleaned_with_its_original_sealed(client, report_data, path):
    response = post_report(client, report_data(), [real_upload(path)])
    case = assert_receipt(response)

    evidence = Evidence.objects.get(case=case)
    meta = evidence.read_meta()
    suffix = path.suffix.lower()
    assert meta["name"] == CLEANED_NAME.get(path.name, path.name)
    assert meta["mime"] == CLEANED_TYPE.get(suffix, EXPECTED_TYPE[suffix])
    assert meta["original_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    with EncryptedReader(case_files.evidence_path(evidence.storage_name), evidence.file_key()) as reader:
        cleaned = reader.read()
    assert len(cleaned) == meta["size"] and hashlib.sha256(cleaned).hexdigest() == meta["sha256"]
    # The original is kept, but not under any key handlers (or the server) hold.
    original = evidence.sealed_original
    assert case_files.evidence_path(original.storage_name).exists()
    assert path.read_bytes()[:64] not in bytes(original.sealed_key) + bytes(original.sealed_meta)
    assert storage_files("staging") == []


@pytest.mark.parametrize("name", sorted(SCRUB_REFUSED))
def test_a_file_the_cleaner_refuses_is_named_with_the_reason(client, report_data, small_jpeg, evidence_file, name):
    path = evidence_file(name)
    response = post_report(client, report_data(), [real_upload(small_jpeg), real_upload(path)], **EN)

    assert response.status_code == 400
    page = response.content.decode()
    assert f"“{name}”" in page
    assert SCRUB_REFUSED[name] in page
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


@pytest.mark.parametrize("path", [p for p in REAL_FILES if p.suffix.lower() in REFUSED_TYPES], ids=lambda p: p.name)
def test_a_real_file_of_a_type_not_on_the_allowlist_is_refused_by_name(client, report_data, small_jpeg, path):
    response = post_report(client, report_data(), [real_upload(small_jpeg), real_upload(path)], **EN)

    assert response.status_code == 400
    assert f"“{path.name}” is not an allowed file type." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


@pytest.mark.parametrize("name", ["jpg_corrupted.jpg", "jpg_invalid_image00971.jpg"])
def test_jpegs_with_damaged_metadata_but_whole_pixels_are_accepted_without_a_crash(
    client, report_data, evidence_file, name
):
    """These samples carry broken EXIF/XMP, but every pixel decodes: they are
    real evidence, so they are kept (metadata removal deals with the rest)."""
    response = post_report(client, report_data(), [real_upload(evidence_file(name))])
    case = assert_receipt(response)
    assert Evidence.objects.get(case=case).read_meta()["mime"] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "cut"),
    [("jpg_gps_DSCN0010.jpg", 0.6), ("jpg_mobile_HMD_Nokia_8.3_5G.jpg", 0.3), ("dirty.png", 0.5)],
)
def test_a_damaged_image_is_refused_with_a_clear_message(client, report_data, small_jpeg, evidence_file, name, cut):
    data = evidence_file(name).read_bytes()
    damaged = upload(f"rusak-{name}", data[: int(len(data) * cut)])
    response = post_report(client, report_data(), [real_upload(small_jpeg), damaged], **EN)

    assert response.status_code == 400
    assert f"“rusak-{name}” is damaged and cannot be opened. Please upload an intact copy." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_jpeg_with_garbled_image_data_is_refused(client, report_data, small_jpeg, evidence_file):
    data = bytearray(evidence_file("jpg_gps_DSCN0010.jpg").read_bytes())
    data[20000:70000] = random.Random(1).randbytes(50000)
    response = post_report(client, report_data(), [real_upload(small_jpeg), upload("foto.jpg", bytes(data))], **EN)
    assert response.status_code == 400
    assert "“foto.jpg” is damaged and cannot be opened." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_an_executable_renamed_to_pdf_is_refused(client, report_data, small_jpeg):
    program = Path("/bin/ls").read_bytes()
    response = post_report(client, report_data(), [real_upload(small_jpeg), upload("laporan.pdf", program)], **EN)
    assert response.status_code == 400
    assert "“laporan.pdf” is not an allowed file type." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_pdf_header_followed_by_garbage_is_refused_as_damaged(client, report_data, small_jpeg):
    fake = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + random.Random(3).randbytes(20000)
    response = post_report(client, report_data(), [real_upload(small_jpeg), upload("surat.pdf", fake)], **EN)
    assert response.status_code == 400
    assert "“surat.pdf” is damaged and cannot be opened." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_zip_archive_renamed_to_docx_is_refused(client, report_data, small_jpeg, tmp_path):
    import zipfile

    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("notes.txt", "bukan dokumen Word")
    response = post_report(
        client, report_data(), [real_upload(small_jpeg), upload("dokumen.docx", archive.read_bytes())], **EN
    )
    assert response.status_code == 400
    assert "“dokumen.docx” is not an allowed file type." in response.content.decode()
    assert_nothing_saved()


def test_an_empty_file_is_refused(client, report_data, small_jpeg):
    response = post_report(client, report_data(), [real_upload(small_jpeg), upload("kosong.pdf", b"")], **EN)
    assert response.status_code == 400
    assert "“kosong.pdf” is empty." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_file_over_the_size_limit_is_refused_and_not_kept(client, report_data, small_jpeg, evidence_file, settings):
    settings.PAKAR_MAX_FILE_BYTES = 1024 * 1024
    big = evidence_file("jpg_mobile_HMD_Nokia_8.3_5G.jpg")
    assert big.stat().st_size > settings.PAKAR_MAX_FILE_BYTES
    response = post_report(client, report_data(), [real_upload(small_jpeg), real_upload(big)], **EN)
    assert response.status_code == 400
    assert f"“{big.name}” is larger than 1 MB." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_file_exactly_at_the_size_limit_is_accepted(client, report_data, evidence_file, settings):
    path = evidence_file("dirty.pdf")
    settings.PAKAR_MAX_FILE_BYTES = path.stat().st_size
    assert_receipt(post_report(client, report_data(), [real_upload(path)]))


def test_a_file_one_byte_over_the_limit_is_refused(client, report_data, evidence_file, settings):
    path = evidence_file("dirty.pdf")
    settings.PAKAR_MAX_FILE_BYTES = path.stat().st_size - 1
    response = post_report(client, report_data(), [real_upload(path)], **EN)
    assert response.status_code == 400
    assert "“dirty.pdf” is larger than" in response.content.decode()
    assert_nothing_saved()
    assert staged_ids_on_disk() == set()


def test_too_many_files_are_refused_but_all_are_kept_for_the_next_attempt(client, report_data, evidence_file, settings):
    settings.PAKAR_MAX_FILES = 2
    names = ["jpg_Canon_40D.jpg", "dirty.pdf", "dirty.webp"]
    form = report_data()
    response = post_report(client, form, [real_upload(evidence_file(n)) for n in names], **EN)

    assert response.status_code == 400
    assert "At most 2 files can be attached." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, names)

    # The reporter ticks "remove" on one file and sends again, uploading nothing new.
    tokens = staged_tokens(response)
    dropped = next(t for t in tokens if case_files.load_staged(t).name == "dirty.webp")
    response = post_report(client, {**form, "staged": tokens, "remove_staged": [dropped]})
    case = assert_receipt(response)
    assert sorted(e.read_meta()["name"] for e in case.evidence.all()) == ["dirty.pdf", "jpg_Canon_40D.jpg"]


def test_several_refused_files_are_each_named(client, report_data, small_jpeg, evidence_file):
    files = [
        real_upload(small_jpeg),
        real_upload(evidence_file("dirty.gif")),
        upload("kosong.docx", b""),
        upload("program.pdf", Path("/bin/ls").read_bytes()),
    ]
    response = post_report(client, report_data(), files, **EN)
    html = response.content.decode()
    assert response.status_code == 400
    assert "“dirty.gif” is not an allowed file type." in html
    assert "“kosong.docx” is empty." in html
    assert "“program.pdf” is not an allowed file type." in html
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def test_a_category_that_needs_evidence_refuses_a_report_without_files(client, report_data):
    response = post_report(client, report_data(), **EN)
    assert response.status_code == 400
    assert "Attach at least one supporting document for this category." in response.content.decode()
    assert_nothing_saved()


def test_a_forged_or_foreign_staging_token_is_ignored(client, report_data, small_jpeg):
    response = post_report(client, report_data(where=""), [real_upload(small_jpeg)])
    token = staged_tokens(response)[0]
    upload_id, key = token.split(".")
    forged = [
        f"{upload_id}.{'A' * 43}",  # right file, wrong key
        f"{os.urandom(16).hex()}.{key}",  # unknown file
        "../../etc/passwd.AAAA",
        "x" * 5000,
    ]
    response = post_report(client, report_data(where="Kantor"), staged=forged)
    assert response.status_code == 400
    assert_nothing_saved()
    assert staged_tokens(response) == []


def test_more_files_than_django_parses_is_a_clean_400_not_a_500(client, report_data, small_jpeg):
    files = [real_upload(small_jpeg, f"foto-{n}.jpg") for n in range(101)]
    response = post_report(client, report_data(), files, **EN)
    assert response.status_code == 400
    assert "common/error.html" in [t.name for t in response.templates]
    assert_nothing_saved()


def test_too_many_fields_after_a_file_is_a_clean_400_not_a_500(client, report_data, small_jpeg):
    # The file comes first, so it is already staged when the parser gives up.
    payload = {"evidence": [real_upload(small_jpeg)], **report_data(), **{f"x{n}": "1" for n in range(300)}}
    response = client.post("/lapor/", payload, headers=EN)
    assert response.status_code == 400
    assert_nothing_saved()


def test_a_kept_file_that_left_staging_before_saving_is_asked_for_again(
    client, report_data, small_jpeg, evidence_file, monkeypatch
):
    """Staging expiry (or a double submission) takes a file between the checks
    and saving: a clear message, the other file kept, nothing half-saved."""
    from pakar.cases import services

    real_submit = services.submit_report

    def purged_meanwhile(data, **kwargs):
        next(f for f in data.files if f.name == "dirty.pdf").path.unlink()
        return real_submit(data, **kwargs)

    monkeypatch.setattr(services, "submit_report", purged_meanwhile)
    files = [real_upload(small_jpeg), real_upload(evidence_file("dirty.pdf"))]
    response = post_report(client, report_data(), files, **EN)

    assert response.status_code == 400
    assert "One of your files is no longer available. Please attach it again." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, valid PNG whose header claims a huge picture (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def test_a_tiny_picture_declaring_ten_billion_pixels_is_refused_without_decoding(client, report_data, small_jpeg):
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 200
    response = post_report(client, report_data(), [real_upload(small_jpeg), upload("bom.png", bomb)], **EN)
    assert response.status_code == 400
    assert "“bom.png” is damaged and cannot be opened." in response.content.decode()
    assert_nothing_saved()
    assert_only_carried_files_staged(response, [SMALL_JPEG])
