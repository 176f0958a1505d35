"""The consultation's answer deadline, in the inspectorate's working days.

The calendar (weekends, national holidays, cuti bersama, an administrator's
changes) is pakar.workdays'; the number of days is a setting, 5 by default
(domain-rules.md, "consultation answer").
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.periods import PeriodUnit, due_after


def answer_days() -> int:
    return int(getattr(settings, "PAKAR_CONSULTATION_ANSWER_DAYS", 5))


def answer_due(moment: datetime) -> datetime:
    """The end of the last working day of the answer period that starts at ``moment``."""
    calendar = WorkingCalendar.load(timezone.localdate(moment))
    return due_after(moment, answer_days(), PeriodUnit.WORKING_DAYS, calendar)
