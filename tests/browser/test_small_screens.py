"""Every public page fits a cheap phone: 360 px wide, no sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.reporter import expect_error_status, fill_report, open_followup, read_receipt, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SCROLL_WIDTH = "document.scrollingElement.scrollWidth"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def assert_fits(page) -> None:
    width = page.evaluate(SCROLL_WIDTH)
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


@pytest.mark.parametrize("path", ["/", "/lapor/", "/pantau/masuk/"])
def test_a_page_fits_a_phone_screen(watched_page, live_server, categories, unit, path):
    watched_page.goto(live_server.url + path)
    assert watched_page.viewport_size == PHONE
    assert_fits(watched_page)


def test_the_report_form_with_errors_and_a_kept_file_fits_a_phone_screen(
    watched_page, live_server, category, unit, evidence_file
):
    page = watched_page
    expect_error_status(page, 400)
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit, files=[evidence_file("jpg_mobile_HMD_Nokia_8.3_5G.jpg")])
    page.fill("#id_nik", "12345")
    submit(page)
    assert page.locator(".staged .fname").is_visible()
    assert_fits(page)


def test_the_receipt_and_the_follow_up_fit_a_phone_screen(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit, files=[evidence_file("office_revision_session_ids.docx")])
    submit(page)
    _number, code = read_receipt(page)
    assert_fits(page)
    lines = page.evaluate(
        "() => { const r = document.createRange(); r.selectNodeContents(document.getElementById('access-code'));"
        " return r.getClientRects().length; }"
    )
    assert lines == 1, "the access code must not break across lines, or it is easily copied wrong"

    open_followup(page, live_server.url, code)
    page.fill("#id_text", "Tambahan: " + "kata-kata-yang-sangat-panjang-tanpa-spasi" * 3)
    submit(page)
    assert page.locator(".thread .mine").is_visible()
    assert_fits(page)


def test_the_wrong_code_and_error_pages_fit_a_phone_screen(watched_page, live_server, db):
    page = watched_page
    expect_error_status(page, 400, 404)
    open_followup(page, live_server.url, "1234")
    assert page.locator("#errors").is_visible()
    assert_fits(page)
    page.goto(live_server.url + "/tidak-ada/")
    assert_fits(page)


def test_the_expired_form_and_already_sent_pages_fit_a_phone_screen(
    watched_page, live_server, category, unit, evidence_file
):
    page = watched_page
    expect_error_status(page, 403, 409)
    page.goto(live_server.url + "/lapor/")
    token = page.locator("input[name=form_token]").input_value()
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    submit(page)
    read_receipt(page)

    page.goto(live_server.url + "/lapor/")
    page.locator("input[name=form_token]").evaluate("(input, token) => { input.value = token }", token)
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    submit(page)
    assert page.locator("main a[href='/lapor/']").is_visible()
    assert_fits(page)

    page.goto(live_server.url + "/pantau/masuk/")
    page.context.clear_cookies()
    page.fill("#id_code", "1111 2222 3333 4444")
    submit(page)
    assert page.locator("main a[href='/']").is_visible()
    assert_fits(page)


def test_the_home_page_in_english_fits_a_phone_screen(watched_page, live_server, categories):
    page = watched_page
    page.goto(live_server.url + "/")
    submit(page, "form.lang button[value=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert_fits(page)
