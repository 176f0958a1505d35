"""Which days are working days: Monday to Friday, minus Indonesia's national
holidays (and, by default, cuti bersama) from the ``holidays`` package, with an
administrator's changes on top."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

from pakar.workdays.models import CalendarDay, DeadlineSettings

# How far ahead and behind a calendar reaches; a 60-working-day deadline with
# long pauses stays well inside two years.
SPAN_YEARS = 2


@lru_cache(maxsize=64)
def national_holidays(year: int, with_cuti_bersama: bool) -> dict[dt.date, str]:
    categories = ("public", "government") if with_cuti_bersama else ("public",)
    found = holidays.country_holidays("ID", years=year, categories=categories)
    return {day: str(name) for day, name in found.items()}


class WorkingCalendar:
    """A snapshot of the calendar around some years; cheap to ask many questions of."""

    def __init__(self, overrides: dict[dt.date, bool], with_cuti_bersama: bool = True) -> None:
        self.overrides = overrides
        self.with_cuti_bersama = with_cuti_bersama

    @classmethod
    def load(cls, around: dt.date | None = None) -> WorkingCalendar:
        """The calendar with the administrator's changes (one query each for changes and settings)."""
        year = (around or timezone.localdate()).year
        changes = CalendarDay.objects.filter(
            date__gte=dt.date(year - SPAN_YEARS, 1, 1), date__lte=dt.date(year + SPAN_YEARS, 12, 31)
        ).values_list("date", "is_working_day")
        return cls(dict(changes), DeadlineSettings.current().include_cuti_bersama)

    def holiday_name(self, day: dt.date) -> str:
        return national_holidays(day.year, self.with_cuti_bersama).get(day, "")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in national_holidays(day.year, self.with_cuti_bersama)

    def first_working_day(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next one (domain rule: a report
        received on a weekend or holiday counts as received on the next working day)."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (counted from the first working day on or after it)."""
        day = self.first_working_day(day)
        step = 1 if count >= 0 else -1
        for _ in range(abs(count)):
            day += dt.timedelta(days=step)
            while not self.is_working_day(day):
                day += dt.timedelta(days=step)
        return day

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie in (start, end]; zero when end is not after start."""
        count = 0
        day = start + dt.timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count
