"""The consultation officer's queue, answers, closing and the permission rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pakar.consultations import services
from pakar.consultations.models import Consultation, ConsultationMessage, ConsultationStatus

pytestmark = pytest.mark.django_db

QUEUE = "/staff/konsultasi/"


def detail_url(consultation: Consultation) -> str:
    return f"/staff/konsultasi/{consultation.number}/"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    "path",
    [
        QUEUE,
        "/staff/konsultasi/faq/",
        "/staff/konsultasi/faq/baru/",
        "{detail}",
    ],
)
def test_only_consultation_officers_get_in(client, ask, officer, verifier, path):
    consultation = ask().consultation
    url = path.format(detail=detail_url(consultation))
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/staff/login/")
    client.force_login(verifier)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("action", ["jawab", "tutup", "usulkan-laporan"])
def test_other_staff_cannot_act_on_a_consultation(client, ask, verifier, action):
    consultation = ask().consultation
    client.force_login(verifier)
    response = client.post(f"{detail_url(consultation)}{action}/", {"text": "x"})
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW
    assert not ConsultationMessage.objects.exists()


def test_an_unknown_consultation_is_not_found(officer_client):
    assert officer_client.get("/staff/konsultasi/KON-2020-99999/").status_code == 404


def test_the_queue_lists_waiting_questions_by_deadline_and_marks_overdue_ones(officer_client, ask):
    late = ask(subject="Honor narasumber").consultation
    recent = ask(subject="Batas pengadaan langsung").consultation
    Consultation.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    page = officer_client.get(QUEUE).content.decode()
    assert page.index(late.number) < page.index(recent.number)
    assert "Honor narasumber" in page  # subjects are decrypted for officers
    assert page.count("badge overdue") == 1 and page.count("badge on_time") == 1
    assert 'aria-current="page"' in page  # shown inside the back office, under "Consultations"


def test_a_question_shows_as_due_soon_on_its_last_working_day(officer_client, ask):
    consultation = ask().consultation
    assert consultation.warn_at < consultation.due_at
    Consultation.objects.filter(pk=consultation.pk).update(
        warn_at=timezone.now() - dt.timedelta(hours=1), due_at=timezone.now() + dt.timedelta(hours=5)
    )
    assert "badge warning" in officer_client.get(QUEUE).content.decode()
    consultation.refresh_from_db()
    assert consultation.deadline_state == "warning"


def test_the_queue_shows_answered_ones_under_their_own_view(officer_client, ask, officer):
    answered = ask(subject="Sudah dijawab").consultation
    services.answer_consultation(answered, text="Jawaban.", actor=officer)
    waiting = officer_client.get(QUEUE).content.decode()
    assert answered.number not in waiting
    assert answered.number in officer_client.get(QUEUE + "?tampil=answered").content.decode()


def test_the_queue_query_count_does_not_grow_with_rows(officer_client, ask, django_assert_max_num_queries):
    for i in range(12):
        ask(subject=f"Pertanyaan {i}")
    with django_assert_max_num_queries(9):  # one of them reads the session's verified second-factor device
        officer_client.get(QUEUE)


def test_an_officer_answers_and_the_deadline_stops(officer_client, ask):
    consultation = ask().consultation
    response = officer_client.post(detail_url(consultation) + "jawab/", {"text": "Wajib ditolak atau dilaporkan."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.due_at is None
    assert consultation.first_answered_at is not None
    message = consultation.messages.get()
    assert message.read_body() == "Wajib ditolak atau dilaporkan."
    assert b"Wajib" not in bytes(message.body)


def test_an_empty_answer_is_explained(officer_client, ask):
    consultation = ask().consultation
    response = officer_client.post(detail_url(consultation) + "jawab/", {"text": ""})
    assert response.status_code == 400
    assert not ConsultationMessage.objects.exists()


def test_officers_see_the_name_given_but_never_the_notice_email(officer_client, ask):
    consultation = ask(identity={"name": "Rahmat Hidayat"}, notice_email="rahmat@example.id").consultation
    page = officer_client.get(detail_url(consultation)).content.decode()
    assert "Rahmat Hidayat" in page
    assert "rahmat@example.id" not in page


def test_closing_ends_the_consultation_and_a_late_answer_is_refused_with_a_message(officer_client, ask, officer):
    consultation = ask().consultation
    officer_client.post(detail_url(consultation) + "tutup/")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    # A colleague whose page was still open answers afterwards.
    response = officer_client.post(detail_url(consultation) + "jawab/", {"text": "Terlambat."}, follow=True)
    assert "someone else acted first" in response.content.decode()
    assert not ConsultationMessage.objects.exists()


def test_every_move_is_checked_against_the_table(ask, officer):
    consultation = ask().consultation
    services.close_consultation(consultation, actor=officer)
    for attempt in (
        lambda: services.answer_consultation(consultation, text="x", actor=officer),
        lambda: services.add_asker_reply(consultation, text="x"),
        lambda: services.close_consultation(consultation, actor=officer),
    ):
        with pytest.raises(services.NotAllowedError):
            attempt()
    assert not ConsultationMessage.objects.exists()


def test_a_reply_before_any_answer_keeps_the_first_deadline(ask):
    consultation = ask().consultation
    first_due = consultation.due_at
    services.add_asker_reply(consultation, text="Tambahan informasi.")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW
    assert consultation.due_at == first_due


@pytest.mark.parametrize("number", ["KON-2026-1", "%00", "KON-2026-00001%00", "x" * 300])
def test_a_malformed_number_is_simply_not_found(officer_client, number):
    assert officer_client.get(f"/staff/konsultasi/{number}/").status_code == 404
    assert officer_client.get(f"/staff/konsultasi/faq/baru/?dari={number}").status_code == 404
