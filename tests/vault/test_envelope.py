"""Envelope encryption: per-case keys, purpose binding, instance-key rotation."""

from __future__ import annotations

import base64
import secrets

import pytest

from pakar import vault
from pakar.vault.envelope import NONCE_BYTES, wrapped_key_id
from pakar.vault.keys import key_id_of


def new_instance_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def flip_bit(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def test_a_value_encrypted_for_a_purpose_decrypts_to_the_same_bytes():
    key = vault.new_key()
    plaintext = "Pungutan liar Rp 50.000 di loket KTP — ✓".encode()
    ciphertext = vault.encrypt(key, plaintext, purpose="case.content")
    assert plaintext not in ciphertext
    assert vault.decrypt(key, ciphertext, purpose="case.content") == plaintext


def test_two_encryptions_of_the_same_value_differ():
    key = vault.new_key()
    assert vault.encrypt(key, b"sama", purpose="p") != vault.encrypt(key, b"sama", purpose="p")


def test_json_values_survive_the_round_trip_with_non_ascii_text():
    key = vault.new_key()
    value = {"what": "Petugas meminta “uang rokok”", "party": {"name": "Budi"}, "n": 3, "empty": ""}
    assert vault.decrypt_json(key, vault.encrypt_json(key, value, purpose="j"), purpose="j") == value


def test_an_empty_value_round_trips():
    key = vault.new_key()
    assert vault.decrypt(key, vault.encrypt(key, b"", purpose="e"), purpose="e") == b""


def test_a_ciphertext_cannot_be_read_for_another_purpose():
    key = vault.new_key()
    ciphertext = vault.encrypt(key, b"NIK 3201", purpose="case.identity")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(key, ciphertext, purpose="case.content")


def test_a_ciphertext_cannot_be_read_with_another_key():
    ciphertext = vault.encrypt(vault.new_key(), b"rahasia", purpose="p")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(vault.new_key(), ciphertext, purpose="p")


@pytest.mark.parametrize("where", ["nonce", "body", "tag"])
def test_a_single_flipped_bit_anywhere_is_detected(where):
    key = vault.new_key()
    ciphertext = vault.encrypt(key, b"isi laporan yang panjang", purpose="p")
    index = {"nonce": 3, "body": NONCE_BYTES + 2, "tag": len(ciphertext) - 1}[where]
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(key, flip_bit(ciphertext, index), purpose="p")


@pytest.mark.parametrize("length", [0, 10, NONCE_BYTES, NONCE_BYTES + 15])
def test_a_cut_off_ciphertext_is_refused_not_crashed_on(length):
    key = vault.new_key()
    ciphertext = vault.encrypt(key, b"", purpose="p")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(key, ciphertext[:length], purpose="p")


def test_a_truncated_ciphertext_with_data_is_detected():
    key = vault.new_key()
    ciphertext = vault.encrypt(key, b"0123456789" * 10, purpose="p")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(key, ciphertext[:-1], purpose="p")


def test_a_wrapped_case_key_unwraps_to_itself_and_names_the_current_instance_key(settings):
    settings.PAKAR_INSTANCE_KEY = current = new_instance_key()
    case_key = vault.new_case_key()
    wrapped = vault.wrap_key(case_key)
    assert case_key not in wrapped
    assert wrapped_key_id(wrapped) == key_id_of(base64.b64decode(current))
    assert vault.unwrap_key(wrapped) == case_key


def test_a_key_wrapped_under_a_retired_instance_key_still_unwraps(settings):
    settings.PAKAR_INSTANCE_KEY = old = new_instance_key()
    case_key = vault.new_case_key()
    wrapped_before_rotation = vault.wrap_key(case_key)

    settings.PAKAR_INSTANCE_KEY = new = new_instance_key()
    settings.PAKAR_RETIRED_INSTANCE_KEYS = [old]

    assert vault.unwrap_key(wrapped_before_rotation) == case_key
    rewrapped = vault.wrap_key(case_key)
    assert wrapped_key_id(rewrapped) == key_id_of(base64.b64decode(new))
    assert vault.unwrap_key(rewrapped) == case_key


def test_a_key_wrapped_under_an_instance_key_the_server_no_longer_holds_fails(settings):
    settings.PAKAR_INSTANCE_KEY = new_instance_key()
    wrapped = vault.wrap_key(vault.new_case_key())
    settings.PAKAR_INSTANCE_KEY = new_instance_key()
    settings.PAKAR_RETIRED_INSTANCE_KEYS = []
    with pytest.raises(vault.DecryptionError, match="does not hold"):
        vault.unwrap_key(wrapped)


def test_a_wrapped_key_with_an_unknown_format_version_fails():
    wrapped = vault.wrap_key(vault.new_case_key())
    with pytest.raises(vault.DecryptionError, match="version"):
        vault.unwrap_key(b"\x09" + wrapped[1:])


def test_a_tampered_wrapped_key_fails():
    wrapped = vault.wrap_key(vault.new_case_key())
    with pytest.raises(vault.DecryptionError):
        vault.unwrap_key(flip_bit(wrapped, len(wrapped) - 5))
