"""Audit entries cannot be changed or removed through the application, nor on PostgreSQL through SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from pakar.audit.apps import ALLOW_TRUNCATE_SETTING
from pakar.audit.events import AuditEvent
from pakar.audit.models import AppendOnlyError, AuditEntry
from pakar.audit.services import record
from pakar.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice):
    record(AuditEvent.LOGIN_SUCCEEDED, actor=alice)
    return record(AuditEvent.CASE_VIEWED, actor=alice, data={"evidence_id": 1})


def test_saving_a_changed_entry_is_refused(entry):
    entry.event = AuditEvent.LOGIN_FAILED

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get(sequence=entry.sequence).event == AuditEvent.CASE_VIEWED


def test_saving_a_freshly_loaded_entry_is_refused(entry):
    loaded = AuditEntry.objects.get(sequence=entry.sequence)

    with pytest.raises(AppendOnlyError):
        loaded.save(update_fields=["data"])


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.count() == 2


def test_bulk_updates_and_deletes_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(sequence=entry.sequence).update(event=AuditEvent.LOGIN_FAILED)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["data"])

    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists only on PostgreSQL; SQLite relies on the model guard")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET event = 302 WHERE sequence = 2",
        "UPDATE audit_auditentry SET sequence = 5 WHERE sequence = 2",
        "DELETE FROM audit_auditentry WHERE sequence = 2",
        "DELETE FROM audit_auditentry",
    ],
)
def test_postgresql_refuses_the_applications_own_update_or_delete(entry, statement):
    require_postgresql()

    with pytest.raises(DatabaseError, match=r"append-only: (UPDATE|DELETE) refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok


@pytest.mark.postgres
def test_postgresql_refuses_truncating_the_log(entry):
    require_postgresql()

    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            # Tests allow TRUNCATE so Django can empty the test database; production never does.
            cursor.execute(f"SET LOCAL {ALLOW_TRUNCATE_SETTING} = 'off'")
            # Settle the test's pending foreign-key checks, which would refuse TRUNCATE for another reason.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditentry")

    assert AuditEntry.objects.count() == 2


@pytest.mark.postgres
def test_postgresql_still_accepts_new_entries(entry, alice):
    require_postgresql()

    record(AuditEvent.LOGGED_OUT, actor=alice)

    assert AuditEntry.objects.count() == 3
    assert verify_chain().ok
