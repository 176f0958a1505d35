"""The reporter's whole journey in real Chromium, with and without JavaScript:
report → receipt → check my report → reply with more evidence → log out."""

from __future__ import annotations

import pytest
from django.utils import translation

from pakar.cases.models import Case, Message, Status
from tests.browser.reporter import expect_error_status, fill_report, read_receipt, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def received_label() -> str:
    with translation.override("id"):
        return str(Status.RECEIVED.public_label)


def walk_through_the_whole_journey(page, live_server, categories, unit, evidence_file) -> None:
    category = categories["corruption"]
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.click("main a[href='/lapor/']")
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    submit(page)

    number, code = read_receipt(page)
    case = Case.objects.get(number=number)
    assert case.identity_mode == "confidential"
    assert case.category == category and case.unit == unit
    assert [e.read_meta()["name"] for e in case.evidence.all()] == ["dirty.pdf"]

    with page.expect_navigation():
        page.click(".receipt a[href='/pantau/masuk/']")
    page.fill("#id_code", code)
    submit(page)
    assert page.url == live_server.url + "/pantau/"
    assert number in page.locator("h1").inner_text()
    assert received_label() in page.locator(".timeline").inner_text()

    page.fill("#id_text", "Saya punya foto antrean di loket itu.")
    page.set_input_files("#id_evidence", str(evidence_file("jpg_gps_DSCN0010.jpg")))
    submit(page)
    assert page.url == live_server.url + "/pantau/"
    assert page.locator(".notice").is_visible()
    assert "Saya punya foto antrean di loket itu." in page.locator(".thread .mine").inner_text()
    files_shown = page.locator("section[aria-labelledby=h-evidence] li").all_inner_texts()
    assert [name.split(" (")[0] for name in files_shown] == ["dirty.pdf", "jpg_gps_DSCN0010.jpg"]
    assert case.evidence.count() == 2
    assert case.messages.get(direction=Message.Direction.FROM_REPORTER).read_body() == (
        "Saya punya foto antrean di loket itu."
    )

    submit(page, ".logout button")
    assert page.url == live_server.url + "/"
    page.goto(live_server.url + "/pantau/")
    assert page.url == live_server.url + "/pantau/masuk/", "the follow-up page must be closed after logging out"


def test_a_reporter_with_javascript_reports_follows_up_and_logs_out(
    watched_page, live_server, categories, unit, evidence_file
):
    walk_through_the_whole_journey(watched_page, live_server, categories, unit, evidence_file)


def test_a_reporter_without_javascript_reports_follows_up_and_logs_out(
    nojs_page, live_server, categories, unit, evidence_file
):
    walk_through_the_whole_journey(nojs_page, live_server, categories, unit, evidence_file)


def test_a_form_sent_twice_is_saved_once_and_says_so(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    token = page.locator("input[name=form_token]").input_value()
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.jpg")])
    submit(page)
    read_receipt(page)

    expect_error_status(page, 409)
    page.goto(live_server.url + "/lapor/")
    page.locator("input[name=form_token]").evaluate("(input, token) => { input.value = token }", token)
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.jpg")])
    submit(page)
    assert page.locator("#access-code").count() == 0
    assert page.locator("main a[href='/lapor/']").is_visible()
    assert Case.objects.count() == 1
