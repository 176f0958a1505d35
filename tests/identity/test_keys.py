"""Instance key rotation survives interruption; purging a case leaves nothing that opens."""

from __future__ import annotations

import base64
import secrets

import pytest
from django.core.management import call_command

from pakar import vault
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.cases import files as case_files
from pakar.cases import services as case_services
from pakar.cases.models import Case, Evidence
from pakar.identity import keys
from pakar.identity.models import SealedOriginal
from pakar.vault.envelope import wrapped_key_id
from pakar.vault.keys import key_id_of
from tests.cases.support import report_input, stage, storage_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(category, unit, custodian, evidence_file):
    photo = evidence_file("jpg_gps_DSCN0010.jpg").read_bytes()
    return [
        case_services.submit_report(report_input(category, unit, files=[stage("foto.jpg", photo)])).case
        for _ in range(5)
    ]


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def test_rotation_interrupted_after_two_cases_and_resumed_loses_nothing(cases, settings):
    old = settings.PAKAR_INSTANCE_KEY
    contents = {case.pk: case.read_content() for case in cases}
    settings.PAKAR_INSTANCE_KEY, settings.PAKAR_RETIRED_INSTANCE_KEYS = new_key_text(), [old]
    new_id = key_id_of(base64.b64decode(settings.PAKAR_INSTANCE_KEY))

    first = keys.rotate_instance_key(batch=2, stop_after=2)
    assert first.interrupted and first.rewrapped == 2
    under_new = [c for c in Case.objects.all() if wrapped_key_id(bytes(c.wrapped_key)) == new_id]
    assert len(under_new) == 2
    for case in Case.objects.all():  # half-way, every case still opens
        assert case.read_content() == contents[case.pk]

    call_command("rotate_instance_key", "--batch", "2", stdout=open("/dev/null", "w"))
    assert all(wrapped_key_id(bytes(c.wrapped_key)) == new_id for c in Case.objects.all())
    again = keys.rotate_instance_key()
    assert again.rewrapped == 0 and again.already_current == 5

    # The old key can now be dropped: everything still opens with the new key alone.
    settings.PAKAR_RETIRED_INSTANCE_KEYS = []
    for case in Case.objects.all():
        assert case.read_content() == contents[case.pk]
        evidence = case.evidence.get()
        assert evidence.read_meta()["mime"] == "image/jpeg"
    assert AuditEntry.objects.filter(event=AuditEvent.INSTANCE_KEY_ROTATED).exists()


def test_a_purged_case_keeps_a_stub_and_its_bytes_no_longer_open(cases, django_capture_on_commit_callbacks):
    case = cases[0]
    evidence = Evidence.objects.get(case=case)
    file_key = evidence.file_key()
    backup = {
        "content": bytes(case.content),
        "evidence": case_files.evidence_path(evidence.storage_name).read_bytes(),
        "wrapped_file_key": bytes(evidence.wrapped_file_key),
    }
    original_name = SealedOriginal.objects.get(evidence=evidence).storage_name
    assert vault.decrypt(case.case_key(), backup["wrapped_file_key"], purpose="evidence.key") == file_key

    with django_capture_on_commit_callbacks(execute=True):
        keys.purge_case(case, actor=None)

    stub = Case.objects.get(pk=case.pk)
    assert stub.number == case.number and stub.status == case.status
    assert bytes(stub.wrapped_key) == b"" and stub.identity is None
    with pytest.raises(vault.DecryptionError):
        vault.unwrap_key(bytes(stub.wrapped_key))
    assert not case_files.evidence_path(evidence.storage_name).exists()
    assert not case_files.evidence_path(original_name).exists()
    assert not Evidence.objects.filter(case=stub).exists()
    # A backup of the old bytes is useless: no key the server holds opens it.
    for instance_key in vault.keys.keyring().values():
        with pytest.raises(vault.DecryptionError):
            vault.decrypt(instance_key.secret, backup["wrapped_file_key"], purpose="evidence.key")
    assert len(storage_files("evidence")) == 2 * (len(cases) - 1)
    assert AuditEntry.objects.filter(event=AuditEvent.CASE_PURGED, case_id=case.pk).exists()
    # Other cases are untouched.
    assert cases[1].read_content()["title"]
