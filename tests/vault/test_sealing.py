"""Sealing to custodians and the reporter: nothing the server holds can open it."""

from __future__ import annotations

import pytest
from nacl.public import PrivateKey

from pakar.vault import DecryptionError, derive_code_keys, new_access_code
from pakar.vault.sealing import (
    change_passphrase,
    enrol_custodian,
    open_sealed,
    recipient_id,
    recipients_of,
    reseal,
    seal,
    unlock_custodian,
    unlock_with_recovery,
)

IDENTITY = b"Siti Rahmawati, NIK 3272010101900001"


@pytest.fixture
def custodian():
    keys, recovery = enrol_custodian("kata sandi penjaga identitas")
    return keys, recovery


def test_each_recipient_opens_what_was_sealed_to_them(custodian):
    keys, _ = custodian
    reporter = derive_code_keys(new_access_code())
    blob = seal(IDENTITY, [keys.public_key, reporter.public_key])

    custodian_key = unlock_custodian(keys, "kata sandi penjaga identitas")
    assert open_sealed(blob, custodian_key) == IDENTITY
    assert open_sealed(blob, reporter.private_key) == IDENTITY
    assert recipients_of(blob) == {recipient_id(keys.public_key), recipient_id(reporter.public_key)}


def test_a_key_it_was_not_sealed_to_opens_nothing(custodian):
    keys, _ = custodian
    blob = seal(IDENTITY, [keys.public_key])
    with pytest.raises(DecryptionError):
        open_sealed(blob, PrivateKey.generate())


def test_the_sealed_bytes_do_not_contain_the_plaintext(custodian):
    keys, _ = custodian
    assert IDENTITY not in seal(IDENTITY, [keys.public_key])


def test_a_tampered_blob_does_not_open(custodian):
    keys, _ = custodian
    blob = bytearray(seal(IDENTITY, [keys.public_key]))
    blob[-5] ^= 1
    with pytest.raises(DecryptionError):
        open_sealed(bytes(blob), unlock_custodian(keys, "kata sandi penjaga identitas"))


def test_a_wrong_passphrase_does_not_unlock_the_custodian_key(custodian):
    keys, _ = custodian
    with pytest.raises(DecryptionError):
        unlock_custodian(keys, "tebakan")


def test_the_recovery_key_unlocks_the_same_private_key_and_a_new_passphrase_can_be_set(custodian):
    keys, recovery = custodian
    recovered = unlock_with_recovery(keys, recovery.lower().replace("-", " "))
    assert bytes(recovered.public_key) == keys.public_key
    changed = change_passphrase(keys, recovered, "frasa baru yang panjang")
    assert bytes(unlock_custodian(changed, "frasa baru yang panjang").public_key) == keys.public_key
    with pytest.raises(DecryptionError):
        unlock_custodian(changed, "kata sandi penjaga identitas")


def test_a_wrong_recovery_key_does_not_unlock(custodian):
    keys, _ = custodian
    other_keys, other_recovery = enrol_custodian("lain")
    with pytest.raises(DecryptionError):
        unlock_with_recovery(keys, other_recovery)
    with pytest.raises(DecryptionError):
        unlock_with_recovery(keys, "not base32 at all!")


def test_resealing_adds_a_new_custodian_and_drops_a_removed_one(custodian):
    keys, _ = custodian
    newcomer, _ = enrol_custodian("penjaga kedua")
    private = unlock_custodian(keys, "kata sandi penjaga identitas")
    blob = seal(IDENTITY, [keys.public_key])

    resealed = reseal(blob, private, [newcomer.public_key])
    assert open_sealed(resealed, unlock_custodian(newcomer, "penjaga kedua")) == IDENTITY
    with pytest.raises(DecryptionError):
        open_sealed(resealed, private)


def test_sealing_to_nobody_is_refused():
    with pytest.raises(ValueError):
        seal(IDENTITY, [])
