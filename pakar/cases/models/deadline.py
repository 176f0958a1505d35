"""The clocks running on a case, each stored with its unit, its pauses and how it ended."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar.cases.models.case import Case
from pakar.workdays.periods import PeriodUnit


class CaseDeadline(models.Model):
    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("Administrative verification")
        WAIT = "wait", _("Waiting for the reporter's answer")
        HANDLING = "handling", _("Handling after verification")
        AUTO_CLOSE = "auto_close", _("Reporter's response to the conclusion")
        MONITORING = "monitoring", _("Monitoring of the recommendation")

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Ended")
        CANCELLED = "cancelled", _("No longer needed")
        EXPIRED = "expired", _("Expired")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    unit = models.CharField(max_length=14, choices=PeriodUnit.choices, default=PeriodUnit.WORKING_DAYS)
    amount = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    warn_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    paused_at = models.DateTimeField(null=True, blank=True)
    # What was left when paused: whole working days for working-day clocks, seconds otherwise.
    remaining = models.PositiveIntegerField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["state", "kind", "due_at"], name="deadline_due_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.state}"

    @property
    def met_in_time(self) -> bool | None:
        if self.stopped_at is None or self.state != self.State.MET:
            return None
        return self.stopped_at <= self.due_at
