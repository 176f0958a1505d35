"""Administration: accounts and roles, units, teams, categories, calendar, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pakar.accounts.models import User
from pakar.cases.models import Category
from pakar.org.models import Team, Unit
from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.models import CalendarDay, DeadlineSettings
from tests.backoffice.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff["administrator"])
    return client


def test_the_administrator_creates_an_investigator_who_can_then_sign_in(admin_client, team, client):
    response = admin_client.post(
        reverse("backoffice:admin_user_new"),
        {
            "username": "budi",
            "full_name": "Budi Santoso",
            "team": team.pk,
            "roles": ["investigator"],
            "is_active": "on",
            "password": "kunci-rahasia-panjang-42",
        },
    )
    assert response.status_code == 302
    budi = User.objects.get(username="budi")
    assert budi.roles() == {"investigator"} and budi.team == team
    client.logout()
    signed_in = client.post(reverse("accounts:login"), {"username": "budi", "password": "kunci-rahasia-panjang-42"})
    assert signed_in.status_code == 302


def test_a_short_password_and_a_taken_username_are_refused(admin_client, staff):
    response = admin_client.post(
        reverse("backoffice:admin_user_new"),
        {"username": "vera", "full_name": "X", "roles": ["verifier"], "password": "short"},
    )
    assert response.status_code == 400
    assert "This username is taken." in response.text
    assert User.objects.filter(username="vera").count() == 1


def test_roles_are_changed_and_the_administrator_cannot_lock_themself_out(admin_client, staff):
    vera = staff["verifier"]
    admin_client.post(
        reverse("backoffice:admin_user", args=[vera.pk]),
        {"full_name": "Vera", "roles": ["verifier", "inspector"], "is_active": "on"},
    )
    assert User.objects.get(pk=vera.pk).roles() == {"verifier", "inspector"}
    adi = staff["administrator"]
    response = admin_client.post(
        reverse("backoffice:admin_user", args=[adi.pk]), {"full_name": "Adi", "roles": ["verifier"], "is_active": "on"}
    )
    assert response.status_code == 400
    assert "You cannot remove your own administrator role" in response.text
    assert "administrator" in User.objects.get(pk=adi.pk).roles()


def test_an_administrator_cannot_give_themself_a_role_that_reads_cases(admin_client, staff):
    adi = staff["administrator"]
    response = admin_client.post(
        reverse("backoffice:admin_user", args=[adi.pk]),
        {"full_name": "Adi", "roles": ["administrator", "verifier"], "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Another administrator must give you a role that reads cases." in response.text
    assert User.objects.get(pk=adi.pk).roles() == {"administrator"}


def test_units_teams_and_categories_are_editable(admin_client, unit):
    admin_client.post(
        reverse("backoffice:admin_unit_new"), {"name": "Dinas Perhubungan", "short_name": "Dishub", "is_active": "on"}
    )
    dishub = Unit.objects.get(short_name="Dishub")
    admin_client.post(reverse("backoffice:admin_team_new"), {"name": "Irban III", "units": [dishub.pk, unit.pk]})
    assert set(Team.objects.get(name="Irban III").units.all()) == {dishub, unit}
    admin_client.post(reverse("backoffice:admin_unit", args=[unit.pk]), {"name": unit.name, "short_name": "Dukcapil"})
    unit.refresh_from_db()
    assert unit.short_name == "Dukcapil" and not unit.is_active
    response = admin_client.post(
        reverse("backoffice:admin_category_new"),
        {
            "code": "pungli",
            "name_id": "Pungutan liar",
            "name_en": "Illegal levy",
            "severity": "",
            "evidence_required": "on",
            "is_active": "on",
            "position": 9,
        },
    )
    assert response.status_code == 302
    assert Category.objects.get(code="pungli").name_en == "Illegal levy"


def test_a_local_holiday_is_added_and_removed_in_the_calendar(admin_client):
    page = admin_client.get(reverse("backoffice:admin_calendar"), {"tahun": 2026})
    assert "Hari Kemerdekaan Republik Indonesia" in page.text
    admin_client.post(
        reverse("backoffice:admin_calendar"), {"date": "2026-12-08", "is_working_day": "off", "name": "Hari Jadi Kota"}
    )
    assert not WorkingCalendar.load(dt.date(2026, 12, 1)).is_working_day(dt.date(2026, 12, 8))
    entry = CalendarDay.objects.get()
    admin_client.post(reverse("backoffice:admin_calendar_remove", args=[entry.pk]))
    assert WorkingCalendar.load(dt.date(2026, 12, 1)).is_working_day(dt.date(2026, 12, 8))


def test_deadline_settings_are_saved_and_nonsense_is_refused(admin_client):
    url = reverse("backoffice:admin_deadlines")
    values = {
        "verification_days": 4,
        "information_days": 5,
        "complaint_days": 14,
        "oversight_days": 60,
        "needs_info_wait_days": 10,
        "auto_close_days": 10,
        "monitoring_days": 60,
        "warning_percent": 80,
        "include_cuti_bersama": "on",
    }
    assert admin_client.post(url, values).status_code == 302
    assert DeadlineSettings.current().verification_days == 4
    response = admin_client.post(url, {**values, "warning_percent": 0, "auto_close_days": 0})
    assert response.status_code == 400
    assert DeadlineSettings.current().warning_percent == 80
