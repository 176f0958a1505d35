"""Writers appending at the same moment queue up: the chain never forks and no number is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.services import record
from pakar.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6
ENTRIES_EACH = 20


def append_from_parallel_threads(actor) -> list[BaseException]:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(ENTRIES_EACH):
                with transaction.atomic():
                    # Some work of the caller's own first, as in a real transaction.
                    AuditEntry.objects.count()
                    record(AuditEvent.CASE_VIEWED, actor=actor, data={"worker": worker, "n": n})
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_one_unbroken_chain() -> None:
    total = WRITERS * ENTRIES_EACH
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, total + 1))
    digests = AuditEntry.objects.values_list("prev_digest", flat=True)
    assert len(set(digests)) == total, "two entries name the same predecessor: the chain forked"
    result = verify_chain()
    assert result.ok, result.problem
    assert result.entries == total


@pytest.mark.postgres
def test_parallel_appends_never_fork_the_chain_on_postgresql(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: exercises the advisory lock between real concurrent transactions")
    actor = django_user_model.objects.create_user(username="alice", password="not-used-here-1234")

    errors = append_from_parallel_threads(actor)

    assert errors == []
    assert_one_unbroken_chain()


def test_parallel_appends_never_fork_the_chain_on_sqlite(django_user_model):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: checks that BEGIN IMMEDIATE serialises writers")
    actor = django_user_model.objects.create_user(username="alice", password="not-used-here-1234")

    errors = append_from_parallel_threads(actor)

    assert errors == []
    assert_one_unbroken_chain()
