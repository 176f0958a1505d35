"""The consultation's answer deadline, in the inspectorate's working days.

The calendar (weekends, national holidays, cuti bersama, an administrator's
changes) and the warning share are pakar.workdays'; the number of days is a
setting, 5 by default (domain-rules.md, "consultation answer").
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.models import DeadlineSettings
from pakar.workdays.periods import Period, PeriodUnit, Schedule, schedule


def answer_days() -> int:
    return int(getattr(settings, "PAKAR_CONSULTATION_ANSWER_DAYS", 5))


def answer_schedule(moment: datetime) -> Schedule:
    """When the answer to a question received at ``moment`` is due (the end of the
    last working day of the period) and from when it shows as due soon (the
    administrator's warning share of the period, 80% by default)."""
    calendar = WorkingCalendar.load(timezone.localdate(moment))
    period = Period(answer_days(), PeriodUnit.WORKING_DAYS)
    return schedule(moment, period, DeadlineSettings.current().warning_percent, calendar)


def answer_due(moment: datetime) -> datetime:
    return answer_schedule(moment).due_at
