"""record() appends a chained, masked entry inside the caller's transaction; head() is what gets published."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import ProtectedError

from pakar.audit.chain import GENESIS, Hasher
from pakar.audit.events import AuditEvent
from pakar.audit.masking import MASK
from pakar.audit.models import AuditEntry
from pakar.audit.services import Head, head, record
from pakar.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_an_entry_records_who_did_what_to_which_case(alice, a_case):
    entry = record(AuditEvent.CASE_STATUS_CHANGED, actor=alice, case=a_case, data={"old": "received", "new": "x"})

    stored = AuditEntry.objects.get(sequence=entry.sequence)
    assert stored.sequence == 1
    assert stored.event == AuditEvent.CASE_STATUS_CHANGED
    assert stored.actor == alice
    assert stored.actor_username == "alice"
    assert stored.case_id == a_case.pk
    assert stored.case_number == a_case.number
    assert stored.data == {"old": "received", "new": "x"}
    assert stored.prev_digest == GENESIS
    assert stored.digest == Hasher().digest(stored.chain_fields())


def test_each_entry_links_to_the_one_before(written_chain):
    stored = list(AuditEntry.objects.order_by("sequence"))

    assert [entry.sequence for entry in stored] == list(range(1, 11))
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_digest == before.digest
        assert after.at >= before.at


def test_sensitive_details_never_reach_the_database(alice, a_case):
    record(
        AuditEvent.USER_CHANGED,
        actor=alice,
        data={"old": {"email": "alice@example.org", "role": "verifier"}, "access_code": "1234 5678 9012 3456"},
    )

    stored = AuditEntry.objects.get()
    assert stored.data == {"old": {"email": MASK, "role": "verifier"}, "access_code": MASK}


def test_an_anonymous_visitor_is_recorded_without_an_actor(db):
    entry = record(AuditEvent.LOGIN_FAILED, actor=AnonymousUser(), data={"username": "mallory"})

    assert entry.actor is None
    assert entry.actor_username == ""
    assert entry.data == {"username": "mallory"}


def test_an_unknown_event_code_is_refused(alice):
    with pytest.raises(ValueError):
        record(999, actor=alice)  # type: ignore[arg-type]

    assert not AuditEntry.objects.exists()


def test_an_entry_is_rolled_back_with_the_change_it_describes(alice, a_case):
    record(AuditEvent.CASE_VIEWED, actor=alice, case=a_case)

    with pytest.raises(RuntimeError), transaction.atomic():
        record(AuditEvent.CASE_STATUS_CHANGED, actor=alice, case=a_case, data={"old": "a", "new": "b"})
        raise RuntimeError("the status change failed")

    assert AuditEntry.objects.count() == 1
    again = record(AuditEvent.CASE_VIEWED, actor=alice, case=a_case)
    assert again.sequence == 2
    assert verify_chain().ok


def test_writing_an_entry_takes_at_most_three_queries(alice, a_case, django_assert_max_num_queries):
    record(AuditEvent.CASE_VIEWED, actor=alice, case=a_case)

    with django_assert_max_num_queries(3):
        record(AuditEvent.CASE_VIEWED, actor=alice, case=a_case)


def test_the_head_of_an_empty_log_is_the_genesis_value(db):
    assert head() == Head(0, GENESIS)
    assert str(head()) == "0:" + GENESIS


def test_the_head_is_the_newest_entry(written_chain):
    current = head()

    assert (current.sequence, current.digest) == (10, written_chain[-1].digest)
    assert str(current) == f"10:{written_chain[-1].digest}"
    assert current.at == written_chain[-1].at


def test_purging_a_case_keeps_its_audit_stub(alice, a_case):
    number, case_id = a_case.number, a_case.pk
    record(AuditEvent.CASE_VIEWED, actor=alice, case=a_case)
    a_case.delete()
    record(AuditEvent.CASE_PURGED, actor=None, data={"case_id": case_id})

    stub = AuditEntry.objects.get(event=AuditEvent.CASE_VIEWED)
    assert (stub.case_id, stub.case_number) == (case_id, number)
    assert verify_chain().ok


def test_someone_who_acted_on_the_record_cannot_be_deleted(alice):
    record(AuditEvent.LOGIN_SUCCEEDED, actor=alice)

    with pytest.raises(ProtectedError), transaction.atomic():
        alice.delete()

    assert verify_chain().ok


def test_renaming_a_user_does_not_rewrite_history(alice):
    record(AuditEvent.LOGIN_SUCCEEDED, actor=alice)
    alice.username = "alice.renamed"
    alice.save(update_fields=["username"])

    assert AuditEntry.objects.get().actor_username == "alice"
    assert verify_chain().ok
