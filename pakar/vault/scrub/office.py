"""Office documents (DOCX, XLSX, ODT): rewrite the archive part by part.

Removed: document properties (``docProps/core.xml``, ``app.xml``,
``custom.xml`` are replaced by empty ones; ODF ``meta.xml`` likewise), custom
XML data stores (SharePoint and tracking data in ``customXml/item*.xml``),
revision session identifiers (``w:rsid*`` attributes, the ``w:rsids`` list,
ODF ``officeooo:rsid`` and the ``Rsid``/``RsidRoot`` settings), document IDs
(``w14:docId``, ``w15:docId``, ``xr:revisionPtr``), the author's local paths
(attached template, ``x15ac:absPath``, ``file:`` links), the people list with
account IDs (``word/people.xml``, ``xl/persons``), printer names, and
timestamps inside the archive. Embedded pictures are cleaned like uploaded
pictures; embedded Office packages (a chart's workbook) are cleaned the same
way, recursively.

Comments and tracked changes are *kept*: their text can be the evidence (an
instruction written in a margin, a figure that was changed). Their authors
become empty and their dates are removed (ODF requires a date on a tracked
change, so it becomes 1970-01-01T00:00:00). Note that deleted text in a tracked
change stays readable to the handler, as it would in the reporter's word
processor.

Refused: archives that expand beyond the limits (decompression bombs),
encrypted or duplicate members, macros, and any member that is not XML, a
picture, a font or another known harmless part (OLE objects, scripts,
executables), since those cannot be cleaned and may carry their own authors.
Damaged XML anywhere means the whole file is refused, never half-cleaned.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO

from lxml import etree  # type: ignore[import-untyped]

from pakar.vault.scrub.base import Limits, RefusedFile, parse_xml, serialise_xml
from pakar.vault.scrub.images import clean_embedded_image

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
MIME_TYPES = {DOCX: "docx", XLSX: "xlsx", ODT: "odt"}
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}
MAX_NESTING = 2

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
XR = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"
XTC = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
OFFICEOOO = "http://openoffice.org/2009/office"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
SVG = "http://www.w3.org/2000/svg"

EMPTY_PARTS = {
    "docProps/core.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>',
    "docProps/app.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>',
    "docProps/custom.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>',
}
# Elements dropped whole: identifiers, local paths and people lists.
DROPPED_ELEMENTS = {
    f"{{{W}}}rsids": "rsid",
    f"{{{W}}}rsid": "rsid",  # a style's own session id in styles.xml
    f"{{{W14}}}docId": "document_ids",
    f"{{{W15}}}docId": "document_ids",
    f"{{{W}}}attachedTemplate": "template_path",
    f"{{{W15}}}person": "people",
    f"{{{X15AC}}}absPath": "local_paths",
    f"{{{XR}}}revisionPtr": "document_ids",
    f"{{{SVG}}}metadata": "image_metadata",
    f"{{{SVG}}}script": "scripts",
}
# Attributes removed wherever they appear (all optional in their schemas).
DROPPED_ATTRIBUTES = {
    f"{{{W}}}date": "revision_dates",
    f"{{{W}}}initials": "authors",
    f"{{{W16CEX}}}dateUtc": "revision_dates",
    f"{{{OFFICEOOO}}}rsid": "rsid",
    f"{{{OFFICEOOO}}}paragraph-rsid": "rsid",
}
# Unqualified attributes dropped only on these elements.
DROPPED_ELEMENT_ATTRIBUTES = {f"{{{XTC}}}threadedComment": ("dT",)}
# Attributes kept but emptied, because the schema requires them.
BLANKED_ATTRIBUTES = {f"{{{W}}}author", f"{{{W15}}}author"}
# Unqualified attributes that name a person only on these elements
# (a table's displayName elsewhere is referenced by formulas).
PERSON_ATTRIBUTES = {
    f"{{{XTC}}}person": ("displayName", "userId", "providerId"),
    f"{{{SML}}}fileSharing": ("userName",),
    f"{{{SML}}}header": ("userName",),
    f"{{{SML}}}userInfo": ("name",),
}
BLANKED_TEXT = {f"{{{SML}}}author", f"{{{DC}}}creator", f"{{{META}}}creator-initials", f"{{{LOEXT}}}sender-initials"}
ODF_PRIVATE_SETTINGS = {
    "PrinterName",
    "PrinterSetup",
    "PrintFaxName",
    "Rsid",
    "RsidRoot",
    "CurrentDatabaseDataSource",
    "CurrentDatabaseCommand",
    "CurrentDatabaseCommandType",
    "EmbeddedDatabaseName",
}
ODF_EPOCH = "1970-01-01T00:00:00"
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".jpe", ".gif", ".tif", ".tiff", ".bmp", ".webp"}
# Vector pictures, fonts, Word's HD Photo effects and Excel's legacy comment
# shapes (VML, which Excel does not write as well-formed XML) carry no authors.
KEPT_EXTENSIONS = {".emf", ".wmf", ".odttf", ".ttf", ".otf", ".fntdata", ".wdp", ".vml"}
KEPT_NAMES = {"mimetype", "layout-cache"}
KEPT_FOLDERS = ("ObjectReplacements/",)  # ODF vector previews of charts
XML_EXTENSIONS = {".xml", ".rels", ".rdf", ".svg"}
PACKAGE_EXTENSIONS = {".docx": DOCX, ".xlsx": XLSX}
MACRO_NAMES = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|^(Basic|Scripts)/", re.IGNORECASE)
PRINTER_SETTINGS = re.compile(r"printerSettings\d*\.bin$", re.IGNORECASE)
LOCAL_TARGET = re.compile(r"^(file:|\\\\|[a-zA-Z]:[\\/])")
MACRO_CONTENT_TYPES = ("macroEnabled", "vbaProject")
COPY_CHUNK = 1024 * 1024
# What zipfile raises for a damaged archive (NotImplementedError: features
# office programs never write, such as multi-disk archives).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError)
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def scrub_office(mime: str, src: BinaryIO, dst: BinaryIO, limits: Limits) -> list[str]:
    return sorted(_clean_package(MIME_TYPES[mime], src, dst, limits, depth=0))


def _clean_package(kind: str, src: BinaryIO, dst: BinaryIO, limits: Limits, *, depth: int) -> set[str]:
    if src.read(4) != b"PK\x03\x04":
        raise RefusedFile("type_mismatch")
    size = src.seek(0, io.SEEK_END)
    src.seek(0)
    archive = _open_archive(src)
    with archive:
        members = _checked_members(archive, size, limits)
        _check_kind(kind, archive, {info.filename for info in members})
        removed: set[str] = set()
        with zipfile.ZipFile(_MemberAtATime(dst), "w") as out:
            for info in members:
                _copy_member(kind, archive, info, out, limits, removed, depth)
    return removed


class _MemberAtATime(io.RawIOBase):
    """Lets zipfile go back and fill in each member's sizes and CRC in its local
    header, while passing every finished member on to ``dst``.

    Without it zipfile writes to a one-way stream with data descriptors, which
    ODF requires the stored ``mimetype`` member not to have and which some
    readers reject; with it, only the member being written is held in memory.
    """

    def __init__(self, dst: BinaryIO) -> None:
        super().__init__()
        self._dst = dst
        self._base = 0  # offset of the first byte not yet passed on
        self._pending = bytearray()
        self._position = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        end = self._base + len(self._pending)
        target = {io.SEEK_SET: offset, io.SEEK_CUR: self._position + offset, io.SEEK_END: end + offset}[whence]
        if not self._base <= target <= end:
            raise OSError("cannot seek into bytes already written out")
        self._position = target
        if target == end:
            self._pass_on()  # zipfile returns to the end once a member is complete
        return target

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        start = self._position - self._base
        self._pending[start : start + len(data)] = data
        self._position += len(data)
        return len(data)

    def flush(self) -> None:
        if self._position == self._base + len(self._pending):
            self._pass_on()

    def _pass_on(self) -> None:
        if self._pending:
            self._dst.write(bytes(self._pending))
            self._base += len(self._pending)
            self._pending.clear()


def _open_archive(src: BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(src)
    except ZIP_ERRORS as exc:
        raise RefusedFile("damaged") from exc


def _checked_members(archive: zipfile.ZipFile, size: int, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members, once the central directory shows nothing absurd.

    Declared sizes can be trusted as upper bounds: zipfile stops reading a
    member at its declared size and checks its CRC."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise RefusedFile("archive_too_large")
    names = [info.filename for info in members]
    if len(set(names)) != len(names) or any(name.startswith("/") or ".." in name.split("/") for name in names):
        raise RefusedFile("damaged")  # two readers could see two different documents
    if any(info.flag_bits & 0x1 for info in members):
        raise RefusedFile("encrypted")
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in members):
        raise RefusedFile("damaged")
    expanded = sum(info.file_size for info in members)
    if expanded > limits.max_expanded_bytes:
        raise RefusedFile("archive_too_large")
    if expanded > 1024 * 1024 and expanded > limits.max_ratio * max(size, 1):
        raise RefusedFile("archive_too_large")
    return members


def _check_kind(kind: str, archive: zipfile.ZipFile, names: set[str]) -> None:
    if kind == "odt":
        if "mimetype" not in names or _read_small(archive, "mimetype").strip() != ODT.encode():
            raise RefusedFile("type_mismatch")
        if "content.xml" not in names:
            raise RefusedFile("damaged")
        return
    if MAIN_PARTS[kind] not in names:
        raise RefusedFile("type_mismatch")
    if "[Content_Types].xml" not in names:
        raise RefusedFile("damaged")  # not a valid Open Packaging container
    types = _read_small(archive, "[Content_Types].xml")
    if any(marker.encode() in types for marker in MACRO_CONTENT_TYPES):
        raise RefusedFile("macros")


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except ZIP_ERRORS as exc:
        raise RefusedFile("damaged") from exc


def _output_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """Same name and compression; no timestamps, extra fields or comments."""
    out = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
    out.compress_type = info.compress_type
    out.external_attr = (0o40755 << 16) | 0x10 if info.is_dir() else 0o644 << 16
    return out


def _copy_member(
    kind: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    out: zipfile.ZipFile,
    limits: Limits,
    removed: set[str],
    depth: int,
) -> None:
    target = _output_info(info)
    if info.is_dir() or info.file_size == 0:
        out.writestr(target, b"")
        return
    handler = _handler_for(info.filename, depth)
    try:
        if handler is None:
            _stream_copy(archive, info, out, target)
        else:
            data = _read_member(archive, info, limits)
            out.writestr(target, handler(kind, info.filename, data, limits, removed, depth))
    except ZIP_ERRORS as exc:
        raise RefusedFile("damaged") from exc


Handler = Callable[[str, str, bytes, Limits, set[str], int], bytes]


def _handler_for(name: str, depth: int) -> Handler | None:
    """How a member is cleaned; None means copied unchanged; refuses the unknown."""
    extension = _extension(name)
    if MACRO_NAMES.search(name):
        raise RefusedFile("macros")
    if name in KEPT_NAMES or extension in KEPT_EXTENSIONS or name.startswith(KEPT_FOLDERS):
        return None
    if name in EMPTY_PARTS:
        return _empty_part
    if name == "[Content_Types].xml" or extension in XML_EXTENSIONS:
        return _clean_xml_part
    if extension in IMAGE_EXTENSIONS:
        return _clean_image_part
    if PRINTER_SETTINGS.search(name):
        return _clean_printer_settings
    if extension in PACKAGE_EXTENSIONS and depth < MAX_NESTING:
        return _clean_nested_package
    raise RefusedFile("embedded_content")


def _extension(name: str) -> str:
    """ ".rels" for "_rels/.rels" too (posixpath.splitext sees no extension there)."""
    base = name.rsplit("/", 1)[-1]
    return base[base.rfind(".") :].lower() if "." in base else ""


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    if info.file_size > limits.max_part_bytes:
        raise RefusedFile("archive_too_large")
    return archive.read(info)


def _stream_copy(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, target: zipfile.ZipInfo
) -> None:
    with archive.open(info) as source, out.open(target, "w") as sink:
        while chunk := source.read(COPY_CHUNK):
            sink.write(chunk)


def _empty_part(kind: str, name: str, data: bytes, limits: Limits, removed: set[str], depth: int) -> bytes:
    parse_xml(data)  # a damaged part still means a damaged file
    removed.add("docprops")
    return EMPTY_PARTS[name]


def _clean_image_part(kind: str, name: str, data: bytes, limits: Limits, removed: set[str], depth: int) -> bytes:
    cleaned, found = clean_embedded_image(data, limits)
    if found:
        removed.add("image_metadata")
    return cleaned


def _clean_printer_settings(kind: str, name: str, data: bytes, limits: Limits, removed: set[str], depth: int) -> bytes:
    # A Windows DEVMODE starts with the printer's name (32 UTF-16 characters).
    removed.add("printer_name")
    return bytes(min(64, len(data))) + data[64:]


def _clean_nested_package(kind: str, name: str, data: bytes, limits: Limits, removed: set[str], depth: int) -> bytes:
    nested_kind = MIME_TYPES[PACKAGE_EXTENSIONS[_extension(name)]]
    out = io.BytesIO()
    removed |= _clean_package(nested_kind, io.BytesIO(data), out, limits, depth=depth + 1)
    return out.getvalue()


def _clean_xml_part(kind: str, name: str, data: bytes, limits: Limits, removed: set[str], depth: int) -> bytes:
    root = parse_xml(data)
    if kind == "odt":
        _clean_odf_part(name, root, removed)
    elif re.match(r"customXml/item\d+\.xml$", name):
        _empty_element(root)
        removed.add("custom_xml")
    elif name.endswith(".rels"):
        _clean_relationships(root, removed)
    _clean_tree(root, removed)
    _drop_empty_alternate_content(root)
    return serialise_xml(root)


def _empty_element(element: Any) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None
    for attribute in list(element.attrib):
        del element.attrib[attribute]


def _clean_relationships(root: Any, removed: set[str]) -> None:
    for relationship in list(root.iter(f"{{{REL}}}Relationship")):
        if relationship.get("Type", "").endswith("/attachedTemplate"):
            root.remove(relationship)
            removed.add("template_path")
        elif relationship.get("TargetMode") == "External" and LOCAL_TARGET.match(relationship.get("Target", "")):
            relationship.set("Target", "")
            removed.add("local_paths")


def _clean_tree(root: Any, removed: set[str]) -> None:
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if element.tag is etree.Comment and element.getparent() is not None:
                element.getparent().remove(element)  # XML comments are invisible to the reader
            continue
        label = DROPPED_ELEMENTS.get(element.tag)
        if label and element.getparent() is not None:
            element.getparent().remove(element)
            removed.add(label)
            continue
        _clean_attributes(element, removed)
        if element.tag in BLANKED_TEXT and element.text:
            element.text = ""
            removed.add("authors")


def _clean_attributes(element: Any, removed: set[str]) -> None:
    for attribute in list(element.attrib):
        if attribute.startswith(f"{{{W}}}rsid"):
            del element.attrib[attribute]
            removed.add("rsid")
        elif attribute in DROPPED_ATTRIBUTES:
            del element.attrib[attribute]
            removed.add(DROPPED_ATTRIBUTES[attribute])
        elif attribute in BLANKED_ATTRIBUTES and element.attrib[attribute]:
            element.set(attribute, "")
            removed.add("authors")
    for attribute in DROPPED_ELEMENT_ATTRIBUTES.get(element.tag, ()):
        if attribute in element.attrib:
            del element.attrib[attribute]
            removed.add("revision_dates")
    for attribute in PERSON_ATTRIBUTES.get(element.tag, ()):
        if element.get(attribute):
            element.set(attribute, "")
            removed.add("authors")


def _drop_empty_alternate_content(root: Any) -> None:
    """``x15ac:absPath`` sits alone inside ``mc:AlternateContent``; leave no empty shell."""
    for tag in (f"{{{MC}}}Choice", f"{{{MC}}}AlternateContent"):
        for element in list(root.iter(tag)):
            if len(element) == 0 and not (element.text or "").strip() and element.getparent() is not None:
                element.getparent().remove(element)


def _clean_odf_part(name: str, root: Any, removed: set[str]) -> None:
    if name == "meta.xml":
        for meta in root.iter(f"{{{OFFICE}}}meta"):
            _empty_element(meta)
        removed.add("odf_meta")
    elif name == "settings.xml":
        for item in list(root.iter(f"{{{CONFIG}}}config-item")):
            if item.get(f"{{{CONFIG}}}name") in ODF_PRIVATE_SETTINGS and item.getparent() is not None:
                item.getparent().remove(item)
                removed.add("odf_settings")
    elif name == "META-INF/manifest.xml" and any(True for _ in root.iter(f"{{{MANIFEST}}}encryption-data")):
        raise RefusedFile("encrypted")
    for date in list(root.iter(f"{{{DC}}}date")):
        parent = date.getparent()
        if parent is not None and parent.tag == f"{{{OFFICE}}}change-info":
            date.text = ODF_EPOCH  # required on a tracked change
        elif parent is not None:
            parent.remove(date)
        removed.add("revision_dates")
