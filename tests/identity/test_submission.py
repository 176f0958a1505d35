"""The real report form seals a confidential identity and every original file;
handlers get cleaned files; refused and infected files are named to the reporter."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from pakar import vault
from pakar.cases import files as case_files
from pakar.cases.models import Case, Evidence
from pakar.identity import sealed, services
from pakar.identity.models import SealedOriginal
from pakar.vault import DecryptionError, EncryptedReader
from tests.cases.support import storage_files
from tests.identity.conftest import PASSPHRASE, access_code
from tests.public.conftest import post_report, real_upload, upload
from tests.vault.test_clamd import EICAR, needs_clamd

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def send(client, data, evidence_file, **headers):
    """A report with one photo (some categories require evidence)."""
    return post_report(client, data, [real_upload(evidence_file("jpg_Canon_40D.jpg"))], **headers)


def read_cleaned(evidence: Evidence) -> bytes:
    with EncryptedReader(case_files.evidence_path(evidence.storage_name), evidence.file_key()) as reader:
        return reader.read()


def test_a_confidential_identity_is_sealed_to_the_custodian_and_the_reporter_only(
    client, report_data, custodian, evidence_file
):
    response = send(client, report_data(), evidence_file)
    assert response.status_code == 200
    case = Case.objects.get()
    blob = bytes(case.identity)

    assert b"Siti Aminah" not in blob
    assert case.read_identity() is None  # handlers' view: nothing
    with pytest.raises(DecryptionError):  # and the case key (the server's) does not open it
        vault.decrypt_json(case.case_key(), blob, purpose="case.identity")
    by_custodian = sealed.open_identity(case, services.unlock(custodian, PASSPHRASE))
    by_reporter = sealed.open_identity(case, vault.derive_code_keys(access_code(response)).private_key)
    assert by_custodian == by_reporter
    assert by_custodian["nik"] == "3272011203850001" and by_custodian["address"] == "Jl. Merdeka 10, Sukabumi"
    assert len(vault.sealing.recipients_of(blob)) == 2


def test_a_handler_sees_no_confidential_identity_but_an_open_one(
    client, report_data, custodian, investigator, evidence_file
):
    for data in (
        report_data(identity_mode="confidential"),
        report_data(identity_mode="open", name="Budi Santoso"),
        report_data(identity_mode="anonymous", name="", consent=""),
    ):
        assert send(client, data, evidence_file).status_code == 200
    by_mode = {case.identity_mode: case for case in Case.objects.all()}

    assert services.identity_for(by_mode["confidential"], actor=investigator) is None
    assert services.identity_for(by_mode["open"], actor=investigator)["name"] == "Budi Santoso"
    assert by_mode["anonymous"].identity is None
    assert services.identity_for(by_mode["anonymous"], actor=investigator) is None


def test_a_photo_reaches_handlers_without_gps_and_its_original_is_sealed(client, report_data, custodian, evidence_file):
    path = evidence_file("jpg_gps_DSCN0010.jpg")
    response = post_report(client, report_data(), [real_upload(path)])
    evidence = Evidence.objects.get()
    meta = evidence.read_meta()

    cleaned = read_cleaned(evidence)
    assert b"NIKON" not in cleaned and b"GPS" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).getexif() == {}
    assert meta["original_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["sha256"] == hashlib.sha256(cleaned).hexdigest()
    assert "gps" in meta["removed"]

    original = SealedOriginal.objects.get(evidence=evidence)
    for private_key in (
        services.unlock(custodian, PASSPHRASE),
        vault.derive_code_keys(access_code(response)).private_key,
    ):
        file_key, original_meta = sealed.open_original(original, private_key)
        with EncryptedReader(case_files.evidence_path(original.storage_name), file_key) as reader:
            assert reader.read() == path.read_bytes()
        assert original_meta == {
            "name": path.name,
            "mime": "image/jpeg",
            "size": path.stat().st_size,
            "sha256": meta["original_sha256"],
        }


def test_a_pdf_with_javascript_is_refused_by_name_and_nothing_is_kept(client, report_data, custodian):
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    buffer = io.BytesIO()
    pdf.save(buffer)

    response = post_report(client, report_data(), [upload("surat.pdf", buffer.getvalue())], **EN)

    assert response.status_code == 400
    page = response.content.decode()
    assert "“surat.pdf”" in page and "scripts or launch actions" in page
    assert Case.objects.count() == 0
    assert storage_files("evidence") == [] and storage_files("staging") == []


def test_a_reply_attaches_a_cleaned_file_and_seals_its_original(client, report_data, custodian, evidence_file):
    response = send(client, report_data(), evidence_file)
    code = access_code(response)
    assert client.post("/pantau/masuk/", {"code": code}).status_code == 302
    path = evidence_file("dirty.docx")
    assert client.post("/pantau/", {"text": "", "evidence": [real_upload(path)]}).status_code == 302

    evidence = Evidence.objects.get(source=Evidence.Source.FOLLOW_UP)
    assert evidence.read_meta()["original_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    key, _meta = sealed.open_original(evidence.sealed_original, vault.derive_code_keys(code).private_key)
    assert len(key) == 32


@needs_clamd
def test_an_infected_file_is_quarantined_encrypted_and_the_reporter_is_told(
    client,
    report_data,
    settings,
    daemon,
    evidence_file,
):
    settings.PAKAR_CLAMD_SOCKET = daemon.unix.socket_path
    infected = evidence_file("jpg_Canon_40D.jpg").read_bytes() + EICAR

    response = post_report(client, report_data(), [upload("foto.jpg", infected)], **EN)

    assert response.status_code == 400
    assert "“foto.jpg” was found to contain a virus" in response.content.decode()
    assert Case.objects.count() == 0 and storage_files("evidence") == []
    quarantined = storage_files("quarantine")
    assert len(quarantined) == 2  # the encrypted file and its wrapped key
    assert all(EICAR not in p.read_bytes() for p in quarantined)
