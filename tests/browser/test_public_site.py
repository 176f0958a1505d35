"""Every page a visitor can open without an access code, in both languages:
no third-party request, no CSP violation, no serious accessibility violation,
and it fits a 360 px phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.reporter import submit
from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "public:home",
    "public:report",
    "public:followup_login",
    "consultations:ask",
    "consultations:followup_login",
    "consultations:faq",
    "guidance:index",
    "reports:statistics",
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_a_public_page_is_self_contained_accessible_and_fits_a_phone(
    watched_page, live_server, categories, unit, url_name
):
    page = watched_page
    response = page.goto(live_server.url + reverse(url_name))
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").count() == 1, "one main heading per page"
    assert run_axe(page) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360

    submit(page, "form.lang button[value=en]")
    assert page.url == live_server.url + reverse(url_name), "the language switch keeps the visitor on the page"
    assert page.get_attribute("html", "lang") == "en"
    assert run_axe(page) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
