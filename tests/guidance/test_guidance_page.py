"""The guidance page: every section, the live categories, statuses and deadlines."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from pakar.cases.models import Category, Status
from pakar.guidance.views import SECTIONS
from pakar.workdays.models import DeadlineSettings

pytestmark = pytest.mark.django_db

PAGE = "/panduan/"


def page(client, language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_every_section_has_its_anchor_and_an_entry_in_the_contents(client):
    html = page(client)
    for anchor in SECTIONS:
        assert f'<section id="{anchor}"' in html
        assert f'href="#{anchor}"' in html


def test_every_active_category_is_listed_with_its_example(client, categories):
    Category.objects.filter(code="drugs").update(is_active=False)
    html = page(client)
    for category in Category.objects.filter(is_active=True):
        assert category.name_en in html
        assert category.description_en in html
    assert categories["drugs"].name_en not in html


def test_categories_that_need_identity_say_so(client, categories):
    html = page(client)
    section = html[html.index('<section id="kategori"') : html.index('<section id="menulis-4w1h"')]
    assert section.count("cannot be anonymous") == Category.objects.filter(anonymous_allowed=False).count()


def test_every_status_is_explained_with_its_public_label(client):
    html = page(client)
    for status in Status:
        assert f'id="status-{status.value}"' in html
        assert escape(str(status.public_label)) in html


def deadline_row(html: str, key: str) -> str:
    found = re.search(rf'<tr id="tenggat-{key}">.*?<td>(.*?)</td>', html, re.S)
    assert found, key
    return found.group(1)


def test_deadlines_come_from_the_live_settings(client, settings):
    html = page(client)
    assert deadline_row(html, "verification") == "3 working days"
    assert deadline_row(html, "oversight") == "60 working days"
    assert deadline_row(html, "consultation") == "5 working days"
    DeadlineSettings.objects.filter(pk=DeadlineSettings.current().pk).update(verification_days=1, oversight_days=45)
    settings.PAKAR_CONSULTATION_ANSWER_DAYS = 7
    html = page(client)
    assert deadline_row(html, "verification") == "1 working day"
    assert deadline_row(html, "oversight") == "45 working days"
    assert deadline_row(html, "consultation") == "7 working days"


def test_file_limits_come_from_the_settings(client, settings):
    settings.PAKAR_MAX_FILES = 3
    assert "up to 3 files" in page(client)


def test_the_legal_protection_and_false_report_warning_name_the_law(client):
    html = page(client)
    protection = html[html.index('<section id="perlindungan-hukum"') : html.index('<section id="laporan-palsu"')]
    assert "UU 31/2014" in protection
    warning = html[html.index('<section id="laporan-palsu"') : html.index('<section id="kode-akses"')]
    assert "KUHP" in warning


def test_the_identity_section_explains_each_mode(client):
    html = page(client)
    section = html[html.index('<section id="identitas"') : html.index('<section id="perlindungan-hukum"')]
    for mode in ("Confidential", "Anonymous", "Open"):
        assert f'<th scope="row">{mode}' in section
    assert "IP address" in section


def test_the_page_works_in_both_languages(client, categories):
    indonesian = page(client, "id")
    english = page(client, "en")
    assert '<html lang="id">' in indonesian and '<html lang="en">' in english
    assert categories["corruption"].name_id in indonesian and categories["corruption"].name_en in english
