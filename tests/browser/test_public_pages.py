"""How the reporter's pages behave, with and without JavaScript: identity
fields, the printable receipt and the language switch."""

from __future__ import annotations

import pytest
from django.utils import translation

from pakar.cases.models import Case
from tests.browser.reporter import fill_report, read_receipt, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_identity_fields_hide_when_the_reporter_chooses_anonymous(watched_page, live_server, categories, unit):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    assert page.is_visible("#id_name")
    page.check("input[name=identity_mode][value=anonymous]")
    assert page.is_hidden("#identity-fields")
    page.check("input[name=identity_mode][value=open]")
    assert page.is_visible("#id_name")


def test_identity_typed_before_choosing_anonymous_is_not_sent(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    page.fill("#id_nik", "123")
    fill_report(page, category=category, unit=unit, identity_mode="anonymous", files=[evidence_file("dirty.pdf")])
    assert page.is_disabled("#id_nik")
    submit(page)
    number, _code = read_receipt(page)
    assert Case.objects.get(number=number).identity is None


def test_a_double_tap_on_send_sends_the_report_once(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    slow_link = page.context.new_cdp_session(page)
    slow_link.send("Network.enable")
    slow_link.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 400, "downloadThroughput": 200_000, "uploadThroughput": 200_000},
    )
    with page.expect_navigation():
        # The impatient second tap comes while the upload is still under way.
        page.locator("form.report button[type=submit]").evaluate(
            "button => { button.click(); setTimeout(() => button.click(), 300); }"
        )
    read_receipt(page)
    assert posts == [live_server.url + "/lapor/"]
    assert Case.objects.count() == 1


def test_without_javascript_identity_fields_stay_usable_and_anonymous_reports_work(
    nojs_page, live_server, category, unit, evidence_file
):
    page = nojs_page
    page.goto(live_server.url + "/lapor/")
    page.check("input[name=identity_mode][value=anonymous]")
    assert page.is_visible("#id_name") and page.is_editable("#id_name")
    fill_report(page, category=category, unit=unit, identity_mode="anonymous", files=[evidence_file("dirty.pdf")])
    submit(page)
    number, _code = read_receipt(page)
    case = Case.objects.get(number=number)
    assert case.identity_mode == "anonymous"
    assert case.identity is None


def send_a_report(page, live_server, category, unit, evidence_file) -> None:
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    submit(page)
    read_receipt(page)


def test_the_receipt_has_a_print_button_that_prints(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    send_a_report(page, live_server, category, unit, evidence_file)
    button = page.locator("#print-receipt")
    assert button.is_visible()
    assert page.is_hidden(".print-hint"), "the hint is replaced by the button"
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("window.printed") == 1


def test_without_javascript_the_receipt_explains_how_to_print(nojs_page, live_server, category, unit, evidence_file):
    page = nojs_page
    send_a_report(page, live_server, category, unit, evidence_file)
    assert page.is_hidden("#print-receipt")
    assert page.is_visible(".print-hint")


def test_a_printed_receipt_shows_the_code_without_the_navigation(
    watched_page, live_server, category, unit, evidence_file
):
    page = watched_page
    send_a_report(page, live_server, category, unit, evidence_file)
    page.emulate_media(media="print")
    for hidden in ("header.site", "footer.site", "#print-receipt", "a.skip"):
        assert page.is_hidden(hidden), f"{hidden} must not be printed"
    assert page.is_visible("#access-code") and page.is_visible(".code-box .number")
    assert page.is_visible(".warning")


def test_the_receipt_offers_no_language_switch_that_would_lose_the_code(
    watched_page, live_server, category, unit, evidence_file
):
    page = watched_page
    send_a_report(page, live_server, category, unit, evidence_file)
    assert page.locator("form.lang").count() == 0


def heading(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_the_english_switch_changes_the_page_language_and_stays_on_the_page(
    watched_page, live_server, categories, unit
):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    assert page.get_attribute("html", "lang") == "id"
    assert page.inner_text("h1") == heading("id", "Make a report")

    submit(page, "form.lang button[value=en]")
    assert page.url == live_server.url + "/lapor/"
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Make a report"

    submit(page, "form.lang button[value=id]")
    assert page.get_attribute("html", "lang") == "id"
    assert page.inner_text("h1") == heading("id", "Make a report")


def test_the_language_switch_works_without_javascript(nojs_page, live_server, db):
    page = nojs_page
    page.goto(live_server.url + "/pantau/masuk/?dari=struk")
    submit(page, "form.lang button[value=en]")
    assert page.url == live_server.url + "/pantau/masuk/?dari=struk"
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Check my report"
    assert page.get_attribute("form.lang button", "lang") == "id", "the switch back names itself in Indonesian"
