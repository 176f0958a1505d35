"""Writing to the audit log, and its head for publishing.

``record()`` joins the caller's transaction: the entry commits with the change
it describes or not at all. Appends are serialised so two writers never fork
the chain:

- PostgreSQL: a transaction-scoped advisory lock, held until the caller
  commits. Call ``record()`` last in a transaction, right before it commits,
  so the lock is held briefly; every audited write in the system queues on it.
- SQLite: PAKAR opens every transaction with BEGIN IMMEDIATE (settings), so
  writers are already serialised by the database's write lock.

Either way the sequence number is the primary key: if serialisation ever
failed, the second writer would hit a unique violation, never a fork.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from pakar.audit.chain import GENESIS, Hasher
from pakar.audit.events import AuditEvent
from pakar.audit.masking import mask_sensitive
from pakar.audit.models import AuditEntry

if TYPE_CHECKING:
    from pakar.accounts.models import User

# A fixed 64-bit advisory lock id for "the audit chain", derived from a label
# so it cannot collide by accident with another lock PAKAR takes.
CHAIN_LOCK_ID = int.from_bytes(hashlib.blake2b(b"pakar.audit.chain", digest_size=8).digest(), "big", signed=True)


class CaseReference(Protocol):
    """What an entry keeps of a case: its id and number (a ``Case`` fits)."""

    @property
    def pk(self) -> Any: ...

    @property
    def number(self) -> str: ...


@dataclass(frozen=True)
class Head:
    """The newest entry: publish ``str(head)`` ("SEQUENCE:DIGEST")."""

    sequence: int
    digest: str
    at: datetime.datetime | None = None

    def __str__(self) -> str:
        return f"{self.sequence}:{self.digest}"


def head() -> Head:
    row = AuditEntry.objects.order_by("-sequence").values_list("sequence", "digest", "at").first()
    if row is None:
        return Head(0, GENESIS)
    return Head(*row)


def record(
    event: AuditEvent,
    *,
    actor: User | AnonymousUser | None,
    case: CaseReference | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the log, in the caller's transaction if there is one.

    ``actor`` is the staff member acting (None or an anonymous user for the
    system, a reporter or an unknown sign-in). ``case`` is kept as its id and
    number only. ``data`` holds ids, codes of choices and old/new values of
    settings; sensitive keys are masked (:mod:`pakar.audit.masking`), so
    never rely on it to carry text. Call it last in the transaction: on
    PostgreSQL it holds the chain lock until the transaction ends.
    """
    event = AuditEvent(event)
    user = None if actor is None or isinstance(actor, AnonymousUser) else actor
    details = mask_sensitive(dict(data or {}))
    with transaction.atomic(savepoint=False):
        _lock_chain()
        previous = head()
        entry = AuditEntry(
            sequence=previous.sequence + 1,
            # Taken under the lock, so times never go backwards along the chain.
            at=timezone.now(),
            event=int(event),
            actor=user,
            actor_username=user.get_username() if user else "",
            case_id=case.pk if case is not None else None,
            case_number=case.number if case is not None else "",
            data=details,
            prev_digest=previous.digest,
        )
        entry.digest = Hasher().digest(entry.chain_fields())
        entry.save()
    return entry


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
