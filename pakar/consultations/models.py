"""Consultations: a question from the public or a civil servant, and its answer.

Like a case, only what officers sort and filter on is stored in the clear
(number, topic, status, dates). The question, the asker's identity, the
messages and the notice e-mail are encrypted with the consultation's own key,
wrapped by the instance key (see :mod:`pakar.vault`).

A published FAQ entry is different: it is text an officer wrote for the
public, so it is stored in the clear.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakar import vault
from pakar.cases.models import ReporterType
from pakar.common.models import BilingualReference, EncryptedMessage
from pakar.workdays.periods import DeadlineState, state_at


class Topic(BilingualReference):
    class Meta(BilingualReference.Meta):
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")


class ConsultationStatus(models.TextChoices):
    NEW = "new", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    ASKER_REPLIED = "asker_replied", _("The asker replied")
    CLOSED = "closed", _("Closed")
    CONVERTED = "converted", _("Turned into a report")


# States in which an officer owes the asker a reply (the queue's default view).
AWAITING_OFFICER = (ConsultationStatus.NEW, ConsultationStatus.ASKER_REPLIED)
OPEN_STATES = (ConsultationStatus.NEW, ConsultationStatus.ANSWERED, ConsultationStatus.ASKER_REPLIED)


class Consultation(models.Model):
    number = models.CharField(_("consultation number"), max_length=20, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("topic"))
    asker_type = models.CharField(_("asker"), max_length=10, choices=ReporterType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.NEW, db_index=True
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("answer due soon from"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    publish_consent = models.BooleanField(_("may be published anonymised"), default=False)

    # Encrypted with the consultation key; that key is wrapped by the instance key.
    wrapped_key = models.BinaryField()
    content = models.BinaryField()
    identity = models.BinaryField(null=True)
    # Readable by the server to send "there is an update" notices; never shown to officers.
    notice_email = models.BinaryField(null=True)

    access_lookup = models.CharField(max_length=64, unique=True)
    asker_public_key = models.BinaryField()

    # An officer may propose that the consultation is really a report; the
    # asker decides on the follow-up page.
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_category = models.ForeignKey(
        "cases.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_party = models.BinaryField(null=True)
    converted_case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="from_consultation"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.number

    # --- decryption helpers (callers decide who may see what) ---------------
    def consultation_key(self) -> bytes:
        cached: bytes | None = getattr(self, "_consultation_key", None)
        if cached is None:
            cached = vault.unwrap_key(bytes(self.wrapped_key))
            self._consultation_key = cached
        return cached

    def read_content(self) -> dict[str, Any]:
        result: dict[str, Any] = vault.decrypt_json(
            self.consultation_key(), bytes(self.content), purpose="consultation.content"
        )
        return result

    def read_identity(self) -> dict[str, str]:
        if self.identity is None:
            return {}
        result: dict[str, str] = vault.decrypt_json(
            self.consultation_key(), bytes(self.identity), purpose="consultation.identity"
        )
        return result

    def read_notice_email(self) -> str:
        """For the notice sender only: no view shows this to an officer."""
        if self.notice_email is None:
            return ""
        return vault.decrypt(
            self.consultation_key(), bytes(self.notice_email), purpose="consultation.notice_email"
        ).decode()

    def read_proposed_party(self) -> dict[str, str]:
        if self.proposed_party is None:
            return {}
        result: dict[str, str] = vault.decrypt_json(
            self.consultation_key(), bytes(self.proposed_party), purpose="consultation.proposed_party"
        )
        return result

    # --- read-only questions --------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def awaits_officer(self) -> bool:
        return self.status in AWAITING_OFFICER

    @property
    def is_overdue(self) -> bool:
        return self.deadline_state == DeadlineState.OVERDUE

    @property
    def deadline_state(self) -> str:
        """On time, due soon (the warning share of the period has passed) or overdue."""
        if not self.awaits_officer:
            return str(DeadlineState.NONE)
        return str(state_at(timezone.now(), self.due_at, self.warn_at))

    @property
    def conversion_pending(self) -> bool:
        return self.proposed_at is not None and self.is_open


class ConsultationMessage(EncryptedMessage):
    class Direction(models.TextChoices):
        TO_ASKER = "to_asker", _("To the asker")
        FROM_ASKER = "from_asker", _("From the asker")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)

    def read_body(self) -> str:
        return vault.decrypt(
            self.consultation.consultation_key(), bytes(self.body), purpose="consultation.message"
        ).decode()

    @property
    def from_asker(self) -> bool:
        return self.direction == self.Direction.FROM_ASKER


class FaqEntry(models.Model):
    """A question and answer an officer rewrote for the public (never the original text)."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="faq_entries", verbose_name=_("topic"))
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    source = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq_entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic__position", "-published_at", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question[:60]
