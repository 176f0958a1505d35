"""DOCX, XLSX and ODT lose properties, authors, session ids and dates; the text,
comments and tracked changes stay; bombs, macros and damaged packages are refused."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from pakar.cases import filetypes
from pakar.vault.scrub import Limits, RefusedFile, ScrubReport, scrub
from pakar.vault.scrub.office import DOCX, ODT, XLSX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MIMES = {".docx": DOCX, ".xlsx": XLSX, ".odt": ODT}


def scrubbed(data: bytes, mime: str, limits: Limits | None = None) -> tuple[ScrubReport, bytes]:
    out = io.BytesIO()
    report = scrub(mime, io.BytesIO(data), out, limits=limits or Limits())
    return report, out.getvalue()


def scrub_file(path: Path) -> tuple[ScrubReport, bytes]:
    return scrubbed(path.read_bytes(), MIMES[path.suffix])


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def xml_text(data: bytes) -> str:
    return "".join(etree.fromstring(data).itertext())


def word_text(data: bytes) -> list[str]:
    """The document's visible runs (w:t) and deleted runs (w:delText), in order."""
    root = etree.fromstring(parts(data)["word/document.xml"])
    return [node.text or "" for node in root.iter(f"{W}t", f"{W}delText")]


def xml_parts(data: bytes) -> dict[str, bytes]:
    return {name: body for name, body in parts(data).items() if re.search(r"\.(xml|rels|rdf)$", name)}


def everything(data: bytes) -> bytes:
    return b"\n".join(parts(data).values())


def detected(data: bytes) -> str | None:
    return filetypes.detect(data[: filetypes.HEAD_BYTES], data[-filetypes.TAIL_BYTES :], len(data))


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_it_removes_core_and_app_properties_and_cleans_the_embedded_picture(evidence_file):
    original = evidence_file("dirty.docx").read_bytes()
    assert b"julien voisin" in parts(original)["docProps/core.xml"]
    assert b"This is a comment, be careful!" in parts(original)["word/media/image1.png"]

    report, data = scrub_file(evidence_file("dirty.docx"))

    cleaned = parts(data)
    assert len(etree.fromstring(cleaned["docProps/core.xml"])) == 0
    assert len(etree.fromstring(cleaned["docProps/app.xml"])) == 0
    assert b"voisin" not in everything(data).lower()
    assert b"LibreOffice" not in everything(data)
    picture = Image.open(io.BytesIO(cleaned["word/media/image1.png"]))
    assert picture.info == {} and picture.size == (800, 600)
    assert b"be careful" not in cleaned["word/media/image1.png"] and b"tIME" not in cleaned["word/media/image1.png"]
    assert word_text(data) == word_text(original)
    assert "I'm a text document : please love me." in word_text(data)
    assert detected(data) == DOCX
    assert {"docprops", "image_metadata"} <= set(report.removed)


def test_comments_are_kept_without_their_author_date_or_account(evidence_file):
    original = evidence_file("comment.docx").read_bytes()
    assert b"Alex Marchant" in everything(original)

    report, data = scrub_file(evidence_file("comment.docx"))

    cleaned = parts(data)
    comment = etree.fromstring(cleaned["word/comments.xml"]).find(f"{W}comment")
    assert "This is a comment." in xml_text(cleaned["word/comments.xml"])
    assert comment.get(f"{W}author") == "" and comment.get(f"{W}date") is None
    assert comment.get(f"{W}initials") is None
    for leftover in (b"Alex", b"Marchant", b"d9fca8fb871470fd", b"Windows Live", b"dateUtc", b"2024-04-02"):
        assert leftover not in everything(data), leftover
    assert b"w15:person" not in cleaned["word/people.xml"]
    assert b"docId" not in cleaned["word/settings.xml"]
    assert word_text(data) == ["This is a document."]
    assert {"authors", "people", "revision_dates", "document_ids"} <= set(report.removed)


def test_tracked_changes_are_kept_without_their_authors_and_dates(evidence_file):
    original = evidence_file("revision.docx").read_bytes()
    original_root = etree.fromstring(parts(original)["word/document.xml"])
    changes = len(list(original_root.iter(f"{W}ins", f"{W}del")))
    assert changes > 0 and b"Unknown Author" in parts(original)["word/document.xml"]

    _, data = scrub_file(evidence_file("revision.docx"))

    root = etree.fromstring(parts(data)["word/document.xml"])
    cleaned_changes = list(root.iter(f"{W}ins", f"{W}del"))
    assert len(cleaned_changes) == changes
    assert all(c.get(f"{W}author") == "" and c.get(f"{W}date") is None for c in cleaned_changes)
    assert b"Unknown Author" not in everything(data) and b"2018-0" not in everything(data)
    assert word_text(data) == word_text(original)


def test_revision_session_ids_are_removed_everywhere(evidence_file):
    original = evidence_file("office_revision_session_ids.docx").read_bytes()
    assert b"w:rsidR=" in parts(original)["word/document.xml"]
    assert b"<w:rsids>" in parts(original)["word/settings.xml"]

    report, data = scrub_file(evidence_file("office_revision_session_ids.docx"))

    for name, body in xml_parts(data).items():
        assert b"rsid" not in body, name
    for session_id in (b"0065165B", b"002E3C8B", b"00E8050B"):
        assert session_id not in everything(data)
    assert word_text(data) == ["Monkey monkey", "bananas"]
    assert "rsid" in report.removed


@pytest.mark.parametrize("name", ["dangling_rels.docx", "dangling_rels.xlsx"])
def test_custom_properties_and_custom_xml_data_are_removed(evidence_file, name):
    original = evidence_file(name).read_bytes()
    assert b"OFFICIAL-SENSITIVE" in everything(original) and b"internal-id-42" in everything(original)

    report, data = scrub_file(evidence_file(name))

    cleaned = everything(data)
    for leftover in (b"OFFICIAL-SENSITIVE", b"internal-id-42", b"Jane Doe"):
        assert leftover not in cleaned
    assert len(etree.fromstring(parts(data)["docProps/custom.xml"])) == 0
    assert detected(data) == MIMES[Path(name).suffix]
    assert {"docprops", "custom_xml"} <= set(report.removed)


def test_a_spreadsheet_keeps_its_sheets_and_loses_the_printer_name(evidence_file):
    original = parts(evidence_file("dangling_rels.xlsx").read_bytes())
    printer = bytearray(original["xl/printerSettings/printerSettings1.bin"])
    printer[:16] = "HP Lantai 4".encode("utf-16-le").ljust(16, b"\0")
    tampered = zip_of({**original, "xl/printerSettings/printerSettings1.bin": bytes(printer)})

    _, data = scrubbed(tampered, XLSX)

    cleaned = parts(data)
    assert "HP Lantai".encode("utf-16-le") not in cleaned["xl/printerSettings/printerSettings1.bin"]
    assert cleaned["xl/worksheets/sheet1.xml"] == etree_round_trip(original["xl/worksheets/sheet1.xml"])
    assert cleaned["xl/workbook.xml"] == etree_round_trip(original["xl/workbook.xml"])


def etree_round_trip(data: bytes) -> bytes:
    root = etree.fromstring(data)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=root.getroottree().docinfo.standalone
    )


def test_spreadsheet_comment_authors_people_and_local_paths_are_removed(evidence_file):
    base = parts(evidence_file("dangling_rels.xlsx").read_bytes())
    sml = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = (
        f'<workbook xmlns="{sml}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<fileSharing userName="Siti Rahma"/>'
        '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\siti.rahma\\Documents\\"/>'
        '</mc:Choice></mc:AlternateContent><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        "<tableParts/></workbook>"
    ).encode()
    comments = f'<comments xmlns="{sml}"><authors><author>Siti Rahma</author></authors><commentList/></comments>'
    persons = (
        '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        '<person displayName="Siti Rahma" id="{A1}" userId="siti@example.go.id" providerId="AD"/></personList>'
    )
    tampered = zip_of(
        {
            **base,
            "xl/workbook.xml": workbook,
            "xl/comments1.xml": comments.encode(),
            "xl/persons/person.xml": persons.encode(),
        }
    )

    report, data = scrubbed(tampered, XLSX)

    cleaned = everything(data)
    assert b"Siti" not in cleaned and b"siti" not in cleaned and b"absPath" not in cleaned
    workbook_out = etree.fromstring(parts(data)["xl/workbook.xml"])
    assert workbook_out.find(f"{{{sml}}}sheets") is not None  # the workbook itself is intact
    assert etree.fromstring(parts(data)["xl/persons/person.xml"])[0].get("id") == "{A1}"
    assert {"authors", "local_paths"} <= set(report.removed)


def test_odt_meta_and_private_settings_are_removed(evidence_file):
    original = evidence_file("dirty.odt").read_bytes()
    assert b"jvoisin" in parts(original)["meta.xml"]

    report, data = scrub_file(evidence_file("dirty.odt"))

    cleaned = parts(data)
    meta = etree.fromstring(cleaned["meta.xml"])
    assert len(meta[0]) == 0  # office:meta is empty
    assert b"jvoisin" not in everything(data) and b"LibreOffice/3.3" not in everything(data)
    assert b"PrinterName" not in cleaned["settings.xml"] and b"PrinterSetup" not in cleaned["settings.xml"]
    assert "Hello World" in xml_text(cleaned["content.xml"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert first.flag_bits & 0x08 == 0 and first.extra == b""  # ODF: no data descriptor, no extra field
    assert data[30:38] == b"mimetype" and data[38:77] == ODT.encode()  # what type sniffers read
    assert detected(data) == ODT
    assert {"odf_meta", "odf_settings"} <= set(report.removed)


def test_odt_tracked_changes_keep_their_text_but_lose_author_date_and_rsid(evidence_file):
    original = evidence_file("revision.odt").read_bytes()
    assert b"officeooo:rsid" in parts(original)["content.xml"] and b"2018-06-22" in parts(original)["content.xml"]

    _, data = scrub_file(evidence_file("revision.odt"))

    content = parts(data)["content.xml"]
    assert b"Unknown Author" not in content and b"2018-06-22" not in content
    assert b"rsid" not in content and b"RsidRoot" not in parts(data)["settings.xml"]
    assert b"<text:deletion>" in content and "Hello World" in xml_text(content)
    assert xml_text(content).count("This is an edited document") == 1


@pytest.mark.parametrize("name", ["comment.docx", "dirty.odt", "dangling_rels.xlsx", "dirty.docx"])
def test_a_cleaned_document_cleans_again_to_the_same_bytes(evidence_file, name):
    """The output is a package our own strict reader accepts, and cleaning is stable."""
    mime = MIMES[Path(name).suffix]
    _, once = scrub_file(evidence_file(name))

    _, twice = scrubbed(once, mime)

    assert parts(twice) == parts(once)


@pytest.mark.parametrize("name", ["embedded.docx", "embedded.odt"])
def test_a_document_carrying_an_unknown_embedded_file_is_refused(evidence_file, name):
    assert any(n.endswith("setup.py") for n in parts(evidence_file(name).read_bytes()))

    with pytest.raises(RefusedFile) as refused:
        scrub_file(evidence_file(name))

    assert refused.value.reason_code == "embedded_content"
    assert "export the document to PDF" in refused.value.message


@pytest.mark.parametrize(
    "name",
    [
        "broken_xml_content_types.docx",
        "malformed_content_types.docx",
        "no_content_types.docx",
        "embedded_corrupted.docx",
    ],
)
def test_damaged_documents_get_a_clear_refusal(evidence_file, name):
    with pytest.raises(RefusedFile) as refused:
        scrub_file(evidence_file(name))

    assert refused.value.reason_code == "damaged"
    assert refused.value.message.startswith("The file is damaged")


def test_a_docx_with_macros_is_refused(evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())

    with pytest.raises(RefusedFile) as refused:
        scrubbed(zip_of({**members, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), DOCX)

    assert refused.value.reason_code == "macros"


def test_a_chart_workbook_embedded_in_a_docx_is_cleaned_too(evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())
    workbook = evidence_file("dangling_rels.xlsx").read_bytes()
    assert b"Jane Doe" in everything(workbook)

    _, data = scrubbed(zip_of({**members, "word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook}), DOCX)

    nested = parts(data)["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert b"Jane Doe" not in everything(nested) and b"OFFICIAL-SENSITIVE" not in everything(nested)
    assert "xl/worksheets/sheet1.xml" in parts(nested)


def test_a_document_expanding_to_300_mb_is_refused_as_a_bomb(tmp_path, evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
        with archive.open("word/media/filler.xml", "w", force_zip64=True) as filler:
            zeros = bytes(1024 * 1024)
            for _ in range(300):
                filler.write(zeros)
    assert bomb.stat().st_size < 2 * 1024 * 1024

    with bomb.open("rb") as src, pytest.raises(RefusedFile) as refused:
        scrub(DOCX, src, io.BytesIO(), limits=Limits())

    assert refused.value.reason_code == "archive_too_large"


def test_the_expanded_size_limit_holds_for_content_that_does_not_compress(evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())
    font = random.Random(3).randbytes(3 * 1024 * 1024)  # a font: kept as it is, and incompressible

    with pytest.raises(RefusedFile) as refused:
        scrubbed(zip_of({**members, "word/fonts/font1.odttf": font}), DOCX, Limits(max_expanded_bytes=2 * 1024 * 1024))

    assert refused.value.reason_code == "archive_too_large"
    _, data = scrubbed(zip_of({**members, "word/fonts/font1.odttf": font}), DOCX)  # within the default limit
    assert parts(data)["word/fonts/font1.odttf"] == font


def test_a_small_document_with_an_absurd_compression_ratio_is_refused(evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())
    bomb = zip_of({**members, "word/filler.xml": b"<a>" + b" " * 20 * 1024 * 1024 + b"</a>"})
    assert len(bomb) < 100 * 1024  # 20 MB of XML in well under 100 kB: ratio far above 100

    with pytest.raises(RefusedFile) as refused:
        scrubbed(bomb, DOCX)

    assert refused.value.reason_code == "archive_too_large"
    assert "too large when unpacked" in refused.value.message


@pytest.mark.parametrize(
    ("name", "declared"),
    [("dirty.odt", DOCX), ("dirty.docx", XLSX), ("revision.docx", ODT), ("dirty.pdf", DOCX), ("dirty.png", ODT)],
)
def test_content_that_is_not_the_declared_office_type_is_refused(evidence_file, name, declared):
    with pytest.raises(RefusedFile) as refused:
        scrubbed(evidence_file(name).read_bytes(), declared)

    assert refused.value.reason_code == "type_mismatch"


def test_an_xml_part_declaring_entities_is_refused_without_expanding_them(evidence_file):
    members = parts(evidence_file("revision.docx").read_bytes())
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<lolz>&lol2;</lolz>"
    )

    with pytest.raises(RefusedFile) as refused:
        scrubbed(zip_of({**members, "word/footer1.xml": laughs}), DOCX)

    assert refused.value.reason_code == "damaged"
