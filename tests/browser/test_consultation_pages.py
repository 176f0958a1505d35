"""The pages around consultations — guidance, FAQ, statistics, the officer's
queue — pass axe in real Chromium, under the strict CSP, with no request
to any other host."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.browser.reporter import expect_error_status
from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def some_figures(categories, unit):
    """Enough reports this month for bars to be drawn next to suppressed cells."""
    from django.core.cache import cache
    from django.utils import timezone

    from pakar import vault
    from pakar.cases.models import Case

    cache.clear()
    for index in range(12):
        key = vault.new_case_key()
        Case.objects.create(
            number=f"PKR-2026-{index + 1:05d}",
            reporter_type="public",
            identity_mode="anonymous",
            category=categories["corruption" if index < 7 else "public-service"],
            unit=unit,
            received_at=timezone.now(),
            wrapped_key=vault.wrap_key(key),
            content=vault.encrypt_json(key, {}, purpose="case.content"),
            access_lookup=f"{index:064d}",
            reporter_public_key=b"\0" * 32,
        )


@pytest.mark.parametrize("path", ["/panduan/", "/statistik/", "/faq/", "/konsultasi/"])
def test_the_page_has_no_serious_accessibility_violation(watched_page, live_server, some_figures, path):
    watched_page.goto(live_server.url + path)
    assert watched_page.get_by_role("heading", level=1).is_visible()
    assert run_axe(watched_page) == []


def test_the_statistics_charts_are_pictures_with_a_name_and_the_bars_show(watched_page, live_server, some_figures):
    watched_page.goto(live_server.url + "/statistik/")
    with translation.override("id"):
        name = gettext("Reports received per category")
        description = gettext("Bar chart of reports received in the period, per category.")
    chart = watched_page.get_by_role("img", name=name, exact=True)
    chart.wait_for()
    assert watched_page.locator("#chart-categories-desc").text_content().startswith(description)
    assert watched_page.locator("#chart-categories rect").count() == 2  # 7 and 5; the rest are "< 5"
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200


def test_the_consultation_form_errors_are_accessible(watched_page, live_server, some_figures):
    expect_error_status(watched_page, 400)  # a form with errors answers 400, which Chromium logs
    watched_page.goto(live_server.url + "/konsultasi/")
    with watched_page.expect_navigation():
        watched_page.click("main form button[type=submit]")
    assert watched_page.locator("#errors").is_visible()
    assert run_axe(watched_page) == []


@pytest.mark.parametrize("path", ["/panduan/", "/statistik/", "/faq/", "/konsultasi/"])
def test_the_page_fits_a_360_px_phone(watched_page, live_server, some_figures, path):
    watched_page.set_viewport_size({"width": 360, "height": 740})
    watched_page.goto(live_server.url + path)
    width = watched_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"{path} scrolls sideways: {width} px wide"
