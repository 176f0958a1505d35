"""Queueing and sending notices (see :mod:`pakar.notify.models`).

Callers queue inside their own transaction; the send task is enqueued only
once that transaction commits, so a rolled-back change never mails anyone.
A notice that cannot be sent is retried with growing delays and, after
``MAX_ATTEMPTS``, marked failed; ``manage.py send_pending_notices`` sends any
due notice the worker missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from pakar import vault
from pakar.accounts.models import User
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.services import head, record
from pakar.cases.models import TERMINAL_STATUSES, Case, Status
from pakar.consultations.models import Consultation
from pakar.notify.models import Notice

MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
# Reporters and askers are anonymous to PAKAR, so their language is unknown.
PUBLIC_LANGUAGES = ("id", "en")


class NoAddressError(Exception):
    """The case or consultation no longer has a notice address (e.g. it was erased)."""


# --- queueing --------------------------------------------------------------------


def queue_status_update(case: Case, old: str, new: str, *, by_reporter: bool = False) -> Notice | None:
    """Tell the reporter when the status they see changes, unless they made the change themselves."""
    if by_reporter or Status(old).public_label == Status(new).public_label:
        return None
    return queue_reporter_update(case)


def queue_reporter_update(case: Case) -> Notice | None:
    if case.notice_email is None:
        return None
    return _queue(Notice.Kind.REPORTER_UPDATE, case=case)


def queue_asker_update(consultation: Consultation) -> Notice | None:
    if consultation.notice_email is None:
        return None
    return _queue(Notice.Kind.ASKER_UPDATE, consultation=consultation)


def _queue(kind: str, **target: object) -> Notice | None:
    if Notice.objects.filter(kind=kind, status=Notice.State.PENDING, **target).exists():
        return None
    now = timezone.now()
    try:
        # A savepoint, so losing a race to a concurrent update leaves the caller's transaction usable.
        with transaction.atomic():
            notice = Notice.objects.create(kind=kind, created_at=now, next_attempt_at=now, **target)
    except IntegrityError:
        return None
    _enqueue_on_commit(notice)
    return notice


def _enqueue_on_commit(notice: Notice) -> None:
    from pakar.notify.tasks import send_notice

    notice_id, run_after = notice.pk, notice.next_attempt_at
    transaction.on_commit(lambda: send_notice.using(run_after=run_after).enqueue(notice_id))


# --- sending ---------------------------------------------------------------------


def deliver_notice(notice_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one pending notice; return its status afterwards ("" when it was not pending)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock keeps the worker and the cron command from sending the same notice twice.
        notice = Notice.objects.select_for_update().filter(pk=notice_id, status=Notice.State.PENDING).first()
        if notice is None:
            return ""
        try:
            recipient, subject, body = compose(notice)
            send_mail(subject, body, None, [recipient], using="default")
        except NoAddressError:
            _finish(notice, Notice.State.FAILED, error="NoAddress", now=now)
        except Exception as error:  # noqa: BLE001 - any transport error is retried, never lost
            _retry_later(notice, error, now=now)
        else:
            _finish(notice, Notice.State.SENT, error="", now=now)
    return notice.status


def send_due_notices(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    due = Notice.objects.filter(status=Notice.State.PENDING, next_attempt_at__lte=now).order_by("pk")
    counts = {"sent": 0, "pending": 0, "failed": 0}
    for notice_id in list(due.values_list("pk", flat=True)):
        status = deliver_notice(notice_id, now=now)
        if status:
            counts[status] += 1
    return counts


def backoff(attempts: int) -> dt.timedelta:
    """1, 5, 25, 125 minutes… after the first, second, third… failure, capped."""
    factor: int = 5 ** max(attempts - 1, 0)
    return min(BACKOFF_BASE * factor, BACKOFF_CAP)


def _retry_later(notice: Notice, error: Exception, *, now: dt.datetime) -> None:
    notice.attempts += 1
    notice.last_error = type(error).__name__[:100]
    if notice.attempts >= MAX_ATTEMPTS:
        notice.status = Notice.State.FAILED
        notice.next_attempt_at = None
    else:
        notice.next_attempt_at = now + backoff(notice.attempts)
    notice.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    if notice.status == Notice.State.PENDING:
        _enqueue_on_commit(notice)


def _finish(notice: Notice, status: str, *, error: str, now: dt.datetime) -> None:
    notice.status = status
    notice.last_error = error
    notice.next_attempt_at = None
    if status == Notice.State.SENT:
        notice.attempts += 1
        notice.sent_at = now
    notice.save(update_fields=["status", "last_error", "next_attempt_at", "attempts", "sent_at"])


def failed_count() -> int:
    return Notice.objects.filter(status=Notice.State.FAILED).count()


def outbox_health() -> dict[str, int]:
    """Failed notices, and pending ones that have failed at least once."""
    waiting = Notice.objects.filter(status=Notice.State.PENDING, attempts__gt=0).count()
    return {"failed": failed_count(), "waiting": waiting}


# --- the messages ----------------------------------------------------------------


def compose(notice: Notice) -> tuple[str, str, str]:
    """(recipient, subject, body) for a notice, read and written at send time."""
    if notice.kind == Notice.Kind.REPORTER_UPDATE:
        assert notice.case is not None
        address = _case_address(notice.case)
        return address, *_public_message(_reporter_text, "public:followup_login")
    if notice.kind == Notice.Kind.ASKER_UPDATE:
        assert notice.consultation is not None
        address = notice.consultation.read_notice_email() if notice.consultation.notice_email is not None else ""
        if not address:
            raise NoAddressError
        return address, *_public_message(_asker_text, "consultations:followup_login")
    assert notice.staff is not None
    return _staff_digest(notice.staff)


def _case_address(case: Case) -> str:
    if case.notice_email is None:
        raise NoAddressError
    return vault.decrypt(case.case_key(), bytes(case.notice_email), purpose="case.notice_email").decode()


def _public_message(text: Callable[[str], tuple[str, str]], url_name: str) -> tuple[str, str]:
    """Indonesian first, then English, in one message: no case number, no content, no status."""
    url = settings.PAKAR_PUBLIC_URL.rstrip("/") + reverse(url_name)
    subjects, bodies = [], []
    for language in PUBLIC_LANGUAGES:
        with translation.override(language):
            subject, body = text(url)
        subjects.append(subject)
        bodies.append(body)
    # Until a text is translated both versions are the same; say it once.
    return " / ".join(dict.fromkeys(subjects)), "\n\n----------\n\n".join(dict.fromkeys(bodies)) + "\n"


def _reporter_text(url: str) -> tuple[str, str]:
    return gettext("Your report has an update"), gettext(
        "There is an update on the report you made through PAKAR.\n\n"
        "To read it, open %(url)s and enter your access code.\n\n"
        "For your safety this e-mail says nothing about the report itself. "
        "If you did not make a report, you can ignore this message."
    ) % {"url": url}


def _asker_text(url: str) -> tuple[str, str]:
    return gettext("Your consultation has an update"), gettext(
        "There is an update on the question you asked through PAKAR.\n\n"
        "To read it, open %(url)s and enter your access code.\n\n"
        "For your safety this e-mail says nothing about the question itself. "
        "If you did not ask a question, you can ignore this message."
    ) % {"url": url}


# --- the daily staff digest --------------------------------------------------------


def queue_staff_digest() -> list[Notice]:
    """Publish the audit head and queue a digest for every active staff member with an e-mail."""
    with transaction.atomic():
        published = head()
        now = timezone.now()
        staff = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
        notices = [
            Notice.objects.create(kind=Notice.Kind.STAFF_DIGEST, staff=user, created_at=now, next_attempt_at=now)
            for user in staff
        ]
        record(AuditEvent.AUDIT_HEAD_PUBLISHED, actor=None, data={"head": str(published)})
    return notices


def send_staff_digest() -> dict[str, int]:
    counts = {"sent": 0, "pending": 0, "failed": 0}
    for notice in queue_staff_digest():
        status = deliver_notice(notice.pk)
        if status:
            counts[status] += 1
    return counts


def published_head() -> str:
    """The head named by the latest publication: a retried digest shows the head that was recorded."""
    entry = AuditEntry.objects.filter(event=int(AuditEvent.AUDIT_HEAD_PUBLISHED)).order_by("-sequence").first()
    return str(entry.data.get("head", "")) if entry is not None else str(head())


def deadline_counts(user: User, *, now: dt.datetime | None = None) -> dict[str, int]:
    """The user's open cases past their deadline or in the warning period (paused ones excluded)."""
    now = now or timezone.now()
    paused_or_done = [*TERMINAL_STATUSES, Status.NEEDS_INFO]
    running = Case.objects.filter(assignee=user, next_deadline__isnull=False).exclude(status__in=paused_or_done)
    return {
        "overdue": running.filter(next_deadline__lt=now).count(),
        "due_soon": running.filter(next_deadline__gte=now, deadline_warn_at__lte=now).count(),
    }


def _staff_digest(user: User) -> tuple[str, str, str]:
    counts = deadline_counts(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = gettext("PAKAR daily digest")
        body = gettext(
            "Your open cases past their deadline: %(overdue)d\n"
            "Your open cases due soon: %(due_soon)d\n\n"
            "Audit log head: %(head)s\n"
            "Keep this line: comparing it with a later log shows whether past entries were changed."
        ) % {**counts, "head": published_head()}
    return user.email, subject, body + "\n"
