"""verify_audit catches direct tampering with the table and names the first entry touched."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from pakar.audit.chain import ChainFields
from pakar.audit.events import AuditEvent
from pakar.audit.models import CHAIN_COLUMNS, AuditEntry
from pakar.audit.services import head, record
from pakar.audit.verify import PublishedHead, Tampering, parse_head, verify_chain
from pakar.vault.keys import clear_caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the msgids); operators see them in the active language."""
    with translation.override("en"):
        yield


BATCH_SIZES = [3, 4, 5000]


def test_an_untouched_log_verifies_and_reports_its_head(written_chain):
    result = verify_chain()

    assert result.ok
    assert result.entries == 10
    assert result.head.sequence == 10
    assert result.head.digest == head().digest == written_chain[-1].digest


def test_an_empty_log_verifies(db):
    result = verify_chain()

    assert result.ok
    assert result.entries == 0


def test_entries_with_awkward_data_survive_the_round_trip_through_the_database(alice):
    awkward = {
        "unicode": "Rp 1.500.000 — ✓ «kantor» 日本",
        "nested": {"z": [1, {"b": None, "a": True}], "a": ""},
        "ratio": 0.1,
        "huge": 1e20,
        "amount": decimal.Decimal("1500000.50"),
        "big": 2**62,
        "changed_at": datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "nul": "a\x00b",
    }
    record(AuditEvent.SETTINGS_CHANGED, actor=alice, data=awkward)
    record(AuditEvent.SETTINGS_CHANGED, actor=alice, data={"old": awkward, "new": {}})

    assert verify_chain().ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET event = 999 WHERE sequence = 4",
        "UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE sequence = 4",
        "UPDATE audit_auditentry SET case_number = '' WHERE sequence = 4",
        "UPDATE audit_auditentry SET case_id = NULL WHERE sequence = 4",
    ],
)
def test_editing_a_column_names_the_edited_entry(written_chain, attacker, statement):
    attacker.sql(statement)

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.EDITED, 4)
    assert "#4" in problem.message


def test_editing_old_and_new_values_names_the_edited_entry(written_chain, attacker):
    forged = json.dumps({"old": "received", "new": "rejected"})
    if connection.vendor == "postgresql":
        attacker.sql("UPDATE audit_auditentry SET data = %s::jsonb WHERE sequence = 3", [forged])
    else:
        attacker.sql("UPDATE audit_auditentry SET data = %s WHERE sequence = 3", [forged])

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.EDITED, 3)


def test_an_attacker_without_the_key_cannot_recompute_the_chain(written_chain, attacker):
    """They edit #5 and rebuild every later digest with plain SHA-256: still caught at #5."""
    attacker.sql("UPDATE audit_auditentry SET actor_username = 'nobody' WHERE sequence = 5")
    previous = AuditEntry.objects.get(sequence=4).digest
    for sequence in range(5, 11):
        values = AuditEntry.objects.filter(sequence=sequence).values_list(*CHAIN_COLUMNS).get()
        fields = ChainFields(*values)._replace(prev_digest=previous)
        forged = hashlib.sha256(repr(fields).encode()).hexdigest()
        attacker.sql(
            "UPDATE audit_auditentry SET prev_digest = %s, digest = %s WHERE sequence = %s",
            [previous, forged, sequence],
        )
        previous = forged

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.EDITED, 5)


def test_editing_the_link_to_the_previous_entry_names_the_entry(written_chain, attacker):
    attacker.sql("UPDATE audit_auditentry SET prev_digest = %s WHERE sequence = 8", ["f" * 64])

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.EDITED, 8)


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("deleted", [1, 6, 9])
def test_deleting_an_entry_names_the_missing_number(written_chain, attacker, deleted, batch_size):
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence = %s", [deleted])

    problem = verify_chain(batch_size=batch_size).problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.DELETED, deleted)
    assert f"#{deleted}" in problem.message


def test_deleting_several_entries_names_the_first_one(written_chain, attacker):
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence IN (4, 5, 6)")

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.DELETED, 4)
    assert "#4 to #6" in problem.message


def test_deleting_an_entry_and_renumbering_the_rest_is_caught(written_chain, attacker):
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence = 4")
    for sequence in range(5, 11):
        attacker.renumber(sequence, sequence - 1)

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.DELETED, 4)
    assert "written as #5" in problem.message


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("first,second", [(5, 6), (3, 7)])
def test_swapping_two_entries_names_the_first_out_of_place(written_chain, attacker, first, second, batch_size):
    attacker.renumber(first, -1)
    attacker.renumber(second, first)
    attacker.renumber(-1, second)

    problem = verify_chain(batch_size=batch_size).problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.REORDERED, first)


def test_moving_the_first_entry_later_is_caught_as_reordering(written_chain, attacker):
    attacker.renumber(1, -1)
    attacker.renumber(2, 1)
    attacker.renumber(-1, 2)

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.REORDERED, 1)


def insert_forged_copy(attacker, *, at: int, copy_of: int, prev_digest: str) -> None:
    """A forged entry made from a real one, with a digest the attacker cannot compute properly."""
    forged_digest = hashlib.sha256(f"forged {at}".encode()).hexdigest()
    attacker.sql(
        "INSERT INTO audit_auditentry (sequence, at, event, actor_id, actor_username, case_id, case_number, data, "
        "prev_digest, digest) SELECT %s, at, %s, actor_id, actor_username, case_id, case_number, data, %s, %s "
        "FROM audit_auditentry WHERE sequence = %s",
        [at, int(AuditEvent.IDENTITY_REVEAL_APPROVED), prev_digest, forged_digest, copy_of],
    )


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("position", [4, 6])
def test_inserting_a_forged_entry_names_it(written_chain, attacker, position, batch_size):
    attacker.shift_up_from(position)
    insert_forged_copy(attacker, at=position, copy_of=2, prev_digest=written_chain[position - 2].digest)

    problem = verify_chain(batch_size=batch_size).problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.INSERTED, position)


def test_a_forged_entry_appended_at_the_end_is_caught(written_chain, attacker):
    insert_forged_copy(attacker, at=11, copy_of=10, prev_digest=written_chain[-1].digest)

    problem = verify_chain().problem

    assert problem is not None
    assert problem.sequence == 11


def test_an_entry_numbered_before_the_first_is_caught_as_inserted(written_chain, attacker):
    insert_forged_copy(attacker, at=0, copy_of=1, prev_digest="0" * 64)

    problem = verify_chain().problem

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.INSERTED, 0)


def test_truncating_the_tail_is_caught_only_against_a_published_head(written_chain, attacker):
    published = head()
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence > 7")

    assert verify_chain().ok, "a shorter chain is still a valid chain"

    problem = verify_chain(expect_head=parse_head(str(published))).problem
    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.TRUNCATED, 8)
    assert "#8 to #10" in problem.message

    problem = verify_chain(expect_head=parse_head(published.digest)).problem
    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.TRUNCATED, 8)


def test_a_head_published_earlier_still_verifies_after_more_entries(written_chain, alice):
    published = head()
    record(AuditEvent.CASE_VIEWED, actor=alice)
    record(AuditEvent.LOGGED_OUT, actor=alice)

    result = verify_chain(expect_head=parse_head(str(published)))

    assert result.ok
    assert result.published_at == 10
    assert result.head.sequence == 12


def test_a_published_head_that_does_not_match_its_entry_is_refused(written_chain):
    wrong = PublishedHead(6, written_chain[6].digest)

    problem = verify_chain(expect_head=wrong).problem

    assert problem is not None
    assert problem.sequence == 6


def test_the_chain_cannot_be_checked_without_the_server_key(written_chain, settings):
    settings.PAKAR_LOOKUP_SALT = "AAAAAAAAAAAAAAAAAAAAAA=="
    clear_caches()
    try:
        problem = verify_chain().problem
    finally:
        clear_caches()

    assert problem is not None
    assert (problem.kind, problem.sequence) == (Tampering.EDITED, 1)


def test_the_command_reports_an_intact_log_and_its_head(written_chain, capsys):
    call_command("verify_audit", "--batch-size", "4")

    output = capsys.readouterr().out
    assert "intact: 10 entries" in output
    assert f"10:{written_chain[-1].digest}" in output


def test_the_command_confirms_a_published_head(written_chain, alice, capsys):
    published = str(head())
    record(AuditEvent.LOGGED_OUT, actor=alice)

    call_command("verify_audit", "--expect-head", published)

    assert "Published head found at #10; 1 entries written since." in capsys.readouterr().out


def test_the_command_fails_and_names_the_tampered_entry(written_chain, attacker):
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence = 3")

    with pytest.raises(CommandError, match=r"deleted.*Entry #3 was deleted") as caught:
        call_command("verify_audit")

    assert caught.value.returncode == 1


def test_the_command_fails_when_the_published_head_is_gone(written_chain, attacker):
    published = str(head())
    attacker.sql("DELETE FROM audit_auditentry WHERE sequence >= 9")

    with pytest.raises(CommandError, match=r"truncated.*entries #9 to #10 were removed") as caught:
        call_command("verify_audit", "--expect-head", published)

    assert caught.value.returncode == 1


@pytest.mark.parametrize("bad", ["abc", "12:xyz", "-1:" + "a" * 64, "a" * 63])
def test_the_command_refuses_a_malformed_head(db, bad):
    with pytest.raises(CommandError, match="64 hexadecimal characters") as caught:
        call_command("verify_audit", f"--expect-head={bad}")

    assert caught.value.returncode == 2
