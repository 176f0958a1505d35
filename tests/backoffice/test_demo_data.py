"""`make run`'s demo data: one login per role and cases in every status, made through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from pakar.accounts.models import Role, User
from pakar.cases.models import Case, Status
from tests.accounts.otp_support import code_for_key
from tests.backoffice.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_login_per_role_and_cases_in_every_status(categories, client):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert {r for u in User.objects.all() for r in u.roles()} == set(Role.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert all(c.status_changes.exists() for c in Case.objects.all())
    assert "Demo cases:" in out.getvalue()
    count = Case.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.count() == count  # running it again adds no cases
    client.post("/staff/login/", {"username": "demo-investigator", "password": "pakar-demo-investigator"})
    printed = next(line.split() for line in out.getvalue().splitlines() if "demo-investigator" in line)
    client.post("/staff/dua-langkah/", {"otp_token": code_for_key(printed[2])})
    assert "PKR-" in client.get("/staff/kasus/").text  # the demo investigator has cases of their team


def test_every_demo_case_page_opens_for_the_inspector(categories, client):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="demo-inspector"))
    for case in Case.objects.all():
        client.post(f"/staff/kasus/{case.number}/deklarasi/", {"has_conflict": "no"})
        assert client.get(f"/staff/kasus/{case.number}/").status_code == 200, case.number


def test_demo_confidential_identities_open_with_the_printed_custodian_passphrase(categories):
    from pakar.cases.management.commands.seed_demo import DEMO_CUSTODIAN_PASSPHRASE
    from pakar.cases.models import IdentityMode
    from pakar.identity import sealed, services
    from pakar.identity.models import Custodian

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_CUSTODIAN_PASSPHRASE in out.getvalue()
    custodian = Custodian.objects.get(user__username="demo-custodian")
    key = services.unlock(custodian, DEMO_CUSTODIAN_PASSPHRASE)
    confidential = Case.objects.filter(identity_mode=IdentityMode.CONFIDENTIAL, identity__isnull=False)
    assert confidential.exists()
    for case in confidential:
        assert sealed.open_identity(case, key)["name"]
