"""The portal speaks formal Indonesian by default and English on request, from a
catalogue that gettext accepts and that leaves no string untranslated."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

# What a visitor sees on the home page and the report form: (Indonesian, English msgid).
HOME_STRINGS = [
    ("Sampaikan laporan", "Make a report"),
    ("Pantau laporan saya", "Check my report"),
    ("Identitas Anda dilindungi", "Your identity is protected"),
    ("Kami tidak mencatat alamat IP, peramban, maupun situs asal Anda.", "We do not record your IP address"),
]
FORM_STRINGS = [
    ("Kirim laporan", "Send report"),
    ("Pernyataan dan pengiriman", "Declaration and sending"),
    ("Nama pejabat yang dilaporkan", "Name of the official reported"),
    ("Di mana kejadiannya?", "Where did it happen?"),
]


def text(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def needs_compiled_catalogue() -> None:
    """Pages are translated from the .mo that `make messages` builds from the committed .po;
    compare contents, not dates, because makemessages rewrites the .po header on every run."""
    if not COMPILED.exists():
        pytest.fail(f"{COMPILED} is missing: run `make messages` first")
    with COMPILED.open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = [msgid for msgid, plural, msgstr in catalogue_entries() if not plural and mo.gettext(msgid) != msgstr]
    if stale:
        pytest.fail(f"{COMPILED} does not match the .po ({len(stale)} strings differ): run `make messages` first")


@pytest.fixture
def gettext_tools() -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")


def test_the_home_page_is_in_indonesian_by_default(client: Client, categories: object) -> None:
    needs_compiled_catalogue()
    page = text(client.get("/"))
    assert '<html lang="id">' in page
    for indonesian, english in HOME_STRINGS:
        assert indonesian in page
        assert english not in page


def test_the_home_page_is_in_english_when_the_browser_asks_for_it(client: Client, categories: object) -> None:
    page = text(client.get("/", headers={"accept-language": "en"}))
    assert '<html lang="en">' in page
    for indonesian, english in HOME_STRINGS:
        assert english in page
        assert indonesian not in page


def test_the_report_form_is_in_indonesian_by_default(client: Client, categories: object, unit: object) -> None:
    needs_compiled_catalogue()
    page = text(client.get("/lapor/"))
    for indonesian, english in FORM_STRINGS:
        assert indonesian in page
        assert english not in page
    # The placeholder markup of a blocktranslate string survives translation.
    assert 'Isian bertanda <span class="req">*</span> wajib diisi.' in page


def test_the_report_form_follows_the_language_cookie(categories: object, unit: object) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get("/lapor/"))
    assert '<html lang="en">' in page
    assert "Send report" in page
    assert "Kirim laporan" not in page


def test_the_language_switch_goes_to_english_and_back(client: Client, categories: object) -> None:
    needs_compiled_catalogue()
    response = client.post("/bahasa/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Make a report" in text(client.get("/"))
    client.post("/bahasa/", {"language": "id", "next": "/"})
    assert "Sampaikan laporan" in text(client.get("/"))


def test_validation_errors_on_the_report_form_are_in_indonesian(
    client: Client, categories: object, unit: object
) -> None:
    needs_compiled_catalogue()
    response = client.post("/lapor/", {"form_token": "x" * 32})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mohon perbaiki isian berikut:" in page
    assert "Please correct the following:" not in page
    assert "Mohon centang pernyataan kebenaran sebelum mengirim." in page


def test_plural_strings_use_the_single_indonesian_form() -> None:
    needs_compiled_catalogue()
    with translation.override("id"):
        for n in (1, 2, 60):
            message = translation.ngettext("%(days)s working day", "%(days)s working days", n) % {"days": n}
            assert message == f"{n} hari kerja"


def test_the_catalogue_passes_msgfmt_check(gettext_tools: None, tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # "754 translated messages." — fuzzy or untranslated entries would be counted on the same line.
    assert "translated messages" in result.stderr
    assert "fuzzy" not in result.stderr
    assert "untranslated" not in result.stderr


def test_the_catalogue_header_declares_indonesian_with_one_plural_form() -> None:
    header = CATALOGUE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: id\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    assert "#, fuzzy" not in header


def test_every_entry_keeps_its_placeholders_and_markup() -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    for msgid, plural, msgstr in catalogue_entries():
        source = plural or msgid  # Indonesian's one plural form carries the plural's placeholders
        assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(msgstr)), msgid


def catalogue_entries() -> list[tuple[str, str, str]]:
    """(msgid, msgid_plural or "", msgstr or msgstr[0]) for every entry but the header."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]:
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields:
            msgstr = fields.get("msgstr[0]", fields.get("msgstr", ""))
            entries.append((unescape(fields["msgid"]), unescape(fields.get("msgid_plural", "")), unescape(msgstr)))
    return entries


def unescape(po_string: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), po_string)
