"""A case (one report) and what hangs off it.

Only what staff must filter and sort on is stored in the clear: number,
status, channel, category, unit, dates. Everything a reporter wrote — the
narrative, the reported party, their identity, messages, file names and
bytes — is encrypted with the case's own key (see :mod:`pakar.vault`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakar import vault
from pakar.cases.models.choices import (
    TERMINAL_STATUSES,
    ActorKind,
    Channel,
    DeadlineClass,
    IdentityMode,
    ReporterType,
    Status,
)
from pakar.common.models import EncryptedMessage


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    reporter_type = models.CharField(_("reporter type"), max_length=10, choices=ReporterType.choices)
    identity_mode = models.CharField(_("identity mode"), max_length=14, choices=IdentityMode.choices)
    category = models.ForeignKey("cases.Category", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    received_at = models.DateTimeField(_("received"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Encrypted with the case key; the case key is wrapped by the instance key.
    wrapped_key = models.BinaryField()
    content = models.BinaryField()
    identity = models.BinaryField(null=True)
    notice_email = models.BinaryField(null=True)

    # Follow-up access: only the Argon2id-derived lookup value is stored.
    access_lookup = models.CharField(max_length=64, unique=True)
    reporter_public_key = models.BinaryField()

    # Compare-and-set counter: every write to the case row checks and bumps it,
    # so of two staff acting at once exactly one wins (see pakar.cases.workflow).
    version = models.PositiveIntegerField(default=0)
    # The nearest running deadline and when its warning starts, kept in step with
    # CaseDeadline by pakar.cases.deadlines so the inbox can sort and filter on them.
    next_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    deadline_warn_at = models.DateTimeField(null=True, blank=True)
    deadline_class = models.CharField(
        _("deadline class"), max_length=12, choices=DeadlineClass.choices, blank=True, default=""
    )
    assigned_team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("team")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("handler"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The inbox sorts by the next deadline under each of its filters.
        indexes = [
            models.Index(fields=["next_deadline", "id"], name="case_deadline_idx"),
            models.Index(fields=["status", "next_deadline", "id"], name="case_status_deadline_idx"),
            models.Index(fields=["assigned_team", "next_deadline", "id"], name="case_team_deadline_idx"),
            models.Index(fields=["assignee", "next_deadline", "id"], name="case_assignee_deadline_idx"),
            models.Index(fields=["unit", "next_deadline", "id"], name="case_unit_deadline_idx"),
            models.Index(fields=["category", "next_deadline", "id"], name="case_category_deadline_idx"),
            models.Index(fields=["recorded_by", "next_deadline", "id"], name="case_recorder_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    # --- decryption helpers (callers decide who may see what) ---------------
    def case_key(self) -> bytes:
        cached: bytes | None = getattr(self, "_case_key", None)
        if cached is None:
            cached = vault.unwrap_key(bytes(self.wrapped_key))
            self._case_key = cached
        return cached

    def read_content(self) -> dict[str, Any]:
        result: dict[str, Any] = vault.decrypt_json(self.case_key(), bytes(self.content), purpose="case.content")
        return result

    def read_identity(self) -> dict[str, Any] | None:
        """The identity handlers may read: open mode only. A confidential
        identity is sealed to custodians and the reporter (pakar.identity)."""
        if self.identity is None or self.identity_mode != IdentityMode.OPEN:
            return None
        result: dict[str, Any] = vault.decrypt_json(self.case_key(), bytes(self.identity), purpose="case.identity")
        return result

    @property
    def public_status(self) -> str:
        return str(Status(self.status).public_label)

    @property
    def deadline_state(self) -> str:
        """on_time / warning / overdue / paused / none, for the badge staff see."""
        from pakar.workdays.periods import DeadlineState, state_at

        if self.status == Status.NEEDS_INFO and self.next_deadline is not None:
            return str(DeadlineState.PAUSED)
        return state_at(timezone.now(), self.next_deadline, self.deadline_warn_at)

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL_STATUSES


class StatusChange(models.Model):
    """One step of the case's timeline; the reporter sees these with public labels."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices, default=ActorKind.STAFF)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def public_label(self) -> str:
        return str(Status(self.to_status).public_label)


class Message(EncryptedMessage):
    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("To the reporter")
        FROM_REPORTER = "from_reporter", _("From the reporter")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=14, choices=Direction.choices)

    def read_body(self) -> str:
        return vault.decrypt(self.case.case_key(), bytes(self.body), purpose="case.message").decode()


class Evidence(models.Model):
    """An uploaded file. Name, type, size and digest are encrypted metadata."""

    class Source(models.TextChoices):
        REPORT = "report", _("With the report")
        FOLLOW_UP = "follow_up", _("Added by the reporter later")
        STAFF = "staff", _("Added by staff")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    storage_name = models.CharField(max_length=80, unique=True)
    wrapped_file_key = models.BinaryField()
    meta = models.BinaryField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REPORT)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.storage_name

    def file_key(self) -> bytes:
        return vault.decrypt(self.case.case_key(), bytes(self.wrapped_file_key), purpose="evidence.key")

    def read_meta(self) -> dict[str, Any]:
        result: dict[str, Any] = vault.decrypt_json(self.case.case_key(), bytes(self.meta), purpose="evidence.meta")
        return result
