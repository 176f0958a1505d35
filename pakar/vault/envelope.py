"""Envelope encryption: per-case keys wrapped by the instance key.

Every value is encrypted with XChaCha20-Poly1305 and bound to a *purpose*
label (associated data), so a ciphertext cannot be moved from one field to
another without the decryption failing.
"""

from __future__ import annotations

import json
from typing import Any, NewType

import nacl.exceptions
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)

from pakar.vault.keys import KEY_BYTES, current_key, keyring

CaseKey = NewType("CaseKey", bytes)
NONCE_BYTES = 24
WRAP_VERSION = b"\x01"


class DecryptionError(Exception):
    """A ciphertext was altered, truncated, or belongs to another key or field."""


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_case_key() -> CaseKey:
    return CaseKey(new_key())


def encrypt(key: bytes, plaintext: bytes, *, purpose: str) -> bytes:
    nonce = nacl.utils.random(NONCE_BYTES)
    return nonce + crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, purpose.encode(), nonce, key)


def decrypt(key: bytes, ciphertext: bytes, *, purpose: str) -> bytes:
    data = bytes(ciphertext)
    if len(data) < NONCE_BYTES + 16:
        raise DecryptionError("ciphertext too short")
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(data[NONCE_BYTES:], purpose.encode(), data[:NONCE_BYTES], key)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError(str(exc)) from exc


def encrypt_json(key: bytes, value: Any, *, purpose: str) -> bytes:
    return encrypt(key, json.dumps(value, ensure_ascii=False).encode(), purpose=purpose)


def decrypt_json(key: bytes, ciphertext: bytes, *, purpose: str) -> Any:
    return json.loads(decrypt(key, ciphertext, purpose=purpose))


def wrap_key(key: bytes) -> bytes:
    """Wrap a case or file key under the current instance key."""
    instance = current_key()
    return WRAP_VERSION + instance.key_id + encrypt(instance.secret, key, purpose="wrap")


def unwrap_key(wrapped: bytes) -> bytes:
    data = bytes(wrapped)
    if data[:1] != WRAP_VERSION:
        raise DecryptionError("unknown wrapping version")
    instance = keyring().get(data[1:5])
    if instance is None:
        raise DecryptionError("wrapped under an instance key this server does not hold")
    return decrypt(instance.secret, data[5:], purpose="wrap")


def wrapped_key_id(wrapped: bytes) -> bytes:
    return bytes(wrapped)[1:5]
