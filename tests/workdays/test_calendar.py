import datetime as dt

import pytest

from pakar.accounts.models import User
from pakar.workdays import services
from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.models import DeadlineSettings

D = dt.date


@pytest.fixture
def admin(db):
    return User.objects.create_user("admin", password="x" * 16)


def test_weekends_and_national_holidays_are_not_working_days(db):
    cal = WorkingCalendar.load(D(2026, 8, 1))
    assert cal.is_working_day(D(2026, 8, 14))  # Friday
    assert not cal.is_working_day(D(2026, 8, 15))  # Saturday
    assert not cal.is_working_day(D(2026, 8, 17))  # Independence Day, a Monday
    assert not cal.is_working_day(D(2026, 12, 25))  # Christmas
    assert cal.holiday_name(D(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"


def test_cuti_bersama_counts_as_a_holiday_unless_the_administrator_turns_it_off(admin):
    assert not WorkingCalendar.load(D(2026, 12, 1)).is_working_day(D(2026, 12, 24))
    services.update_deadline_settings({"include_cuti_bersama": False}, actor=admin)
    assert WorkingCalendar.load(D(2026, 12, 1)).is_working_day(D(2026, 12, 24))


def test_an_administrator_adds_a_local_holiday_and_removes_it_again(admin):
    day = D(2026, 12, 8)  # a Tuesday
    entry = services.set_calendar_day(day, is_working_day=False, name="Hari Jadi Kota", actor=admin)
    assert not WorkingCalendar.load(day).is_working_day(day)
    services.remove_calendar_day(entry, actor=admin)
    assert WorkingCalendar.load(day).is_working_day(day)


def test_an_administrator_can_make_a_holiday_a_working_day(admin):
    services.set_calendar_day(D(2026, 12, 24), is_working_day=True, name="Kantor buka", actor=admin)
    assert WorkingCalendar.load(D(2026, 12, 1)).is_working_day(D(2026, 12, 24))


def test_working_days_are_counted_from_the_next_working_day_when_received_on_a_weekend(db):
    cal = WorkingCalendar.load(D(2026, 12, 1))
    # Friday 4 Dec + 3 working days = Wednesday 9 Dec; Saturday counts as Monday, so Thursday.
    assert cal.add_working_days(D(2026, 12, 4), 3) == D(2026, 12, 9)
    assert cal.add_working_days(D(2026, 12, 5), 3) == D(2026, 12, 10)


def test_adding_working_days_skips_the_christmas_and_new_year_holidays(db):
    cal = WorkingCalendar.load(D(2026, 12, 1))
    # Wed 23 Dec: 24 (cuti bersama), 25 (Christmas), 26-27 weekend → 28, 29, 30, 31; 1 Jan holiday → 2 Jan is a Saturday
    assert cal.add_working_days(D(2026, 12, 23), 4) == D(2026, 12, 31)
    assert cal.add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)
    assert cal.working_days_after(D(2026, 12, 23), D(2027, 1, 4)) == 5


def test_deadline_settings_start_with_the_domain_rules_defaults(db):
    current = DeadlineSettings.current()
    assert (current.verification_days, current.needs_info_wait_days, current.auto_close_days) == (3, 10, 10)
    assert [current.class_days(c) for c in ("information", "complaint", "oversight")] == [5, 14, 60]
    assert current.warning_percent == 80
