"""Custodians and staff for identity tests."""

from __future__ import annotations

import re

import pytest

from pakar.accounts.models import Role, RoleGrant, User
from pakar.identity import services

PASSPHRASE = "kunci rahasia penjaga identitas 1"
SECOND_PASSPHRASE = "kunci kedua yang juga panjang 2"
CODE = re.compile(r"\b(\d{4} \d{4} \d{4} \d{4})\b")


def staff_user(username: str, *roles: str) -> User:
    user = User.objects.create_user(username=username, password="kata sandi yang panjang 1", full_name=username)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def custodian(db):
    user = staff_user("penjaga", Role.CUSTODIAN)
    found, recovery = services.enrol_custodian(user, PASSPHRASE, actor=None)
    found.recovery = recovery  # type: ignore[attr-defined]  # for tests that need it
    return found


@pytest.fixture
def investigator(db):
    return staff_user("penyidik", Role.INVESTIGATOR)


def access_code(response) -> str:
    match = CODE.search(response.content.decode())
    assert match, "no access code on the receipt"
    return match.group(1).replace(" ", "")


from tests.public.conftest import _fresh_throttle_counts, report_data  # noqa: E402, F401 - shared fixtures
from tests.vault.test_clamd import daemon  # noqa: E402, F401 - a real clamd for the quarantine test
