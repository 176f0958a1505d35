"""Writes to the calendar and the deadline settings (administrator only; the
views check the role)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from pakar.accounts.models import User
from pakar.workdays.models import CalendarDay, DeadlineSettings

SETTING_FIELDS = (
    "verification_days",
    "information_days",
    "complaint_days",
    "oversight_days",
    "needs_info_wait_days",
    "auto_close_days",
    "monitoring_days",
    "warning_percent",
    "include_cuti_bersama",
)


def set_calendar_day(day: dt.date, *, is_working_day: bool, name: str, actor: User) -> CalendarDay:
    """Mark a date as a day off (cuti bersama, local holiday) or as a working day."""
    found, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"is_working_day": is_working_day, "name": name.strip(), "changed_by": actor}
    )
    return found


def remove_calendar_day(entry: CalendarDay, *, actor: User) -> None:
    """Undo a change: the date follows the national calendar again."""
    entry.delete()


def update_deadline_settings(values: dict[str, Any], *, actor: User) -> DeadlineSettings:
    """Change the periods used for deadlines started from now on; running deadlines keep theirs."""
    with transaction.atomic():
        current = DeadlineSettings.current()
        changed = [name for name in SETTING_FIELDS if name in values and getattr(current, name) != values[name]]
        for name in changed:
            setattr(current, name, values[name])
        current.changed_by = actor
        current.save(update_fields=[*changed, "changed_by", "changed_at"])
    return current
