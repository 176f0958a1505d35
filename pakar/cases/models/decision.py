"""Decisions taken on a case: the data each workflow move requires, and what
the reporter answers (rating, objection).

Codes a report or filter needs (reason, referral target, deadline class,
outcome, sanction class, rating) are stored in the clear; every free text is
encrypted with the case key, bound to its field by the purpose label.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar import vault
from pakar.cases.models.case import Case, StatusChange
from pakar.cases.models.choices import (
    DeadlineClass,
    Outcome,
    ReferralTarget,
    RejectionReason,
    SanctionClass,
)


class Decision(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question to the reporter")
        REJECTION = "rejection", _("Rejection")
        REFERRAL = "referral", _("Referral")
        CLASSIFICATION = "classification", _("Classification")
        CONCLUSION = "conclusion", _("Conclusion")
        MERGE = "merge", _("Merge")
        RATING = "rating", _("Satisfaction rating")
        OBJECTION = "objection", _("Objection")
        CLOSURE = "closure", _("Closure")

    class ProposalState(models.TextChoices):
        NONE = "", _("Not a proposal")
        PENDING = "pending", _("Awaiting the inspector's approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for more work")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status_change = models.ForeignKey(
        StatusChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(db_index=True)

    reason = models.CharField(_("reason"), max_length=16, choices=RejectionReason.choices, blank=True)
    referral_target = models.CharField(_("referred to"), max_length=12, choices=ReferralTarget.choices, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=80, blank=True)
    destination = models.CharField(_("receiving office"), max_length=200, blank=True)
    deadline_class = models.CharField(_("deadline class"), max_length=12, choices=DeadlineClass.choices, blank=True)
    outcome = models.CharField(_("result"), max_length=12, choices=Outcome.choices, blank=True)
    sanction = models.CharField(_("recommended sanction"), max_length=8, choices=SanctionClass.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    merged_into = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    state = models.CharField(max_length=10, choices=ProposalState.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    # Internal text (findings, a comment) and text meant for the reporter
    # (a question, an explanation, the summary of a conclusion, an objection).
    internal_text = models.BinaryField(null=True)
    reporter_text = models.BinaryField(null=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "kind", "created_at"], name="decision_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def _purpose(self, part: str) -> str:
        return f"case.decision.{self.kind}.{part}"

    def set_texts(self, *, internal: str = "", reporter: str = "") -> None:
        key = self.case.case_key()
        self.internal_text = (
            vault.encrypt(key, internal.encode(), purpose=self._purpose("internal")) if internal else None
        )
        self.reporter_text = (
            vault.encrypt(key, reporter.encode(), purpose=self._purpose("reporter")) if reporter else None
        )

    def read_internal(self) -> str:
        if self.internal_text is None:
            return ""
        return vault.decrypt(
            self.case.case_key(), bytes(self.internal_text), purpose=self._purpose("internal")
        ).decode()

    def read_reporter_text(self) -> str:
        if self.reporter_text is None:
            return ""
        return vault.decrypt(
            self.case.case_key(), bytes(self.reporter_text), purpose=self._purpose("reporter")
        ).decode()
