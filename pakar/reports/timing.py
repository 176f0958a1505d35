"""Working days between two moments, for many pairs at once.

Statistics measure thousands of cases; asking the calendar day by day for
each would be slow, so the working days of the whole span are counted once
and each pair is answered by a subtraction. The calendar itself (weekends,
national holidays, cuti bersama, an administrator's changes) is pakar.workdays'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from pakar.workdays.calendar import WorkingCalendar


class WorkingDayCounter:
    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> None:
        self.zone = timezone.get_current_timezone()
        self.first = first - dt.timedelta(days=1)
        self.cumulative: list[int] = []
        total = 0
        day = self.first
        while day <= last:
            total += calendar.is_working_day(day)
            self.cumulative.append(total)
            day += dt.timedelta(days=1)

    @classmethod
    def spanning(cls, moments: Iterable[dt.datetime], until: dt.datetime) -> WorkingDayCounter:
        """A counter covering every moment given and ``until``."""
        ends = [until, *moments]
        days = [timezone.localdate(min(ends)), timezone.localdate(max(ends))]
        return cls(WorkingCalendar.load(timezone.localdate(until)), days[0], days[1])

    def _upto(self, day: dt.date) -> int:
        """Working days from the start of the span up to and including ``day``."""
        return self.cumulative[(day - self.first).days]

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days after the day ``start`` counts as received, up to and including ``end``'s day.

        A start on a weekend or holiday counts from the next working day, as the
        deadline rules do; the same day gives zero.
        """
        first = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        # The start day counts as received on the first working day on or after it,
        # which is the (working days up to the day before) + 1-th working day.
        return max(0, self._upto(last) - self._upto(first - dt.timedelta(days=1)) - 1)
