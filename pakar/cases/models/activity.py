"""What happens around a case besides status moves: who opened it, internal
notes, conflict-of-interest declarations and other events of its timeline.

Events hold codes and identifiers only — never case text — so the audit trail
can take them over as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar import vault
from pakar.cases.models.case import Case
from pakar.cases.models.choices import ActorKind


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        NOTE_ADDED = "note_added", _("Internal note added")
        MESSAGE_SENT = "message_sent", _("Message sent to the reporter")
        REPORTER_REPLIED = "reporter_replied", _("Reporter replied")
        CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
        NO_CONFLICT_DECLARED = "no_conflict", _("No conflict of interest declared")
        CONCLUSION_PROPOSED = "conclusion_proposed", _("Conclusion proposed")
        CONCLUSION_RETURNED = "conclusion_returned", _("Conclusion returned for more work")
        DUPLICATE_MERGED = "duplicate_merged", _("A duplicate report was merged into this case")
        RATED = "rated", _("Reporter rated the handling")
        EVIDENCE_DOWNLOADED = "evidence_downloaded", _("Evidence downloaded")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices, default=ActorKind.STAFF)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseView(models.Model):
    """One opening of a case page by a staff member."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "user"], name="caseview_case_user_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"


class InternalNote(models.Model):
    """A note among staff; never shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    body = models.BinaryField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} note {self.pk}"

    def read_body(self) -> str:
        return vault.decrypt(self.case.case_key(), bytes(self.body), purpose="case.note").decode()


class ConflictDeclaration(models.Model):
    """A handler's statement, made before first opening a case, on a conflict of interest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflict_declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations")
    has_conflict = models.BooleanField()
    at = models.DateTimeField()
    # Why there is a conflict (encrypted; optional).
    reason = models.BinaryField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "case"], name="one_declaration_per_user_and_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.has_conflict}"
