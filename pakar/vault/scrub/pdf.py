"""PDF: drop the document information and XMP, keep every page as it is.

Removed (the file is *cleaned*): the document information dictionary
(Author, Creator, Producer, dates, custom keys), every XMP metadata stream
(document, page and image level), application private data (``PieceInfo``,
``LastModified``),
annotation authors and dates, automatic actions (``OpenAction``, ``AA``) that
are not scripts, XFA form packets, the document ID (recomputed from the
content), earlier incremental revisions (the file is rewritten from its
current objects only) and APPn/COM segments, EXIF with GPS included, from
JPEG pictures inside the PDF (losslessly: the picture data is untouched).

Refused: JavaScript anywhere, Launch actions, attached or embedded files,
portfolios and rich media. Scripts and launch actions are how PDFs attack a
reader, and removing them can change what a form shows, so the handler would
not see what the reporter saw; attached files may be the very evidence the
reporter meant to send, and they carry their own metadata, so the reporter is
asked to upload them separately. A digitally signed PDF is cleaned, but its
signature no longer verifies on the cleaned copy; the sealed original keeps it.
Page content streams are not touched, so text and drawings stay identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Name

from pakar.vault.scrub.base import Limits, RefusedFile
from pakar.vault.scrub.images import strip_jpeg_metadata

_CONTAINERS = (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)
_PARMS = (pikepdf.Dictionary, pikepdf.Array)
SCRIPT_ACTIONS = {"/JavaScript", "/Launch"}
EMBEDDING_ACTIONS = {"/GoToE"}
EMBEDDING_SUBTYPES = {"/FileAttachment", "/RichMedia"}
EMBEDDING_TYPES = {"/EmbeddedFile"}
PRIVATE_KEYS = {"/Metadata": "xmp", "/PieceInfo": "piece_info", "/LastModified": "timestamps", "/AA": "actions"}
ANNOTATION_PERSONAL_KEYS = ("/T", "/M", "/CreationDate")
ANNOTATIONS_WITHOUT_AUTHOR = {"/Link", "/Widget"}  # their /T is a field name, not a person


def scrub_pdf(mime: str, src: BinaryIO, dst: BinaryIO, limits: Limits) -> list[str]:
    if b"%PDF-" not in src.read(1024):
        raise RefusedFile("type_mismatch")
    src.seek(0)
    pdf = _open(src)
    with pdf:
        if len(pdf.pages) == 0:
            raise RefusedFile("damaged")
        _refuse_active_content(pdf)
        removed = _strip_document_metadata(pdf)
        removed |= _strip_objects(pdf)
        removed |= _strip_annotation_authors(pdf)
        # A fresh ID from the content: the original ID links a copy to its source file.
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        pdf.save(dst, deterministic_id=True, encryption=False, preserve_pdfa=False, fix_metadata_version=False)
    return sorted(removed)


def _open(src: BinaryIO) -> pikepdf.Pdf:
    try:
        return pikepdf.open(src)
    except pikepdf.PasswordError as exc:
        raise RefusedFile("encrypted") from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise RefusedFile("damaged") from exc


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Every dictionary and stream in the file, reachable or not, direct ones included
    (an action written inline in the catalogue is not an object of its own)."""
    for top in [pdf.trailer, *pdf.objects]:
        pending = [top]
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                yield obj
                children = [obj.get(key) for key in list(obj.keys())]
            elif isinstance(obj, pikepdf.Array):
                children = list(obj)
            else:
                continue
            # Indirect children are visited from pdf.objects, once.
            pending += [c for c in children if isinstance(c, _CONTAINERS) and not c.is_indirect]


def _name(obj: Any, key: str) -> str:
    value = obj.get(key)
    return str(value) if isinstance(value, Name) else ""


def _refuse_active_content(pdf: pikepdf.Pdf) -> None:
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        raise RefusedFile("pdf_javascript")
    if (isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names) or "/Collection" in pdf.Root:
        raise RefusedFile("pdf_embedded_files")
    for obj in _dictionaries(pdf):
        if "/JS" in obj or _name(obj, "/S") in SCRIPT_ACTIONS:
            raise RefusedFile("pdf_javascript")
        if (
            _name(obj, "/S") in EMBEDDING_ACTIONS
            or _name(obj, "/Subtype") in EMBEDDING_SUBTYPES
            or _name(obj, "/Type") in EMBEDDING_TYPES
            or (_name(obj, "/Type") == "/Filespec" and "/EF" in obj)
        ):
            raise RefusedFile("pdf_embedded_files")


def _strip_document_metadata(pdf: pikepdf.Pdf) -> set[str]:
    removed = set()
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
        removed.add("document_info")
    for key, label in (("/OpenAction", "open_action"), ("/SpiderInfo", "web_capture_info")):
        if key in pdf.Root:
            del pdf.Root[key]
            removed.add(label)
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]
        removed.add("xfa")
    return removed


def _strip_objects(pdf: pikepdf.Pdf) -> set[str]:
    removed = set()
    for obj in _dictionaries(pdf):
        for key, label in PRIVATE_KEYS.items():
            if key in obj:
                del obj[key]
                removed.add(label)
        if isinstance(obj, pikepdf.Stream) and _is_jpeg_image(obj):
            raw = obj.read_raw_bytes()
            cleaned = strip_jpeg_metadata(raw)
            if cleaned != raw:
                parms = obj.get("/DecodeParms")
                obj.write(cleaned, filter=Name.DCTDecode, decode_parms=parms if isinstance(parms, _PARMS) else None)
                removed.add("image_metadata")
    return removed


def _is_jpeg_image(stream: Any) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        filters = filters[0] if len(filters) == 1 else None
    return _name(stream, "/Subtype") == "/Image" and isinstance(filters, Name) and str(filters) == "/DCTDecode"


def _strip_annotation_authors(pdf: pikepdf.Pdf) -> set[str]:
    removed = set()
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            keys: tuple[str, ...] = ANNOTATION_PERSONAL_KEYS
            if _name(annotation, "/Subtype") in ANNOTATIONS_WITHOUT_AUTHOR:
                keys = keys[1:]
            for key in keys:
                if key in annotation:
                    del annotation[key]
                    removed.add("annotation_authors")
    return removed
