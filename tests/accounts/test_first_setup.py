"""First set-up on an empty installation: the first administrator and the first custodian."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pakar.accounts.models import Role, User
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.identity.models import Custodian
from pakar.identity.services import unlock

pytestmark = pytest.mark.django_db


def test_the_first_administrator_is_created_audited_and_can_be_the_first_custodian(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "Inspektorat-Sukabumi-2026!")
    monkeypatch.setenv("FIRST_PASSPHRASE", "frasa rahasia penjaga identitas")
    out = StringIO()
    call_command(
        "create_administrator",
        "admin.inspektorat",
        full_name="Admin Inspektorat",
        password_env="FIRST_PASSWORD",
        custodian_passphrase_env="FIRST_PASSPHRASE",
        stdout=out,
    )
    user = User.objects.get(username="admin.inspektorat")
    assert user.check_password("Inspektorat-Sukabumi-2026!")
    assert user.roles() == {Role.ADMINISTRATOR, Role.CUSTODIAN}
    assert AuditEntry.objects.filter(event=AuditEvent.USER_CREATED).count() == 1
    custodian = Custodian.objects.get(user=user)
    assert bytes(unlock(custodian, "frasa rahasia penjaga identitas").public_key) == bytes(custodian.public_key)
    assert "Recovery key" in out.getvalue()


def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_created(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "12345")
    with pytest.raises(CommandError):
        call_command("create_administrator", "admin", password_env="FIRST_PASSWORD", stdout=StringIO())
    assert not User.objects.exists()


def test_a_second_first_administrator_is_refused(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "Inspektorat-Sukabumi-2026!")
    call_command("create_administrator", "admin", password_env="FIRST_PASSWORD", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_administrator", "admin2", password_env="FIRST_PASSWORD", stdout=StringIO())
