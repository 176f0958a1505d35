"""Personas and cases for back-office and workflow tests.

Import the fixtures a test module needs: ``from tests.backoffice.fixtures import *``.
"""

from __future__ import annotations

import pytest

from pakar.accounts.models import Role, RoleGrant, User
from pakar.cases import handling, services
from pakar.cases.models import Case
from pakar.org.models import Team
from tests.cases.support import report_input

PASSWORD = "correct-horse-battery"

__all__ = [
    "PASSWORD",
    "case",
    "declare",
    "english",
    "fast_passwords",
    "make_case",
    "make_user",
    "other_team",
    "staff",
    "team",
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Staff passwords are Argon2 in PAKAR; these tests log in many personas, so a
    quick hasher keeps them fast (password hashing is not what they test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings):
    """Pages and messages in English, the language of the msgids these tests read
    (Bahasa Indonesia, the default, is checked by the translation tests)."""
    settings.LANGUAGE_CODE = "en"


def make_user(username: str, *roles: str, team: Team | None = None, full_name: str = "") -> User:
    user = User.objects.create_user(username, password=PASSWORD, full_name=full_name or username.title(), team=team)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def team(db):
    return Team.objects.create(name="Inspektur Pembantu I")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Inspektur Pembantu II")


@pytest.fixture
def staff(team, other_team):
    """One named person per role: Ina takes walk-ins, Vera verifies, Ivan investigates
    (team I), Olga investigates in another team, Pak Inspektur approves, Citra keeps
    identities, Kiki answers consultations, Adi administers."""
    return {
        "intake": make_user("ina", Role.INTAKE),
        "verifier": make_user("vera", Role.VERIFIER),
        "investigator": make_user("ivan", Role.INVESTIGATOR, team=team),
        "other_investigator": make_user("olga", Role.INVESTIGATOR, team=other_team),
        "inspector": make_user("inspektur", Role.INSPECTOR),
        "custodian": make_user("citra", Role.CUSTODIAN),
        "consultation": make_user("kiki", Role.CONSULTATION),
        "administrator": make_user("adi", Role.ADMINISTRATOR),
    }


def make_case(category, unit, **content) -> Case:
    return services.submit_report(report_input(category, unit, **content)).case


@pytest.fixture
def case(category, unit) -> Case:
    return make_case(category, unit)


def declare(case: Case, *users: User) -> Case:
    """The users declare no conflict of interest, as they must before handling the case."""
    for user in users:
        handling.declare_conflict(case, actor=user, has_conflict=False)
    return case
