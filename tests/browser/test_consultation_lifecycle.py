"""A consultation's whole life in real Chromium: ask → an officer answers → the
asker replies → the officer publishes a rewritten FAQ entry → the public finds
it by searching. Also without JavaScript, and the report-conversion path."""

from __future__ import annotations

import re

import pytest

from pakar.cases.models import Case
from pakar.consultations.models import Consultation, ConsultationStatus, FaqEntry
from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Seorang rekanan kantor mengirim parsel lebaran ke rumah saya. Bolehkah saya menerimanya?"
ANSWER = "Tidak boleh. Kembalikan dengan sopan, atau laporkan ke Unit Pengendalian Gratifikasi."
REPLY = "Bagaimana jika parselnya sudah terlanjur dibuka?"


@pytest.fixture
def topics(db):
    from pakar.consultations.models import Topic
    from pakar.consultations.topics import DEFAULT_TOPICS

    for position, data in enumerate(DEFAULT_TOPICS):
        Topic.objects.get_or_create(code=data["code"], defaults={**data, "position": position})
    return {t.code: t for t in Topic.objects.all()}


@pytest.fixture
def officer_page(browser, browser_context_args, live_server):
    """A second browser, signed in as Sari, a consultation officer (the staff login page
    belongs to the accounts app; the session is made the way Django's test client does)."""
    from django.test import Client

    from pakar.accounts.models import Role, RoleGrant, User
    from tests.conftest import PageWatch

    sari = User.objects.create_user(username="sari", password="a long enough password 1", full_name="Sari")
    RoleGrant.objects.create(user=sari, role=Role.CONSULTATION)
    client = Client()
    client.force_login(sari)
    context = browser.new_context(**browser_context_args)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.watch = PageWatch(page, live_server.url)
    yield page
    context.close()
    page.watch.assert_clean()


def submit(page, button: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(button)


def ask(page, live_server, topics) -> tuple[str, str]:
    page.goto(live_server.url + "/konsultasi/")
    page.check(f"input[name=topic][value='{topics['gratification'].pk}']")
    page.check("input[name=asker_type][value=asn]")
    page.fill("#id_subject", "Parsel lebaran dari rekanan")
    page.fill("#id_question", QUESTION)
    page.check("#id_publish_consent")
    submit(page)
    number = page.locator(".code-box .number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"KON-\d{4}-\d{5}", number)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    return number, code


def open_consultation(page, live_server, code: str) -> None:
    page.goto(live_server.url + "/konsultasi/pantau/masuk/")
    page.fill("#id_code", code)
    submit(page)
    assert page.url == live_server.url + "/konsultasi/pantau/"


def test_ask_answer_reply_publish_and_find_it_in_the_faq(watched_page, officer_page, live_server, topics):
    asker, officer = watched_page, officer_page
    number, code = ask(asker, live_server, topics)
    assert run_axe(asker) == []

    officer.goto(live_server.url + "/staff/konsultasi/")
    with officer.expect_navigation():
        officer.click(f"text={number}")
    assert QUESTION in officer.locator("main").inner_text()
    officer.fill("#id_text", ANSWER)
    submit(officer, "form[action$='/jawab/'] button")
    assert officer.locator(".notice").is_visible()

    open_consultation(asker, live_server, code)
    assert ANSWER in asker.locator(".thread .theirs").inner_text()
    asker.fill("#id_text", REPLY)
    submit(asker, "form[action='/konsultasi/pantau/'] button")
    assert REPLY in asker.locator(".thread .mine").inner_text()
    assert run_axe(asker) == []

    officer.reload()
    assert REPLY in officer.locator(".thread").inner_text()
    with officer.expect_navigation():
        officer.click("a[href*='/faq/baru/?dari=']")
    assert officer.locator("#id_question").input_value() == ""  # nothing is copied from the original
    officer.fill("#id_question", "Bolehkah pegawai menerima parsel hari raya dari rekanan?")
    officer.fill("#id_answer", ANSWER)
    submit(officer, "button[name=publish]")
    assert FaqEntry.objects.get().is_published

    asker.goto(live_server.url + "/faq/")
    asker.fill("#faq-q", "parsel rekanan")
    submit(asker, "form[role=search] button")
    found = asker.locator("details.faq")
    assert found.count() == 1
    assert "Bolehkah pegawai menerima parsel hari raya dari rekanan?" in found.inner_text()
    assert ANSWER in found.inner_text()
    assert QUESTION not in asker.content()
    assert run_axe(asker) == []


def test_the_consultation_works_without_javascript(nojs_page, live_server, topics):
    from pakar.accounts.models import User
    from pakar.consultations import services

    number, code = ask(nojs_page, live_server, topics)
    consultation = Consultation.objects.get(number=number)
    sari = User.objects.create_user(username="sari2", password="a long enough password 1")
    services.answer_consultation(consultation, text=ANSWER, actor=sari)
    open_consultation(nojs_page, live_server, code)
    assert ANSWER in nojs_page.locator(".thread").inner_text()
    nojs_page.fill("#id_text", REPLY)
    submit(nojs_page, "form[action='/konsultasi/pantau/'] button")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ASKER_REPLIED


def test_the_asker_agrees_to_make_it_a_report_and_gets_its_code_once(
    watched_page, officer_page, live_server, topics, categories, unit
):
    number, code = ask(watched_page, live_server, topics)
    officer_page.goto(live_server.url + f"/staff/konsultasi/{number}/")
    officer_page.select_option("#id_category", str(categories["gratification"].pk))
    officer_page.select_option("#id_unit", str(unit.pk))
    officer_page.fill("#id_explanation", "Parsel dari rekanan adalah gratifikasi yang dapat kami tindak lanjuti.")
    submit(officer_page, "form[action$='/usulkan-laporan/'] button")

    open_consultation(watched_page, live_server, code)
    assert "gratifikasi yang dapat kami tindak lanjuti" in watched_page.locator("main").inner_text()
    watched_page.check("input[name=identity_mode][value=anonymous]")
    assert watched_page.locator("#identity-fields").is_hidden()  # the page's script hides what is not needed
    watched_page.check("#id_declaration")
    submit(watched_page, "form[action$='/jadikan-laporan/'] button")
    report_number = watched_page.locator("#new-report .number").inner_text()
    report_code = watched_page.locator("#report-access-code").inner_text()
    assert Case.objects.get().number == report_number
    assert run_axe(watched_page) == []

    watched_page.goto(live_server.url + "/pantau/masuk/")
    watched_page.fill("#id_code", report_code)
    submit(watched_page)
    assert report_number in watched_page.locator("h1").inner_text()
