import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.periods import (
    DeadlineState,
    Period,
    PeriodUnit,
    remaining_at,
    resumed_schedule,
    schedule,
    state_at,
)


def at(*args):
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def cal():
    # Only the national calendar: no administrator changes.
    return WorkingCalendar({}, with_cuti_bersama=True)


def test_a_working_day_deadline_falls_due_at_the_end_of_its_last_day(cal):
    plan = schedule(at(2026, 12, 4, 10, 30), Period(3), 80, cal)
    assert timezone.localtime(plan.due_at) == at(2026, 12, 9, 23, 59, 59)
    # 80% of 3 days is 2.4: the warning starts once two whole days have passed.
    assert timezone.localtime(plan.warn_at) == at(2026, 12, 8, 23, 59, 59)


def test_calendar_day_and_clock_hour_deadlines(cal):
    start = at(2026, 12, 4, 10, 0)
    assert schedule(start, Period(3, PeriodUnit.CALENDAR_DAYS), 80, cal).due_at == at(2026, 12, 7, 23, 59, 59)
    breach = schedule(start, Period(72, PeriodUnit.HOURS), 80, cal)
    assert breach.due_at == at(2026, 12, 7, 10, 0)
    assert breach.warn_at == at(2026, 12, 6, 19, 0)  # after 57 whole hours of 72


def test_badges_follow_the_warning_and_due_moments(cal):
    plan = schedule(at(2026, 12, 4, 10, 0), Period(5), 80, cal)
    assert state_at(at(2026, 12, 7, 9, 0), plan.due_at, plan.warn_at) == DeadlineState.ON_TIME
    assert state_at(at(2026, 12, 11, 9, 0), plan.due_at, plan.warn_at) == DeadlineState.WARNING
    assert state_at(at(2026, 12, 12, 0, 0, 1), plan.due_at, plan.warn_at) == DeadlineState.OVERDUE
    assert state_at(at(2026, 12, 12), None, None) == DeadlineState.NONE


def test_a_pause_gives_back_the_working_days_left(cal):
    start = at(2026, 12, 1, 9, 0)  # Tuesday; 5 working days → Tuesday 8 Dec
    plan = schedule(start, Period(5), 80, cal)
    left = remaining_at(at(2026, 12, 3, 11, 0), plan.due_at, PeriodUnit.WORKING_DAYS, cal)
    assert left == 3  # Fri 4, Mon 7, Tue 8
    resumed = resumed_schedule(at(2026, 12, 10, 15, 0), left, Period(5), 80, cal)
    assert timezone.localtime(resumed.due_at) == at(2026, 12, 15, 23, 59, 59)


days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days, amount=st.integers(1, 60), hour=st.integers(0, 23))
def test_resuming_on_the_day_of_the_pause_changes_nothing(start, amount, hour):
    cal = WorkingCalendar({}, with_cuti_bersama=True)
    begin = at(start.year, start.month, start.day, hour)
    plan = schedule(begin, Period(amount), 80, cal)
    pause = begin + dt.timedelta(hours=1)
    if pause > plan.due_at or not cal.is_working_day(timezone.localdate(pause)):
        return
    left = remaining_at(pause, plan.due_at, PeriodUnit.WORKING_DAYS, cal)
    assert resumed_schedule(pause, left, Period(amount), 80, cal).due_at == plan.due_at


@settings(max_examples=200, deadline=None)
@given(start=days, amount=st.integers(1, 60), paused_for=st.integers(0, 40))
def test_a_pause_never_shortens_the_working_days_a_case_gets(start, amount, paused_for):
    cal = WorkingCalendar({}, with_cuti_bersama=True)
    begin = at(start.year, start.month, start.day, 9)
    plan = schedule(begin, Period(amount), 80, cal)
    pause = begin + dt.timedelta(days=1)
    resume = pause + dt.timedelta(days=paused_for)
    if pause > plan.due_at:
        return
    left = remaining_at(pause, plan.due_at, PeriodUnit.WORKING_DAYS, cal)
    resumed = resumed_schedule(resume, left, Period(amount), 80, cal)
    used_before = amount - left
    after = cal.working_days_after(timezone.localdate(resume), timezone.localdate(resumed.due_at))
    if cal.is_working_day(timezone.localdate(resume)):
        assert after == left
    assert used_before + after >= amount - 1
    assert resumed.due_at >= plan.due_at
    assert resumed.warn_at <= resumed.due_at
