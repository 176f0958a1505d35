"""Access codes: 16 random digits, one Argon2id run per use.

One run of Argon2id over (code, instance salt) yields 64 bytes:
- the first half, hashed again for domain separation, is the lookup value
  stored in the database (only this is stored);
- the second half seeds the reporter's X25519 key pair, so that material can be
  sealed to the reporter (their public key is stored) and opened again only by
  someone holding the code.

The instance salt lives outside the database, so a stolen database alone
gives nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from nacl.public import PrivateKey

from pakar.vault.keys import lookup_salt

CODE_DIGITS = 16
_NON_DIGITS = re.compile(r"[\s\-.]")


@dataclass(frozen=True)
class CodeKeys:
    lookup: str
    private_key: PrivateKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.private_key.public_key)


def new_access_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def format_code(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """The 16 digits of a typed code (spaces and dashes allowed), or None."""
    digits = _NON_DIGITS.sub("", text or "")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def derive_code_keys(code: str) -> CodeKeys:
    raw = hash_secret_raw(
        secret=code.encode(),
        salt=lookup_salt(),
        time_cost=settings.PAKAR_KDF_TIME_COST,
        memory_cost=settings.PAKAR_KDF_MEMORY_KIB,
        parallelism=settings.PAKAR_KDF_PARALLELISM,
        hash_len=64,
        type=Type.ID,
    )
    lookup = hashlib.blake2b(raw[:32], digest_size=32, person=b"pakar-lookup").hexdigest()
    return CodeKeys(lookup=lookup, private_key=PrivateKey(raw[32:]))
