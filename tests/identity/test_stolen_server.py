"""The stolen server: a thief with the database (all rows), the storage folder and
every setting and key file — but no custodian passphrase and no access code —
finds and opens no confidential identity, no original file and no original metadata.
With the passphrase, a custodian opens them all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from pakar import vault
from pakar.cases import files as case_files
from pakar.cases.models import Case, Evidence
from pakar.identity import sealed, services
from pakar.identity.models import SealedOriginal
from pakar.vault.keys import keyring, lookup_salt, throttle_key
from pakar.vault.sealing import PrivateKey  # type: ignore[attr-defined]
from tests.identity.conftest import PASSPHRASE
from tests.public.conftest import post_report, real_upload
from tests.public.dbdump import assert_absent, database_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = "jpg_gps_DSCN0010.jpg"
# What the photo says about the camera and the place (read with Pillow from the sample).
PHOTO_METADATA = {
    "camera model": "COOLPIX P6000",
    "software": "Nikon Transfer",
    "GPS map datum": "WGS-84",
    "GPS date": "2008:10:23",
}
IDENTITY = {
    "confidential": {"name": "Rahasia Wulandari Qx9", "nik": "3272019988770001", "phone": "081299887766"},
    "open": {"name": "Terbuka Prasetyo Kd4", "nik": "3272015544330002", "phone": "081255443322"},
}


@pytest.fixture
def stolen(client, report_data, custodian, evidence_file):
    """One report in every identity mode, each with the GPS photo, sent through the web form."""
    photo = evidence_file(PHOTO)
    for mode in ("confidential", "open", "anonymous"):
        fields = IDENTITY.get(mode, {"name": "", "nik": "", "phone": ""})
        data = report_data(identity_mode=mode, consent="on" if mode != "anonymous" else "", address="", **fields)
        response = post_report(Client(), data, [real_upload(photo)])
        assert response.status_code == 200, response.content.decode()[:2000]
    return {
        "database": database_bytes(),
        "storage": b"\n".join(p.read_bytes() for p in files_under(Path(settings.PAKAR_STORAGE_DIR))),
        "key files": b"\n".join(p.read_bytes() for p in files_under(Path(settings.PAKAR_KEY_DIR))),
        "secrets": server_secrets(),
    }


def files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return [Path(d) / n for d, _, names in os.walk(root) for n in names]


def server_secrets() -> list[bytes]:
    """Every key the server holds: instance keys (current and retired), salts, key files."""
    found = [k.secret for k in keyring().values()] + [lookup_salt(), throttle_key()]
    for path in files_under(Path(settings.PAKAR_KEY_DIR)):
        raw = path.read_bytes().strip()
        found.append(raw)
        try:
            found.append(vault.keys.decode_key(raw.decode(), name=path.name, length=16))
        except Exception:  # noqa: BLE001, S112 - a file that is not a base64 key is simply tried raw
            continue
    return found


def server_readable_plaintext() -> bytes:
    """All the thief can decrypt with the server's keys: case content, messages,
    evidence metadata and every evidence file handlers see."""
    parts = []
    for case in Case.objects.all():
        parts.append(repr(case.read_content()).encode())
        for evidence in Evidence.objects.filter(case=case):
            parts.append(repr(evidence.read_meta()).encode())
            with vault.EncryptedReader(case_files.evidence_path(evidence.storage_name), evidence.file_key()) as r:
                parts.append(r.read())
        for message in case.messages.all():
            parts.append(message.read_body().encode())
    return b"\n".join(parts)


def candidate_private_keys(secrets: list[bytes]) -> list[PrivateKey]:
    return [PrivateKey(s[:32]) for s in secrets if len(s) >= 32]


def test_no_identity_or_photo_metadata_lies_in_the_stolen_bytes(stolen):
    everything = stolen["database"] + stolen["storage"] + stolen["key files"]
    assert Case.objects.count() == 3 and SealedOriginal.objects.count() == 3
    assert_absent(IDENTITY["confidential"], everything, "the stolen server")
    assert_absent(IDENTITY["open"], everything, "the stolen server (open identities are encrypted at rest too)")
    assert_absent(PHOTO_METADATA, everything, "the stolen server")


def test_the_server_keys_decrypt_no_confidential_identity_and_no_original(stolen):
    readable = server_readable_plaintext()
    assert b"Biaya tambahan" in readable, "the thief can read what handlers read: otherwise this proves nothing"
    assert_absent(IDENTITY["confidential"], readable, "what the server's keys decrypt")
    assert_absent(PHOTO_METADATA, readable, "the cleaned files handlers see")

    confidential = Case.objects.get(identity_mode="confidential")
    assert confidential.read_identity() is None
    with pytest.raises(vault.DecryptionError):
        vault.decrypt_json(confidential.case_key(), bytes(confidential.identity), purpose="case.identity")
    for private_key in candidate_private_keys(stolen["secrets"]):
        with pytest.raises(vault.DecryptionError):
            sealed.open_identity(confidential, private_key)
        for original in SealedOriginal.objects.all():
            with pytest.raises(vault.DecryptionError):
                sealed.open_original(original, private_key)
    # No file key the server can reach opens an original file.
    file_keys = [e.file_key() for e in Evidence.objects.all()] + [c.case_key() for c in Case.objects.all()]
    for original in SealedOriginal.objects.all():
        for key in file_keys + [s[:32] for s in stolen["secrets"] if len(s) >= 32]:
            with pytest.raises(vault.DecryptionError):
                with vault.EncryptedReader(case_files.evidence_path(original.storage_name), key) as reader:
                    reader.read()


def test_the_open_identity_is_readable_to_handlers_by_the_reporters_choice(stolen):
    assert Case.objects.get(identity_mode="open").read_identity()["name"] == IDENTITY["open"]["name"]
    assert Case.objects.get(identity_mode="anonymous").identity is None


def test_with_the_passphrase_a_custodian_opens_the_identity_and_every_original(stolen, custodian, evidence_file):
    private_key = services.unlock(custodian, PASSPHRASE)
    confidential = Case.objects.get(identity_mode="confidential")
    identity = sealed.open_identity(confidential, private_key)
    assert {k: identity[k] for k in IDENTITY["confidential"]} == IDENTITY["confidential"]
    photo = evidence_file(PHOTO).read_bytes()
    for original in SealedOriginal.objects.all():
        file_key, meta = sealed.open_original(original, private_key)
        with vault.EncryptedReader(case_files.evidence_path(original.storage_name), file_key) as reader:
            data = reader.read()
        assert data == photo and meta["name"] == PHOTO
        assert PHOTO_METADATA["camera model"].encode() in data
