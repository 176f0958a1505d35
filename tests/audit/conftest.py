"""Fixtures for the audit trail: staff, a real case, a written chain, and an attacker with SQL access."""

from __future__ import annotations

import pytest
from django.db import connection

from pakar.audit.events import AuditEvent
from pakar.audit.services import record


@pytest.fixture
def alice(db):
    from pakar.accounts.models import User

    return User.objects.create_user(username="alice", password="not-used-here-1234", full_name="Alice Verifier")


@pytest.fixture
def bob(db):
    from pakar.accounts.models import User

    return User.objects.create_user(username="bob", password="not-used-here-1234", full_name="Bob Investigator")


@pytest.fixture
def a_case(category, unit):
    """A real case submitted through the reporter's service, with the log then
    started afresh so the tests below count positions from 1: the case's own
    CASE_CREATED entry is tested in tests/cases/test_submit_report.py."""
    from pakar.cases.services import ReportInput, submit_report

    report = ReportInput(
        reporter_type="public",
        identity_mode="anonymous",
        category=category,
        unit=unit,
        content={"title": "Pungutan liar di loket KTP", "what": "Petugas meminta uang tambahan."},
        party={"name": "", "nip": "", "position": "Petugas loket"},
    )
    case = submit_report(report).case
    _forget_entries()
    return case


def _forget_entries() -> None:
    """Empty the log inside the test transaction (the triggers and the model
    guard forbid it to the application; a test rolls back anyway)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM audit_auditentry")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DELETE FROM audit_auditentry")


@pytest.fixture
def written_chain(alice, bob, a_case):
    """Ten entries of several kinds, by two users, some about a case."""
    events = [
        (AuditEvent.LOGIN_SUCCEEDED, alice, None, {}),
        (AuditEvent.CASE_VIEWED, alice, a_case, {}),
        (AuditEvent.CASE_STATUS_CHANGED, alice, a_case, {"old": "received", "new": "verification"}),
        (AuditEvent.CASE_ASSIGNED, alice, a_case, {"officer_id": bob.pk}),
        (AuditEvent.LOGIN_SUCCEEDED, bob, None, {}),
        (AuditEvent.CASE_VIEWED, bob, a_case, {}),
        (AuditEvent.EVIDENCE_DOWNLOADED, bob, a_case, {"evidence_id": 7}),
        (AuditEvent.CATEGORY_CHANGED, alice, None, {"category": "public-service", "old": {"active": True}}),
        (AuditEvent.LOGIN_FAILED, None, None, {"username": "mallory"}),
        (AuditEvent.CASE_VIEWED, alice, a_case, {}),
    ]
    return [record(event, actor=actor, case=case, data=data) for event, actor, case, data in events]


class Attacker:
    """Someone with direct SQL access to the database, bypassing the application.

    On PostgreSQL they first disable the append-only triggers, as the table's
    owner or a superuser can (the test database user is a superuser). The test
    transaction rolls all of it back.
    """

    def __init__(self) -> None:
        self._armed = False

    def sql(self, statement: str, params: list[object] | None = None) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not self._armed:
                # The test's own inserts leave deferred foreign-key checks
                # pending, which forbid ALTER TABLE; an attacker in their own
                # session has none.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
                self._armed = True
            cursor.execute(statement, params)

    def renumber(self, old: int, new: int) -> None:
        self.sql("UPDATE audit_auditentry SET sequence = %s WHERE sequence = %s", [new, old])

    def shift_up_from(self, first: int) -> None:
        """Make room at ``first`` by moving it and every later entry one number up."""
        # Two steps through negative numbers: the primary key is checked row by row.
        self.sql("UPDATE audit_auditentry SET sequence = -(sequence + 1) WHERE sequence >= %s", [first])
        self.sql("UPDATE audit_auditentry SET sequence = -sequence WHERE sequence < 0")


@pytest.fixture
def attacker(db):
    return Attacker()
