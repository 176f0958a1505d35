"""What every cleaner shares: the refusal, the limits and a safe XML parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from lxml import etree  # type: ignore[import-untyped]

# One msgid per reason, so a handler and a reporter read the same words.
# "%(limit)s" is filled in by RefusedFile when a limit was crossed.
MESSAGES: dict[str, Promise] = {
    "unsupported_type": _("This type of file cannot be accepted."),
    "type_mismatch": _(
        "The file's content does not match its type. Please upload the original file without renaming it."
    ),
    "damaged": _("The file is damaged and cannot be opened. Please upload an intact copy."),
    "image_too_large": _(
        "The picture is too large to be checked safely (more than %(limit)s megapixels). Please upload a smaller copy."
    ),
    "archive_too_large": _(
        "The document becomes too large when unpacked to be checked safely. "
        "Please save it again without large embedded content, or export it to PDF."
    ),
    "too_large": _("The file is too large to be checked safely. Please upload a smaller copy."),
    "pdf_javascript": _(
        "The PDF contains scripts or launch actions, which are not accepted for safety. "
        "Please print it to a new PDF and upload that copy."
    ),
    "pdf_embedded_files": _(
        "The PDF contains attached files. Please upload the attached files separately "
        "and send the PDF without attachments."
    ),
    "embedded_content": _(
        "The document contains embedded files or objects that cannot be cleaned. "
        "Please remove them or export the document to PDF."
    ),
    "macros": _("The document contains macros, which are not accepted for safety. Please save it without macros."),
    "encrypted": _("The file is protected with a password. Please upload an unprotected copy."),
}


class RefusedFile(Exception):  # noqa: N818 - a refusal is a verdict on the file, not an error of ours
    """A file PAKAR will not pass on to a handler, with a reason the reporter can act on.

    ``reason_code`` is stable (for logs, tests and the case record);
    ``message`` is translated into the language active when it is read.
    """

    def __init__(self, reason_code: str, **params: Any) -> None:
        if reason_code not in MESSAGES:
            raise ValueError(f"unknown refusal reason {reason_code!r}")
        self.reason_code = reason_code
        self.params = params
        super().__init__(reason_code)

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.reason_code])
        return text % self.params if self.params else text


@dataclass(frozen=True)
class Limits:
    """How much work a single file may ask of the server."""

    max_pixels: int = 60_000_000
    max_expanded_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_members: int = 5_000
    max_part_bytes: int = 64 * 1024 * 1024  # one XML part, parsed in memory

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits from settings, where set (``PAKAR_SCRUB_MAX_PIXELS``,
        ``PAKAR_SCRUB_MAX_EXPANDED_BYTES``, ``PAKAR_SCRUB_MAX_RATIO``)."""
        from django.conf import settings

        default = cls()
        return cls(
            max_pixels=getattr(settings, "PAKAR_SCRUB_MAX_PIXELS", default.max_pixels),
            max_expanded_bytes=getattr(settings, "PAKAR_SCRUB_MAX_EXPANDED_BYTES", default.max_expanded_bytes),
            max_ratio=getattr(settings, "PAKAR_SCRUB_MAX_RATIO", default.max_ratio),
        )


def _xml_parser() -> Any:
    # No entities, no DTD, no network: an uploaded document must not make the
    # server fetch URLs, read local files or expand a billion laughs.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes) -> Any:
    """An lxml tree of a document part, or RefusedFile("damaged")."""
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise RefusedFile("damaged") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise RefusedFile("damaged")  # office programs never write a DTD
    return root


def serialise_xml(root: Any) -> bytes:
    standalone = root.getroottree().docinfo.standalone
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone))
