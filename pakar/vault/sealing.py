"""Sealing: data that only named recipients can open — never the server alone.

A sealed blob holds the data encrypted under a fresh random key, and that key
encrypted to each recipient's X25519 public key (libsodium sealed boxes).
Recipients are the identity custodians and the reporter (whose key pair is
derived from the access code, see :mod:`pakar.vault.codes`). The instance key
plays no part, so a copy of the database, the files and every server key
together still opens nothing.

A custodian's private key is itself stored twice: encrypted under a key
derived with Argon2id from the custodian's passphrase (separate from the login
password), and under a printable recovery key created at enrolment.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import struct
from collections.abc import Iterable
from dataclasses import dataclass

import nacl.exceptions
from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox

from pakar.vault.envelope import DecryptionError, decrypt, encrypt, new_key

MAGIC = b"PKS1"
ID_BYTES = 8
SALT_BYTES = 16
RECOVERY_BYTES = 20


def recipient_id(public_key: bytes) -> bytes:
    return hashlib.blake2b(bytes(public_key), digest_size=ID_BYTES, person=b"pakar-recip").digest()


def seal(plaintext: bytes, recipients: Iterable[bytes]) -> bytes:
    """Encrypt ``plaintext`` so that each recipient public key can open it."""
    keys = list(dict.fromkeys(bytes(pk) for pk in recipients))
    if not keys:
        raise ValueError("sealing needs at least one recipient")
    data_key = new_key()
    parts = [MAGIC, struct.pack(">H", len(keys))]
    for public_key in keys:
        slot = SealedBox(PublicKey(public_key)).encrypt(data_key)
        parts += [recipient_id(public_key), struct.pack(">H", len(slot)), slot]
    parts.append(encrypt(data_key, plaintext, purpose="sealed"))
    return b"".join(parts)


def _slots(blob: bytes) -> tuple[dict[bytes, bytes], bytes]:
    data = bytes(blob)
    if data[:4] != MAGIC:
        raise DecryptionError("not a sealed blob")
    (count,) = struct.unpack(">H", data[4:6])
    offset, slots = 6, {}
    for _ in range(count):
        rid = data[offset : offset + ID_BYTES]
        (size,) = struct.unpack(">H", data[offset + ID_BYTES : offset + ID_BYTES + 2])
        start = offset + ID_BYTES + 2
        slots[rid] = data[start : start + size]
        offset = start + size
    return slots, data[offset:]


def recipients_of(blob: bytes) -> set[bytes]:
    """The recipient identifiers a blob is sealed to."""
    return set(_slots(blob)[0])


def open_sealed(blob: bytes, private_key: PrivateKey) -> bytes:
    slots, body = _slots(blob)
    slot = slots.get(recipient_id(bytes(private_key.public_key)))
    if slot is None:
        raise DecryptionError("not sealed to this key")
    try:
        data_key = SealedBox(private_key).decrypt(slot)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("sealed key slot does not open") from exc
    return decrypt(data_key, body, purpose="sealed")


def reseal(blob: bytes, private_key: PrivateKey, recipients: Iterable[bytes]) -> bytes:
    """Open with one recipient's key and seal the same data to a new set of recipients."""
    return seal(open_sealed(blob, private_key), recipients)


# --- custodian key pairs ------------------------------------------------------


@dataclass(frozen=True)
class CustodianKeys:
    """What is stored for a custodian: the public key and two locked copies of the private key."""

    public_key: bytes
    by_passphrase: bytes
    by_recovery: bytes


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return hash_secret_raw(
        secret=passphrase.encode(),
        salt=salt,
        time_cost=max(2, settings.PAKAR_KDF_TIME_COST),
        memory_cost=settings.PAKAR_KDF_MEMORY_KIB,
        parallelism=settings.PAKAR_KDF_PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )


def _recovery_key(recovery: str) -> bytes:
    cleaned = "".join(recovery.split()).replace("-", "").upper()
    try:
        raw = base64.b32decode(cleaned)
    except ValueError as exc:
        raise DecryptionError("not a recovery key") from exc
    # A recovery key carries 160 random bits: no slow derivation is needed.
    return hashlib.blake2b(raw, digest_size=32, person=b"pakar-recovery").digest()


def format_recovery(raw: bytes) -> str:
    text = base64.b32encode(raw).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _lock(private_key: PrivateKey, passphrase: str) -> bytes:
    salt = secrets.token_bytes(SALT_BYTES)
    return salt + encrypt(_passphrase_key(passphrase, salt), bytes(private_key), purpose="custodian.passphrase")


def enrol_custodian(passphrase: str) -> tuple[CustodianKeys, str]:
    """A new custodian key pair, locked by the passphrase and by a recovery key
    that is returned once, to be printed and kept offline."""
    private_key = PrivateKey.generate()
    recovery = format_recovery(secrets.token_bytes(RECOVERY_BYTES))
    keys = CustodianKeys(
        public_key=bytes(private_key.public_key),
        by_passphrase=_lock(private_key, passphrase),
        by_recovery=encrypt(_recovery_key(recovery), bytes(private_key), purpose="custodian.recovery"),
    )
    return keys, recovery


def unlock_custodian(keys: CustodianKeys, passphrase: str) -> PrivateKey:
    data = bytes(keys.by_passphrase)
    raw = decrypt(_passphrase_key(passphrase, data[:SALT_BYTES]), data[SALT_BYTES:], purpose="custodian.passphrase")
    return PrivateKey(raw)


def unlock_with_recovery(keys: CustodianKeys, recovery: str) -> PrivateKey:
    return PrivateKey(decrypt(_recovery_key(recovery), bytes(keys.by_recovery), purpose="custodian.recovery"))


def change_passphrase(keys: CustodianKeys, private_key: PrivateKey, passphrase: str) -> CustodianKeys:
    return CustodianKeys(keys.public_key, _lock(private_key, passphrase), keys.by_recovery)
