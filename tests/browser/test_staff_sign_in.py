"""A new staff member's first sign-in in real Chromium: password, then the
authenticator set-up page with the QR code PAKAR draws itself (no CSP
violation, no third-party request, accessible), then the backup codes, then
the back office; and the next sign-in with a code from the app."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from pakar.accounts.models import Role, RoleGrant, User
from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough password 1"


def code_for(key: str, offset: int = 0) -> str:
    totp = TOTP(base64.b32decode(key))
    totp.time += offset
    return f"{totp.token():06d}"


def sign_in_with_password(page, live_server) -> None:
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", "vera")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_first_sign_in_sets_up_the_authenticator_and_the_next_one_asks_for_a_code(
    watched_page, live_server, categories
):
    vera = User.objects.create_user(username="vera", password=PASSWORD, full_name="Vera")
    RoleGrant.objects.create(user=vera, role=Role.VERIFIER)
    page = watched_page
    sign_in_with_password(page, live_server)
    assert "/staff/dua-langkah/" in page.url
    assert page.locator("figure.qr svg").count() == 1
    assert run_axe(page) == []
    key = page.locator("code.secret").inner_text().strip()
    page.fill("#id_otp_token", code_for(key))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    codes = page.locator("ul.backup-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.click("main a.button.primary")
    assert "/staff/kasus/" in page.url
    page.context.clear_cookies()
    sign_in_with_password(page, live_server)
    assert page.locator("figure.qr").count() == 0
    page.fill("#id_otp_token", code_for(key, offset=30))  # the next period: a code is accepted once
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/staff/kasus/" in page.url
