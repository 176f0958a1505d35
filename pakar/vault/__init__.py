"""All of PAKAR's cryptography, behind a small API.

- Envelope keys: every case has its own random key, wrapped by the instance key
  that lives outside the database (:mod:`pakar.vault.envelope`).
- Access codes: one Argon2id run derives both the lookup hash and the
  reporter's key pair (:mod:`pakar.vault.codes`).
- Files: chunked, authenticated streaming encryption with random access for
  readers (:mod:`pakar.vault.files`).

Nothing outside this package imports PyNaCl or argon2 directly.
"""

from pakar.vault.codes import CodeKeys, derive_code_keys, format_code, new_access_code, normalise_code
from pakar.vault.envelope import (
    CaseKey,
    DecryptionError,
    decrypt,
    decrypt_json,
    encrypt,
    encrypt_json,
    new_case_key,
    new_key,
    unwrap_key,
    wrap_key,
)
from pakar.vault.files import EncryptedReader, EncryptedWriter, encrypted_size_to_plain

__all__ = [
    "CaseKey",
    "CodeKeys",
    "DecryptionError",
    "EncryptedReader",
    "EncryptedWriter",
    "decrypt",
    "decrypt_json",
    "derive_code_keys",
    "encrypt",
    "encrypt_json",
    "encrypted_size_to_plain",
    "format_code",
    "new_access_code",
    "new_case_key",
    "new_key",
    "normalise_code",
    "unwrap_key",
    "wrap_key",
]
