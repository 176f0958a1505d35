"""The empty report form is served from a per-process copy: every visitor still
gets their own CSRF token, form token and CSP nonce, and edits show at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def _values(response) -> dict[str, str]:
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    return {
        "csrf": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        "form_token": re.search(r'name="form_token" value="([^"]+)"', html).group(1),
        "nonce_in_page": re.search(r'nonce="([^"]+)"', html).group(1),
        "nonce": nonce,
        "html": html,
    }


def test_two_visitors_get_their_own_tokens_and_nonce(categories, unit):
    first = _values(Client().get("/lapor/"))
    second = _values(Client().get("/lapor/"))
    for page in (first, second):
        assert page["nonce_in_page"] == page["nonce"]
        assert "placeholder" not in page["html"]
    assert first["csrf"] != second["csrf"]
    assert first["form_token"] != second["form_token"]
    assert first["nonce"] != second["nonce"]


def test_the_csrf_token_of_the_cached_page_is_accepted(categories, unit, evidence_file):
    client = Client(enforce_csrf_checks=True)
    page = _values(client.get("/lapor/"))
    response = client.post("/lapor/", {"csrfmiddlewaretoken": page["csrf"], "form_token": page["form_token"]})
    assert response.status_code == 400  # a validation error, not the CSRF refusal (403)


def test_a_renamed_category_and_a_new_unit_show_at_once(categories, unit):
    client = Client()
    assert "Pelayanan publik yang buruk" in client.get("/lapor/").content.decode()
    category = categories["public-service"]
    category.name_id = "Pelayanan publik tidak layak"
    category.save(update_fields=["name_id"])  # the save signal drops the cached copy
    unit.__class__.objects.create(name="Dinas Perpustakaan dan Kearsipan")
    html = client.get("/lapor/").content.decode()
    assert "Pelayanan publik tidak layak" in html
    assert "Dinas Perpustakaan dan Kearsipan" in html


def test_each_language_has_its_own_copy(categories, unit):
    client = Client()
    assert 'lang="id"' in client.get("/lapor/").content.decode()
    assert 'lang="en"' in client.get("/lapor/", headers=EN).content.decode()
