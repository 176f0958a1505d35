"""Deadline arithmetic in the three units the rules use: working days,
calendar days and clock hours, with pauses.

Day-based deadlines fall due at the end of their last day in the office's time
zone, so they show to staff and reporters as a date. A pause keeps what was
left of the period; a resume gives back exactly that much, counted from the
resume.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakar.workdays.calendar import WorkingCalendar

END_OF_DAY = dt.time(23, 59, 59)


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str = PeriodUnit.WORKING_DAYS

    def warning_tail(self, warning_percent: int) -> int:
        """How much of the period is left when the warning starts, in the period's unit.

        The warning starts once ``warning_percent`` of the period has passed; for
        day units only whole days count as passed, so a 3-day period warns on its
        last day and a 60-day one after 48 days.
        """
        passed = math.floor(self.amount * warning_percent / 100)
        return self.amount - passed


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, END_OF_DAY))


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def due_after(start: dt.datetime, amount: int, unit: str, cal: WorkingCalendar) -> dt.datetime:
    """When a period of ``amount`` units that starts at ``start`` falls due."""
    if unit == PeriodUnit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == PeriodUnit.CALENDAR_DAYS:
        return end_of_day(local_date(start) + dt.timedelta(days=amount))
    return end_of_day(cal.add_working_days(local_date(start), amount))


def warning_before(due: dt.datetime, tail: int, unit: str, cal: WorkingCalendar) -> dt.datetime:
    """The moment the warning starts: ``tail`` units before ``due``."""
    if unit == PeriodUnit.HOURS:
        return due - dt.timedelta(hours=tail)
    if unit == PeriodUnit.CALENDAR_DAYS:
        return due - dt.timedelta(days=tail)
    return end_of_day(cal.add_working_days(local_date(due), -tail)) if tail else due


def remaining_at(moment: dt.datetime, due: dt.datetime, unit: str, cal: WorkingCalendar) -> int:
    """What is left of a period at ``moment``: whole working days after that day
    for working days (the day of the pause is used up), seconds otherwise."""
    if unit == PeriodUnit.WORKING_DAYS:
        return cal.working_days_after(local_date(moment), local_date(due))
    return max(0, math.ceil((due - moment).total_seconds()))


def due_after_remaining(resume: dt.datetime, remaining: int, unit: str, cal: WorkingCalendar) -> dt.datetime:
    """The new due moment when a paused period with ``remaining`` left resumes."""
    if unit == PeriodUnit.WORKING_DAYS:
        return due_after(resume, remaining, unit, cal)
    if unit == PeriodUnit.CALENDAR_DAYS:
        # Calendar-day deadlines keep ending at the end of a day.
        return end_of_day(local_date(resume + dt.timedelta(seconds=remaining)))
    return resume + dt.timedelta(seconds=remaining)


@dataclass(frozen=True)
class Schedule:
    due_at: dt.datetime
    warn_at: dt.datetime


def schedule(start: dt.datetime, period: Period, warning_percent: int, cal: WorkingCalendar) -> Schedule:
    due = due_after(start, period.amount, period.unit, cal)
    warn = warning_before(due, period.warning_tail(warning_percent), period.unit, cal)
    return Schedule(due_at=due, warn_at=max(warn, start))


def resumed_schedule(
    resume: dt.datetime, remaining: int, period: Period, warning_percent: int, cal: WorkingCalendar
) -> Schedule:
    due = due_after_remaining(resume, remaining, period.unit, cal)
    warn = warning_before(due, period.warning_tail(warning_percent), period.unit, cal)
    return Schedule(due_at=due, warn_at=max(warn, resume))


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    WARNING = "warning", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    NONE = "none", _("No deadline")


def state_at(now: dt.datetime, due_at: dt.datetime | None, warn_at: dt.datetime | None) -> str:
    if due_at is None:
        return DeadlineState.NONE
    if now > due_at:
        return DeadlineState.OVERDUE
    if warn_at is not None and now >= warn_at:
        return DeadlineState.WARNING
    return DeadlineState.ON_TIME
