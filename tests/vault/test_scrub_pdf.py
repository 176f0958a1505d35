"""PDFs lose their document information, XMP and hidden authors; pages stay identical;
scripts and attachments are refused."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from pakar.vault.scrub import Limits, RefusedFile, ScrubReport, scrub


def scrubbed(data: bytes) -> tuple[ScrubReport, bytes]:
    out = io.BytesIO()
    report = scrub("application/pdf", io.BytesIO(data), out, limits=Limits())
    return report, out.getvalue()


def page_contents(pdf: pikepdf.Pdf) -> list[bytes]:
    """Each page's drawing instructions (text included), decoded."""
    pages = []
    for page in pdf.pages:
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, Array) else [contents]
        pages.append(b"".join(stream.read_bytes() for stream in streams))
    return pages


def all_decoded_bytes(pdf: pikepdf.Pdf) -> bytes:
    """Every string and decoded stream in the file, to search for leftovers."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            try:
                found.append(obj.read_bytes())
            except pikepdf.PdfError:
                found.append(obj.read_raw_bytes())
        found.append(repr(obj).encode())
    return b"\n".join(found)


def one_page_pdf(**root: object) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    for key, value in root.items():
        pdf.Root[Name(f"/{key}")] = value
    return pdf


def saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_it_removes_document_information_and_xmp_from_a_real_pdf(evidence_file):
    original_bytes = evidence_file("dirty.pdf").read_bytes()
    original = pikepdf.open(io.BytesIO(original_bytes))
    assert original.docinfo["/Producer"] == "pdfTeX-1.40.14"
    assert "/Metadata" in original.Root

    report, data = scrubbed(original_bytes)

    cleaned = pikepdf.open(io.BytesIO(data))
    assert "/Info" not in cleaned.trailer
    assert not any(isinstance(o, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in o for o in cleaned.objects)
    everything = data + all_decoded_bytes(cleaned)
    for leftover in (b"pdfTeX", b"PDFeXpress", b"xmpmeta", b"4a1a79c8-404e-4d38-9580-5bc081036e61"):
        assert leftover not in everything
    assert cleaned.trailer.ID[0] != original.trailer.ID[0]  # the ID no longer links to the source file
    assert {"document_info", "xmp"} <= set(report.removed)


def test_every_page_and_its_text_stay_identical(evidence_file):
    original_bytes = evidence_file("dirty.pdf").read_bytes()
    original = pikepdf.open(io.BytesIO(original_bytes))

    _, data = scrubbed(original_bytes)

    cleaned = pikepdf.open(io.BytesIO(data))
    assert len(cleaned.pages) == len(original.pages) == 20
    assert page_contents(cleaned) == page_contents(original)
    assert b"(Mitigating)" in page_contents(cleaned)[0]
    assert [p.mediabox for p in cleaned.pages] == [p.mediabox for p in original.pages]


@pytest.mark.parametrize(
    "where",
    ["open_action", "names_tree", "annotation_action", "launch"],
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(where):
    script = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))
    pdf = one_page_pdf()
    if where == "open_action":
        pdf.Root.OpenAction = script
    elif where == "names_tree":
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), pdf.make_indirect(script)])))
    elif where == "annotation_action":
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 50, 50]), AA=Dictionary(E=script))
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    else:
        pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("cmd.exe"))

    with pytest.raises(RefusedFile) as refused:
        scrubbed(saved(pdf))

    assert refused.value.reason_code == "pdf_javascript"
    assert "scripts" in refused.value.message


def test_a_pdf_with_an_attached_file_is_refused():
    pdf = one_page_pdf()
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"the real evidence", mime_type="text/plain")

    with pytest.raises(RefusedFile) as refused:
        scrubbed(saved(pdf))

    assert refused.value.reason_code == "pdf_embedded_files"
    assert "separately" in refused.value.message


def test_a_pdf_with_a_file_attachment_annotation_is_refused():
    pdf = one_page_pdf()
    spec = pikepdf.AttachedFileSpec(pdf, b"hidden", mime_type="text/plain")
    annotation = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec.obj)
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))

    with pytest.raises(RefusedFile) as refused:
        scrubbed(saved(pdf))

    assert refused.value.reason_code == "pdf_embedded_files"


def test_harmless_automatic_actions_are_removed_and_the_pdf_kept():
    pdf = one_page_pdf()
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
    pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://tracker.example/open")))

    report, data = scrubbed(saved(pdf))

    cleaned = pikepdf.open(io.BytesIO(data))
    assert "/OpenAction" not in cleaned.Root
    assert "/AA" not in cleaned.pages[0].obj
    assert b"tracker.example" not in data
    assert {"open_action", "actions"} <= set(report.removed)


def test_annotation_authors_and_dates_are_removed_but_the_note_is_kept():
    pdf = one_page_pdf()
    note = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Text,
        Rect=Array([0, 0, 20, 20]),
        Contents=String("Angka ini diubah setelah rapat"),
        T=String("Budi Santoso"),
        M=String("D:20240402125700+07'00'"),
        CreationDate=String("D:20240402125700+07'00'"),
    )
    field = Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("nomor_surat"), Rect=Array([0, 0, 5, 5])
    )
    field = pdf.make_indirect(field)
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(note), field]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))

    _, data = scrubbed(saved(pdf))

    cleaned = pikepdf.open(io.BytesIO(data))
    note_out, field_out = cleaned.pages[0].Annots
    assert "/T" not in note_out and "/M" not in note_out and "/CreationDate" not in note_out
    assert str(note_out.Contents) == "Angka ini diubah setelah rapat"
    assert str(field_out.T) == "nomor_surat"  # a form field's name is not a person
    assert b"Budi" not in data + all_decoded_bytes(cleaned)


def test_exif_with_gps_is_removed_from_jpeg_pictures_inside_a_pdf(evidence_file):
    photo = evidence_file("jpg_gps_DSCN0010.jpg").read_bytes()
    assert b"Exif\x00\x00" in photo
    pdf = one_page_pdf()
    image = pikepdf.Stream(pdf, photo)
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
    image.Width, image.Height, image.ColorSpace, image.BitsPerComponent = 640, 480, Name.DeviceRGB, 8
    pdf.pages[0].Resources = Dictionary(XObject=Dictionary(Im0=image))
    pdf.pages[0].Contents = pdf.make_stream(b"q 200 0 0 150 0 0 cm /Im0 Do Q")

    report, data = scrubbed(saved(pdf))

    cleaned = pikepdf.open(io.BytesIO(data))
    cleaned_image = cleaned.pages[0].Resources.XObject.Im0
    raw = cleaned_image.read_raw_bytes()
    assert b"Exif" not in raw and b"NIKON" not in raw and b"http://ns.adobe.com/xap/" not in raw
    decoded = Image.open(io.BytesIO(raw))
    assert decoded.tobytes() == Image.open(io.BytesIO(photo)).tobytes()  # lossless: same pixels
    assert "image_metadata" in report.removed


def test_a_password_protected_pdf_is_refused_with_a_clear_reason():
    out = io.BytesIO()
    one_page_pdf().save(out, encryption=pikepdf.Encryption(user="rahasia", owner="pemilik"))

    with pytest.raises(RefusedFile) as refused:
        scrubbed(out.getvalue())

    assert refused.value.reason_code == "encrypted"


@pytest.mark.parametrize("cut", [0.5, 0.01])
def test_a_truncated_pdf_is_refused_as_damaged(evidence_file, cut):
    data = evidence_file("dirty.pdf").read_bytes()

    with pytest.raises(RefusedFile) as refused:
        scrubbed(data[: int(len(data) * cut)])

    assert refused.value.reason_code == "damaged"


@pytest.mark.parametrize("name", ["dirty.png", "dirty.docx"])
def test_content_that_is_not_a_pdf_is_refused(evidence_file, name):
    with pytest.raises(RefusedFile) as refused:
        scrubbed(evidence_file(name).read_bytes())

    assert refused.value.reason_code == "type_mismatch"
