"""Idle sessions end after PAKAR_SESSION_MINUTES (30); sensitive steps need a
confirmation of identity at most ten minutes old."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from pakar.accounts.reauth import RECENT_SECONDS, SESSION_KEY
from tests.accounts.otp_support import current_code, verified_device
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD

pytestmark = pytest.mark.django_db
INBOX = reverse("backoffice:inbox")


def last_activity_minutes_ago(client, minutes: float) -> None:
    """Move the session's last activity back: its expiry is last activity + the idle limit."""
    expires = timezone.now() - dt.timedelta(minutes=minutes) + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expires)


def test_the_idle_limit_is_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_idle_for_29_minutes_lives_on_and_each_request_extends_it(client, staff):
    client.force_login(staff["verifier"])
    last_activity_minutes_ago(client, 29)
    assert client.get(INBOX).status_code == 200
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=29)


def test_a_session_idle_for_31_minutes_has_ended(client, staff):
    client.force_login(staff["verifier"])
    assert client.get(INBOX).status_code == 200
    last_activity_minutes_ago(client, 31)
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def age_confirmation(client, seconds: int) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize(
    "url_name",
    ["backoffice:admin_user_new", "backoffice:admin_deadlines", "backoffice:admin_calendar"],
)
def test_administrative_pages_ask_for_confirmation_after_ten_minutes(client, staff, url_name):
    client.force_login(staff["administrator"])
    age_confirmation(client, RECENT_SECONDS - 30)
    assert client.get(reverse(url_name)).status_code == 200
    age_confirmation(client, RECENT_SECONDS + 30)
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
    posted = client.post(reverse(url_name), {})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("accounts:reauth"))


def test_evidence_download_asks_for_confirmation_with_password_and_code(client, staff, category, unit, evidence_file):
    from pakar.cases import services
    from tests.backoffice.fixtures import declare
    from tests.cases.support import report_input, stage

    pdf = stage("surat.pdf", evidence_file("dirty.pdf").read_bytes())
    case = services.submit_report(report_input(category, unit, files=[pdf])).case
    declare(case, staff["verifier"])
    client.force_login(staff["verifier"])
    age_confirmation(client, RECENT_SECONDS + 1)
    url = reverse("backoffice:evidence", args=[case.number, case.evidence.get().pk])
    asked = client.get(url)
    assert asked.status_code == 302
    reauth = asked["Location"]
    password_only = client.post(reauth, {"password": PASSWORD, "otp_token": "", "next": url})
    assert password_only.status_code == 400
    code = current_code(verified_device(staff["verifier"]))
    assert client.post(reauth, {"password": PASSWORD, "otp_token": code, "next": url})["Location"] == url
    assert client.get(url).status_code == 200


def test_the_confirmation_page_never_sends_people_to_another_site(client, staff):
    client.force_login(staff["verifier"])
    code = current_code(verified_device(staff["verifier"]))
    answer = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "otp_token": code, "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("backoffice:home")


@pytest.mark.parametrize(
    ("role", "url_name", "arg"),
    [("investigator", "identity:case", "PKR-2026-00001"), ("custodian", "identity:decide", 1)],
)
def test_identity_reveal_steps_ask_for_confirmation_after_ten_minutes(client, staff, role, url_name, arg):
    client.force_login(staff[role])
    age_confirmation(client, RECENT_SECONDS + 30)
    response = client.get(reverse(url_name, args=[arg]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
