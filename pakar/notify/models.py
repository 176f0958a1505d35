"""The outbox of e-mail notices.

A row says only *that* someone must be told something: it holds neither an
address nor any text. The address is decrypted and the message written at
send time, so a leaked outbox reveals nothing about reporters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Kind(models.TextChoices):
        REPORTER_UPDATE = "reporter_update", _("Update for a reporter")
        ASKER_UPDATE = "asker_update", _("Update for a consultation asker")
        STAFF_DIGEST = "staff_digest", _("Daily staff digest")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        "consultations.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The class of the error only (e.g. "SMTPConnectError"), never a message that could quote an address.
    last_error = models.CharField(_("last error"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            # One waiting notice per case or consultation: a later update rides along with it.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending", kind="reporter_update"),
                name="notify_one_pending_per_case",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(status="pending", kind="asker_update"),
                name="notify_one_pending_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
