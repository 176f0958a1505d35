"""Staff sign-in: username and password, staff roles only, back to where they were going."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pakar.accounts.models import User
from tests.accounts.otp_support import current_code, verified_device
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def sign_in(client, user, **extra):
    """Password, then the code of the person's authenticator: the real two steps."""
    first = client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})
    assert first["Location"].startswith(reverse("accounts:two_factor"))
    return client.post(first["Location"], {"otp_token": current_code(verified_device(user)), **extra})


def test_a_verifier_signs_in_and_lands_on_the_cases(client, staff):
    response = sign_in(client, staff["verifier"])
    assert response["Location"] == reverse("backoffice:home")
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("backoffice:inbox")
    assert "Cases" in page.text


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, staff):
    inbox = reverse("backoffice:inbox")
    assert sign_in(client, staff["verifier"], next=inbox)["Location"] == inbox
    client.logout()
    # Another person: an authenticator code is accepted once only.
    away = sign_in(client, staff["inspector"], next="https://evil.example/")
    assert away["Location"] == reverse("backoffice:home")


def test_a_wrong_password_or_an_account_without_a_role_is_refused(client, staff):
    wrong = client.post(LOGIN, {"username": "vera", "password": "wrong-password"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    User.objects.create_user("norole", password=PASSWORD)
    assert client.post(LOGIN, {"username": "norole", "password": PASSWORD}).status_code == 400


def test_signing_out_ends_the_session(client, staff):
    client.force_login(staff["verifier"])
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN
    assert client.get(reverse("backoffice:inbox")).status_code == 302
