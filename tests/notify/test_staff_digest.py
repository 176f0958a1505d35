"""The daily staff digest: counts only, and the audit head it publishes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.services import head
from pakar.cases.models import Case
from pakar.notify import tasks
from pakar.notify.models import Notice
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import make_case, make_user

pytestmark = pytest.mark.django_db


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_the_digest_mails_each_staff_member_their_counts_and_the_published_audit_head(smtp, category, unit, staff):
    ivan = with_email(staff["investigator"], "ivan@inspektorat.example.go.id")
    with_email(staff["verifier"], "vera@inspektorat.example.go.id")
    overdue = make_case(category, unit)
    now = timezone.now()
    Case.objects.filter(pk=overdue.pk).update(assignee=ivan, next_deadline=now - dt.timedelta(days=1))
    before = head()

    out = io.StringIO()
    call_command("send_staff_digest", stdout=out)

    assert out.getvalue().strip() == "sent=2 pending=0 failed=0"
    by_address = {mail.recipients[0]: mail for mail in smtp.mails}
    assert set(by_address) == {"ivan@inspektorat.example.go.id", "vera@inspektorat.example.go.id"}
    assert "melewati tenggat: 1" in by_address["ivan@inspektorat.example.go.id"].body
    assert "melewati tenggat: 0" in by_address["vera@inspektorat.example.go.id"].body
    for mail in smtp.mails:
        assert f"Kepala log audit: {before.sequence}:{before.digest}" in mail.body  # staff read Indonesian by default
        assert overdue.number not in mail.body
    published = AuditEntry.objects.get(event=int(AuditEvent.AUDIT_HEAD_PUBLISHED))
    assert published.data == {"head": str(before)}
    assert published.actor is None
    assert published.sequence == before.sequence + 1


def test_staff_without_an_email_or_inactive_get_no_digest(smtp, staff):
    gone = with_email(make_user("gone"), "gone@inspektorat.example.go.id")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    call_command("send_staff_digest", stdout=io.StringIO())
    assert smtp.mails == []
    assert not Notice.objects.exists()
    assert AuditEntry.objects.filter(event=int(AuditEvent.AUDIT_HEAD_PUBLISHED)).count() == 1


def test_a_digest_retried_later_still_shows_the_head_that_was_published(smtp, staff):
    with_email(staff["verifier"], "vera@inspektorat.example.go.id")
    smtp.stop()
    published = head()
    call_command("send_staff_digest", stdout=io.StringIO())
    notice = Notice.objects.get(kind=Notice.Kind.STAFF_DIGEST)
    assert notice.status == Notice.State.PENDING and notice.attempts == 1

    smtp.start()
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notices", stdout=io.StringIO())
    [mail] = smtp.mails
    assert f"Kepala log audit: {published}" in mail.body


def test_the_daily_digest_is_scheduled_once_for_the_next_morning():
    out = io.StringIO()
    call_command("send_staff_digest", "--schedule", stdout=out)
    call_command("send_staff_digest", "--schedule", stdout=out)
    assert out.getvalue().splitlines() == ["daily digest scheduled", "daily digest already scheduled"]
    [queued] = DBTaskResult.objects.filter(task_path=tasks.send_staff_digest_task.module_path)
    assert timezone.now() < queued.run_after <= timezone.now() + dt.timedelta(days=1)
    assert timezone.localtime(queued.run_after).time() == tasks.DIGEST_AT


def test_the_daily_task_sends_the_digest_and_queues_tomorrows_run(smtp, staff):
    with_email(staff["verifier"], "vera@inspektorat.example.go.id")
    assert tasks.send_staff_digest_task.call() == {"sent": 1, "pending": 0, "failed": 0}
    assert len(smtp.mails) == 1
    assert DBTaskResult.objects.filter(task_path=tasks.send_staff_digest_task.module_path).count() == 1
