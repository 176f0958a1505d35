"""What the worker does on the clock: let reports lapse when the reporter did
not answer in time, and close concluded cases the reporter did not respond to.

Safe to run from several workers at once: each move is a compare-and-set, so a
case another worker (or a person) moved first is simply skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pakar.cases.models import CaseDeadline, RejectionReason, Status
from pakar.cases.workflow import SYSTEM, WorkflowError, transition_case

# A clock that ran out, the status the case must still be in, and where it goes.
EXPIRIES = [
    (CaseDeadline.Kind.WAIT, Status.NEEDS_INFO, Status.REJECTED, {"system_reason": RejectionReason.LAPSED}),
    (CaseDeadline.Kind.AUTO_CLOSE, Status.CONCLUDED, Status.CLOSED, {}),
]


@dataclass
class SweepResult:
    lapsed: int = 0
    closed: int = 0


def run_deadlines(*, now: dt.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    for kind, status, target, data in EXPIRIES:
        expired = CaseDeadline.objects.filter(
            kind=kind, state=CaseDeadline.State.RUNNING, due_at__lt=now, case__status=status
        ).select_related("case")
        for clock in expired.iterator(chunk_size=200):
            try:
                transition_case(clock.case, target, actor=SYSTEM, data=data, now=now)
            except WorkflowError:
                continue  # moved meanwhile by someone else; nothing to do
            if target == Status.REJECTED:
                result.lapsed += 1
            else:
                result.closed += 1
    return result
