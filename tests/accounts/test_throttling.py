"""Sign-in throttling in an office behind one NAT address: the person (or
attacker) guessing one account waits; colleagues at the same address do not."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from pakar.accounts import throttling
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from tests.accounts.otp_support import current_code, verified_device
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
SECOND = reverse("accounts:two_factor")
OFFICE = "203.0.113.7"  # one NAT address for the whole inspectorate


@pytest.fixture(autouse=True)
def empty_counters():
    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=OFFICE)


def signs_in(client, user) -> bool:
    first = attempt(client, user.username, PASSWORD)
    if first.status_code != 302:
        return False
    second = client.post(SECOND, {"otp_token": current_code(verified_device(user))}, REMOTE_ADDR=OFFICE)
    return second.status_code == 302


def test_wrong_passwords_pause_only_that_account_and_colleagues_behind_the_same_nat_still_sign_in(
    client, staff, django_user_model
):
    for _ in range(throttling.ACCOUNT_FREE_FAILURES):
        assert attempt(client, "vera", "guess").status_code == 400
    paused = attempt(client, "vera", PASSWORD)  # even the right password waits now
    assert paused.status_code == 429 and "Too many wrong passwords for this account" in paused.text
    assert "_auth_user_id" not in client.session
    colleagues = [make_user(f"staf{i}", "verifier") for i in range(20)]
    for person in colleagues:
        other = client.__class__()
        assert signs_in(other, person), person.username
    entry = AuditEntry.objects.filter(event=AuditEvent.LOGIN_THROTTLED).get()
    assert entry.actor == staff["verifier"] and entry.data["scope"] == "account"
    assert OFFICE not in str(entry.data)


def test_the_account_wait_doubles_and_is_capped():
    waits = [throttling.account_wait(n) for n in range(1, 14)]
    assert waits[: throttling.ACCOUNT_FREE_FAILURES - 1] == [0] * (throttling.ACCOUNT_FREE_FAILURES - 1)
    assert waits[4:8] == [30, 60, 120, 240]
    assert max(waits) == throttling.ACCOUNT_MAX_WAIT


def test_a_right_password_before_the_limit_resets_the_count(client, staff):
    for _ in range(throttling.ACCOUNT_FREE_FAILURES - 1):
        attempt(client, "vera", "guess")
    assert attempt(client, "vera", PASSWORD).status_code == 302
    client.logout()
    for _ in range(throttling.ACCOUNT_FREE_FAILURES - 1):
        assert attempt(client, "vera", "guess").status_code == 400
    assert attempt(client, "vera", PASSWORD).status_code == 302


def test_one_machine_guessing_many_accounts_meets_the_client_limit(client, staff, settings):
    for i in range(throttling.CLIENT_FAILURE_LIMIT):
        attempt(client, f"someone{i}", "guess")
    refused = attempt(client, "vera", PASSWORD)
    assert refused.status_code == 429 and "from this device" in refused.text
    elsewhere = client.post(LOGIN, {"username": "vera", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302
