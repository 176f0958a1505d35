"""Two-factor authentication: no staff page opens on a password alone; the first
sign-in enrols an authenticator through a QR code drawn by PAKAR; backup codes
work once; an administrator can reset it, and every step is audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from tests.accounts.otp_support import current_code, verified_device
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
SECOND = reverse("accounts:two_factor")
INBOX = reverse("backoffice:inbox")


def password_step(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": INBOX})


def audited(*events):
    return list(AuditEntry.objects.filter(event__in=[int(e) for e in events]).order_by("sequence"))


def test_a_password_alone_opens_no_staff_page(client, staff):
    verified_device(staff["verifier"])
    first = password_step(client, staff["verifier"])
    assert first["Location"].startswith(SECOND)
    blocked = client.get(INBOX)
    assert blocked.status_code == 302 and blocked["Location"].startswith(SECOND)
    assert client.get(reverse("consultations:staff_queue")).status_code in (302, 403)


def test_a_wrong_code_is_refused_and_audited_and_the_right_one_opens_the_back_office(client, staff):
    device = verified_device(staff["verifier"])
    password_step(client, staff["verifier"])
    wrong = client.post(SECOND, {"otp_token": "000000", "next": INBOX})
    assert wrong.status_code == 400 and "not right" in wrong.text
    # django-otp pauses the device after a failure (1 s, doubling): let that pass.
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(SECOND, {"otp_token": current_code(device), "next": INBOX})
    assert right["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    failed, succeeded = audited(AuditEvent.LOGIN_FAILED, AuditEvent.LOGIN_SUCCEEDED)
    assert failed.data["step"] == "second_factor" and succeeded.data["method"] == "totp"


def test_first_sign_in_enrols_with_an_inline_svg_qr_code_and_shows_backup_codes_once(client, staff):
    user = staff["verifier"]
    password_step(client, user)
    page = client.get(SECOND + "?next=" + INBOX)
    assert page.status_code == 200
    assert "<svg" in page.text and "style=" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "http" not in re.sub(
        r'xmlns="http://www.w3.org/2000/svg"', "", page.text.split("<svg", 1)[1].split("</svg>")[0]
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in page.text
    done = client.post(SECOND, {"otp_token": current_code(device), "next": INBOX})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    codes = done.context["codes"]
    assert all(code in done.text for code in codes)
    assert client.get(INBOX).status_code == 200
    assert {AuditEvent(e.event) for e in audited(*AuditEvent)} >= {
        AuditEvent.TWO_FACTOR_ENROLLED,
        AuditEvent.BACKUP_CODES_GENERATED,
        AuditEvent.LOGIN_SUCCEEDED,
    }
    # The codes are stored by django-otp only to be matched, never shown again.
    assert client.get(SECOND).status_code == 302


def test_a_backup_code_signs_in_once(client, staff):
    from pakar.accounts.two_factor import new_backup_codes

    user = staff["verifier"]
    verified_device(user)
    code = new_backup_codes(user, actor=user)[0]
    password_step(client, user)
    assert client.post(SECOND, {"otp_token": code, "next": INBOX})["Location"] == INBOX
    assert not StaticToken.objects.filter(token=code).exists()
    client.logout()
    password_step(client, user)
    assert client.post(SECOND, {"otp_token": code, "next": INBOX}).status_code == 400
    assert audited(AuditEvent.BACKUP_CODE_USED)[0].data["left"] == 9


def test_an_administrator_resets_a_lost_authenticator_and_it_is_audited(client, staff):
    person = staff["verifier"]
    verified_device(person)
    client.force_login(staff["administrator"])
    page = client.get(reverse("backoffice:admin_user", args=[person.pk]))
    assert "Reset two-factor authentication" in page.text
    response = client.post(reverse("backoffice:admin_user_2fa_reset", args=[person.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    entry = audited(AuditEvent.TWO_FACTOR_RESET)[0]
    assert entry.actor == staff["administrator"] and entry.data["user_id"] == person.pk


def test_only_the_administrator_may_reset_two_factor(client, staff):
    client.force_login(staff["inspector"])
    assert client.post(reverse("backoffice:admin_user_2fa_reset", args=[staff["verifier"].pk])).status_code == 403


def test_the_demo_secret_printed_by_seed_demo_gives_working_codes(categories):
    from io import StringIO

    from django.core.management import call_command

    from pakar.accounts.models import User

    out = StringIO()
    call_command("seed_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("demo-verifier"))
    key = line.split()[2]
    device = TOTPDevice.objects.get(user=User.objects.get(username="demo-verifier"))
    import base64

    assert TOTP(base64.b32decode(key)).token() == TOTP(device.bin_key).token()


def test_seed_demo_is_refused_in_production(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
