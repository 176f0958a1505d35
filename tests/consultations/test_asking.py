"""Asking a question: the public form, its receipt and what is stored."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from pakar.consultations.deadlines import answer_due, answer_schedule
from pakar.consultations.models import Consultation, ConsultationStatus

pytestmark = pytest.mark.django_db

URL = "/konsultasi/"
JAKARTA = ZoneInfo("Asia/Jakarta")


def form_data(topics, **overrides):
    data = {
        "topic": str(topics["gratification"].pk),
        "asker_type": "asn",
        "subject": "Parsel dari rekanan",
        "question": "Seorang rekanan mengirim parsel ke rumah saya. Bolehkah saya menerimanya?",
        "name": "",
        "institution": "",
        "phone": "",
        "notice_email": "",
        "publish_consent": "on",
        "form_token": "token-" + overrides.pop("token", "one"),
    }
    data.update(overrides)
    return data


def receipt_code(html: str) -> str:
    found = re.search(r'id="access-code">([\d ]+)<', html)
    assert found, "no access code on the receipt"
    return found.group(1).replace(" ", "")


def test_the_form_lists_every_active_topic(client, topics):
    page = client.get(URL).content.decode()
    for topic in topics.values():
        assert topic.name_en in page


def test_a_question_gets_a_kon_number_and_a_16_digit_code_on_the_receipt(client, topics):
    response = client.post(URL, form_data(topics))
    assert response.status_code == 200
    html = response.content.decode()
    consultation = Consultation.objects.get()
    year = timezone.localdate().year
    assert re.fullmatch(rf"KON-{year}-\d{{5}}", consultation.number)
    assert consultation.number in html
    assert len(receipt_code(html)) == 16
    assert response["Cache-Control"] == "no-store"


def test_numbers_follow_each_other_without_gaps(client, topics):
    client.post(URL, form_data(topics, token="a"))
    client.post(URL, form_data(topics, token="b"))
    numbers = sorted(Consultation.objects.values_list("number", flat=True))
    assert [n[-5:] for n in numbers] == ["00001", "00002"]


def test_the_question_identity_and_notice_email_are_unreadable_in_the_database(client, topics):
    client.post(
        URL,
        form_data(
            topics,
            name="Rahmat Hidayat",
            phone="0812 3456 7890",
            consent="on",
            notice_email="rahmat@example.id",
        ),
    )
    row = Consultation.objects.values().get()
    raw = b"".join(bytes(v) for v in row.values() if isinstance(v, bytes | memoryview))
    for secret in (b"Rahmat", b"parsel", b"rahmat@example.id", b"0812"):
        assert secret not in raw
    consultation = Consultation.objects.get()
    assert consultation.read_identity()["name"] == "Rahmat Hidayat"
    assert consultation.read_notice_email() == "rahmat@example.id"


def test_the_access_code_itself_is_not_stored(client, topics):
    code = receipt_code(client.post(URL, form_data(topics)).content.decode())
    row = Consultation.objects.values().get()
    assert all(code not in str(value) for value in row.values())


def test_an_anonymous_question_stores_no_identity(client, topics):
    client.post(URL, form_data(topics))
    assert Consultation.objects.get().identity is None


def test_a_name_without_consent_is_refused(client, topics):
    response = client.post(URL, form_data(topics, name="Rahmat"))
    assert response.status_code == 400
    assert "consent" in response.content.decode().lower() or "persetujuan" in response.content.decode().lower()
    assert not Consultation.objects.exists()


def test_a_new_question_is_due_five_working_days_after_receipt(ask):
    consultation = ask().consultation
    assert consultation.status == ConsultationStatus.NEW
    assert consultation.due_at == answer_due(consultation.received_at)
    # Due soon once 80% of the period has passed: from the end of the fourth working day.
    assert consultation.warn_at == answer_schedule(consultation.received_at).warn_at < consultation.due_at
    assert consultation.due_at > consultation.received_at + dt.timedelta(days=4)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.datetime(2026, 7, 1, 9, 0, tzinfo=JAKARTA), dt.date(2026, 7, 8)),  # Wednesday: five weekdays later
        (dt.datetime(2026, 7, 4, 9, 0, tzinfo=JAKARTA), dt.date(2026, 7, 13)),  # Saturday counts from Monday
        # Saturday before Chinese New Year: 16 Feb (cuti bersama) and 17 Feb are not working days.
        (dt.datetime(2026, 2, 7, 10, 0, tzinfo=JAKARTA), dt.date(2026, 2, 18)),
    ],
)
def test_the_answer_deadline_counts_working_days_of_the_inspectorate(db, received, due):
    deadline = timezone.localtime(answer_due(received))
    assert deadline.date() == due
    assert (deadline.hour, deadline.minute) == (23, 59)


# --- bad input ---------------------------------------------------------------------


def test_missing_fields_are_each_explained_and_nothing_is_saved(client, topics):
    response = client.post(URL, {"form_token": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="error"') >= 3  # topic, subject, question
    assert 'id="errors"' in html
    assert not Consultation.objects.exists()


def test_a_100_kb_question_is_refused_with_a_clear_error(client, topics):
    response = client.post(URL, form_data(topics, question="a" * 100_000))
    assert response.status_code == 400
    assert "20000" in response.content.decode() or "20.000" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_question_that_is_not_valid_utf8_is_refused(client, topics):
    body = (
        f"topic={topics['gratification'].pk}&asker_type=asn&subject=Parsel&form_token=t&question=caf%C3%28"
    ).encode()
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode() or "tidak dapat dibaca" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_post_without_the_csrf_token_is_refused_with_an_explanation(topics):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, form_data(topics))
    assert response.status_code == 403
    assert "<h1>" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_form_sent_twice_is_saved_once_and_says_so(client, topics):
    first = client.post(URL, form_data(topics, token="same"))
    second = client.post(URL, form_data(topics, token="same"))
    assert first.status_code == 200
    assert second.status_code == 409
    assert 'id="access-code"' not in second.content.decode()
    assert Consultation.objects.count() == 1


def test_too_many_questions_from_one_connection_are_refused(client, topics, settings):
    settings.PAKAR_CONSULTATION_ASK_LIMIT = 2
    statuses = [client.post(URL, form_data(topics, token=str(i))).status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    assert Consultation.objects.count() == 2
