"""Staff sign-in: username and password, staff roles only, back to where they were going."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pakar.accounts.models import User
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_a_verifier_signs_in_and_lands_on_the_cases(client, staff):
    response = client.post(LOGIN, {"username": "vera", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:inbox")
    assert "Cases" in response.text


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, staff):
    inbox = reverse("backoffice:inbox")
    assert client.post(LOGIN, {"username": "vera", "password": PASSWORD, "next": inbox})["Location"] == inbox
    client.logout()
    away = client.post(LOGIN, {"username": "vera", "password": PASSWORD, "next": "https://evil.example/"})
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
