"""Notices to reporters and askers: queued with the change, mailed over real SMTP, retried, never lost."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from pakar.cases import services
from pakar.cases.models import Case, Status
from pakar.cases.workflow import transition_case
from pakar.consultations import services as consultation_services
from pakar.notify import services as notify
from pakar.notify.models import Notice
from pakar.notify.tasks import send_notice
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare
from tests.cases.support import report_input

pytestmark = pytest.mark.django_db

ADDRESS = "siti.aminah@example.org"
STAFF_TEXT = "Mohon kirimkan foto kuitansi pembayaran"


def reported(category, unit, notice_email: str = ADDRESS) -> Case:
    data = dataclasses.replace(report_input(category, unit), notice_email=notice_email)
    return services.submit_report(data).case


def pending(case: Case) -> Notice:
    return Notice.objects.get(case=case, status=Notice.State.PENDING)


def queued_sends() -> int:
    return DBTaskResult.objects.filter(task_path=send_notice.module_path).count()


def make_due(notice: Notice) -> None:
    """As if the back-off delay had passed."""
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_staff_message_mails_the_reporter_a_pointer_and_nothing_about_the_case(
    smtp, category, unit, staff, django_capture_on_commit_callbacks
):
    case = reported(category, unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    assert queued_sends() == 1

    notice = pending(case)
    assert send_notice.call(notice.pk) == Notice.State.SENT

    assert len(smtp.mails) == 1
    mail = smtp.mails[0]
    assert mail.recipients == [ADDRESS]
    assert mail.sender == "pakar@inspektorat.example.go.id"
    for secret in (case.number, "Biaya tambahan untuk KTP", "Petugas meminta", "Disdukcapil", STAFF_TEXT):
        assert secret not in mail.body
        assert secret not in mail.subject
    assert "https://pakar.example.go.id/pantau/masuk/" in mail.body
    assert "access code" in mail.body
    for language in ("id", "en"):
        with translation.override(language):
            assert str(Status(case.status).public_label) not in mail.body
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (Notice.State.SENT, 1, "")
    assert notice.sent_at is not None


def test_the_outbox_row_holds_no_address(category, unit, staff):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    stored = " ".join(str(value) for value in Notice.objects.values().get())
    assert ADDRESS not in stored
    assert "siti" not in stored


def test_a_reporter_who_gave_no_email_gets_no_notice(category, unit, staff):
    case = reported(category, unit, notice_email="")
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    assert not Notice.objects.exists()


def test_further_updates_ride_on_the_notice_that_is_still_waiting(category, unit, staff):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    services.send_message_to_reporter(case, text="Satu lagi", actor=staff["verifier"])
    assert Notice.objects.filter(case=case).count() == 1


def test_a_status_change_the_reporter_sees_queues_a_notice(category, unit, staff, django_capture_on_commit_callbacks):
    case = reported(category, unit)
    declare(case, staff["verifier"])
    with django_capture_on_commit_callbacks(execute=True):
        transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    assert pending(case).kind == Notice.Kind.REPORTER_UPDATE
    assert queued_sends() == 1


def test_a_message_whose_transaction_rolls_back_queues_nothing(
    category, unit, staff, django_capture_on_commit_callbacks
):
    case = reported(category, unit)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
        raise RuntimeError
    assert not Notice.objects.exists()
    assert queued_sends() == 0


def test_when_the_mail_server_is_down_the_notice_waits_with_growing_delays_and_is_sent_later(
    smtp, category, unit, staff
):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    notice = pending(case)
    smtp.stop()

    before = timezone.now()
    assert notify.deliver_notice(notice.pk) == Notice.State.PENDING
    notice.refresh_from_db()
    assert notice.attempts == 1
    assert notice.last_error == "ConnectionRefusedError"
    assert before + dt.timedelta(minutes=1) <= notice.next_attempt_at <= timezone.now() + dt.timedelta(minutes=1)

    make_due(notice)
    notify.deliver_notice(notice.pk)
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert notice.next_attempt_at >= timezone.now() + dt.timedelta(minutes=4)

    call_command("send_pending_notices", stdout=open("/dev/null", "w"))  # not due yet: nothing happens
    notice.refresh_from_db()
    assert notice.attempts == 2

    smtp.start()
    make_due(notice)
    call_command("send_pending_notices", stdout=open("/dev/null", "w"))
    notice.refresh_from_db()
    assert notice.status == Notice.State.SENT
    assert [mail.recipients for mail in smtp.mails] == [[ADDRESS]]


def test_a_notice_that_keeps_failing_is_marked_failed_and_counted(smtp, category, unit, staff):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    notice = pending(case)
    smtp.stop()
    for _ in range(notify.MAX_ATTEMPTS):
        make_due(notice)
        notify.send_due_notices()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.next_attempt_at) == (Notice.State.FAILED, notify.MAX_ATTEMPTS, None)
    assert notify.failed_count() == 1
    # A failed notice no longer blocks a new one for the next update.
    services.send_message_to_reporter(case, text="Lagi", actor=staff["verifier"])
    assert pending(case).attempts == 0


def test_back_off_grows_five_fold_and_is_capped():
    minutes = [notify.backoff(n) / dt.timedelta(minutes=1) for n in range(1, 8)]
    assert minutes[:4] == [1, 5, 25, 125]
    assert max(minutes) == notify.BACKOFF_CAP / dt.timedelta(minutes=1)


def test_an_answer_to_an_asker_mails_a_pointer_to_the_consultation_page(smtp, ask, staff):
    question = "Bolehkah saya menerima parsel dari rekanan kantor?"
    receipt = ask(question, notice_email="asker@example.org")
    consultation = receipt.consultation
    consultation_services.answer_consultation(
        consultation, text="Tidak boleh, laporkan ke UPG", actor=staff["consultation"]
    )
    notice = Notice.objects.get(consultation=consultation)
    assert notify.deliver_notice(notice.pk) == Notice.State.SENT
    [mail] = smtp.mails
    assert mail.recipients == ["asker@example.org"]
    assert "https://pakar.example.go.id/konsultasi/pantau/masuk/" in mail.body
    for secret in (question, "Parsel lebaran", "Tidak boleh", consultation.number, receipt.access_code):
        assert secret not in mail.body


def test_an_asker_without_an_email_gets_no_notice(ask, staff):
    consultation = ask().consultation
    consultation_services.answer_consultation(consultation, text="Tidak boleh", actor=staff["consultation"])
    assert not Notice.objects.exists()


def test_the_reporters_own_reply_that_resumes_the_case_does_not_mail_them(category, unit, staff):
    case = reported(category, unit)
    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(case, Status.NEEDS_INFO, actor=staff["verifier"], data={"question": "Kapan tepatnya?"})
    Notice.objects.filter(case=case).update(status=Notice.State.SENT)

    services.add_reporter_reply(case, text="Senin, 3 Maret", files=[])

    assert Case.objects.get(pk=case.pk).status == Status.VERIFICATION
    assert not Notice.objects.filter(case=case, status=Notice.State.PENDING).exists()


def test_the_administration_page_counts_failed_and_waiting_notices(smtp, client, category, unit, staff):
    first, second = reported(category, unit), reported(category, unit)
    for case in (first, second):
        services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    smtp.stop()
    notify.send_due_notices()
    Notice.objects.filter(case=first).update(status=Notice.State.FAILED)

    client.force_login(staff["administrator"])
    page = client.get(reverse("backoffice:admin_index")).text

    assert "1 notice could not be sent after every retry." in page
    assert "1 notice is waiting to be retried." in page
