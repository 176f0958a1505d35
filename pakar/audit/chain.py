"""The hash chain: what each entry's digest covers and how it is computed.

``digest = HMAC-SHA256(audit key, canonical(entry))`` where ``canonical`` is
compact, key-sorted, ASCII-only JSON of a format tag and (sequence, UTC time
with microseconds, event, actor id, username, case id, case number, data,
previous digest). The first entry's previous digest is ``GENESIS``.

Why keyed. An unkeyed chain protects only what was published: anyone who can
write to the database (a stolen backup restored elsewhere, SQL injection, a
database administrator) can edit an entry and recompute every later digest,
and only a head published before the edit would show it. With a key kept
outside the database they cannot produce a single valid digest, so every edit
is caught, including edits after the last published head. The price: checking
needs the key, so ``verify_audit`` runs on the server (or wherever the key is
given), not on a database copy alone.

Which key. The audit key is derived from ``PAKAR_LOOKUP_SALT`` under its own
label. That secret already lives outside the database, is mandatory in
production and can never change for the life of an instance (changing it would
orphan every access code), which is exactly the lifetime the chain needs:
``SECRET_KEY`` and the instance key are rotated, and a rotated key would make
the whole history unverifiable. The derivation is one-way, so the audit key
gives nothing about the salt.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any, NamedTuple

from pakar.vault.keys import lookup_salt

FORMAT = "pakar-audit-1"
GENESIS = "0" * 64
_AUDIT_KEY_LABEL = b"pakar audit chain key v1"


class ChainFields(NamedTuple):
    """Everything the digest covers, in the order the columns are read."""

    sequence: int
    at: datetime.datetime
    event: int
    actor_id: int | None
    actor_username: str
    case_id: int | None
    case_number: str
    data: Any
    prev_digest: str


def audit_key() -> bytes:
    return hashlib.blake2b(_AUDIT_KEY_LABEL, key=lookup_salt(), digest_size=32).digest()


def format_time(at: datetime.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: ChainFields) -> bytes:
    payload = [FORMAT, fields.sequence, format_time(fields.at), *fields[2:]]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode()


class Hasher:
    """Computes digests with one key; the HMAC state for the key is prepared once."""

    def __init__(self, key: bytes | None = None) -> None:
        self._base = hmac.new(audit_key() if key is None else key, digestmod=hashlib.sha256)

    def digest(self, fields: ChainFields) -> str:
        mac = self._base.copy()
        mac.update(canonical(fields))
        return mac.hexdigest()
