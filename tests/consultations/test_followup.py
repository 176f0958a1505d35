"""The asker's follow-up page: opened with the access code, answer, replies."""

from __future__ import annotations

import pytest

from pakar.consultations import services
from pakar.consultations.models import ConsultationMessage, ConsultationStatus
from pakar.vault import format_code

pytestmark = pytest.mark.django_db

LOGIN = "/konsultasi/pantau/masuk/"
PAGE = "/konsultasi/pantau/"


def open_with(client, code: str):
    return client.post(LOGIN, {"code": format_code(code)})


def test_the_access_code_opens_the_consultation(client, ask):
    receipt = ask()
    response = open_with(client, receipt.access_code)
    assert response.status_code == 302 and response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert receipt.consultation.number in page
    assert "Bolehkah saya menerima parsel lebaran dari rekanan?" in page


def test_a_wrong_code_opens_nothing_and_says_so(client, ask):
    ask()
    response = client.post(LOGIN, {"code": "1234 5678 9012 3456"})
    assert response.status_code == 400
    assert "does not open any consultation" in response.content.decode()
    assert client.get(PAGE).status_code == 302


def test_a_malformed_code_is_explained(client, ask):
    response = client.post(LOGIN, {"code": "12345"})
    assert response.status_code == 400
    assert "exactly 16 digits" in response.content.decode()


def test_guessing_codes_is_throttled_with_the_same_budget_as_reports(client, ask, settings):
    settings.PAKAR_CODE_ATTEMPTS = 3
    client.post("/pantau/masuk/", {"code": "1111 1111 1111 1111"})  # a report code guess counts too
    statuses = [client.post(LOGIN, {"code": "1111 1111 1111 1111"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_a_report_code_does_not_open_a_consultation_page(client, ask):
    ask()
    session = client.session
    session["followup_case"] = 1
    session.save()
    assert client.get(PAGE).status_code == 302


def test_the_asker_sees_the_answer_and_can_reply(client, ask, officer):
    receipt = ask()
    services.answer_consultation(receipt.consultation, text="Tidak boleh; tolak dengan sopan.", actor=officer)
    open_with(client, receipt.access_code)
    page = client.get(PAGE).content.decode()
    assert "Tidak boleh; tolak dengan sopan." in page
    response = client.post(PAGE, {"text": "Bagaimana jika sudah terlanjur diterima?"})
    assert response.status_code == 302
    consultation = receipt.consultation
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ASKER_REPLIED
    assert consultation.due_at is not None
    assert "Bagaimana jika sudah terlanjur diterima?" in client.get(PAGE).content.decode()


def test_an_empty_reply_is_explained_and_nothing_is_saved(client, ask):
    receipt = ask()
    open_with(client, receipt.access_code)
    response = client.post(PAGE, {"text": "   "})
    assert response.status_code == 400
    assert not ConsultationMessage.objects.exists()


def test_a_100_kb_reply_is_refused(client, ask):
    receipt = ask()
    open_with(client, receipt.access_code)
    response = client.post(PAGE, {"text": "x" * 100_000})
    assert response.status_code == 400
    assert not ConsultationMessage.objects.exists()


def test_a_closed_consultation_takes_no_reply(client, ask, officer):
    receipt = ask()
    services.close_consultation(receipt.consultation, actor=officer)
    open_with(client, receipt.access_code)
    page = client.get(PAGE).content.decode()
    assert 'name="text"' not in page
    response = client.post(PAGE, {"text": "Halo?"})
    assert response.status_code == 400
    assert not ConsultationMessage.objects.exists()


def test_replies_are_throttled(client, ask, settings):
    settings.PAKAR_CONSULTATION_REPLY_LIMIT = 2
    receipt = ask()
    open_with(client, receipt.access_code)
    statuses = [client.post(PAGE, {"text": f"pesan {i}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert ConsultationMessage.objects.count() == 2


def test_leaving_forgets_the_consultation(client, ask):
    receipt = ask()
    open_with(client, receipt.access_code)
    client.post("/konsultasi/pantau/keluar/")
    assert client.get(PAGE).status_code == 302


def test_the_follow_up_page_never_shows_the_notice_email_or_identity(client, ask):
    receipt = ask(identity={"name": "Rahmat Hidayat", "phone": "0812345678"}, notice_email="rahmat@example.id")
    open_with(client, receipt.access_code)
    page = client.get(PAGE).content.decode()
    assert "rahmat@example.id" not in page
    assert "Rahmat Hidayat" not in page
