"""Creating a case: one transaction, gap-free yearly numbers, nothing half-saved,
nothing lost, and a replayed form creating nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import IntegrityError
from django.utils import timezone

from pakar import vault
from pakar.cases import files as case_files
from pakar.cases import services
from pakar.cases.models import Case, Evidence, NumberSequence, Status, StatusChange, SubmissionToken
from pakar.identity import sealed
from pakar.vault import EncryptedReader
from tests.cases.support import report_input, stage, storage_files

pytestmark = pytest.mark.django_db

JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def pdf_bytes(evidence_file):
    return evidence_file("dirty.pdf").read_bytes()


@pytest.fixture
def jpeg_bytes(evidence_file):
    return evidence_file("jpg_gps_DSCN0010.jpg").read_bytes()


def year_now() -> int:
    return timezone.localdate().year


def nothing_saved() -> None:
    assert Case.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert storage_files("evidence") == []


def test_a_report_becomes_a_case_with_a_receipt_and_its_evidence(category, unit, pdf_bytes):
    staged = stage("kuitansi.pdf", pdf_bytes)
    receipt = services.submit_report(report_input(category, unit, files=[staged]))

    case = Case.objects.get()
    assert receipt.case == case
    assert case.number == f"PKR-{year_now()}-00001"
    assert case.status == Status.RECEIVED
    assert len(receipt.access_code) == 16 and receipt.access_code.isdigit()
    assert services.find_case_by_code(receipt.access_code) == case
    assert case.read_content()["what"] == "Petugas meminta Rp 50.000 agar KTP cepat jadi."
    assert case.read_content()["party"]["name"] == "Petugas loket 3"
    # Confidential: sealed to the custodians and the reporter; the access code opens it.
    reporter_key = vault.derive_code_keys(receipt.access_code).private_key
    assert sealed.open_identity(case, reporter_key)["name"] == "Siti Aminah"
    assert [s.to_status for s in case.status_changes.all()] == [Status.RECEIVED]

    evidence = Evidence.objects.get(case=case)
    meta = evidence.read_meta()
    assert meta["name"] == "kuitansi.pdf"
    assert meta["mime"] == "application/pdf"
    # Handlers get the cleaned copy; the original is sealed, both digests recorded.
    assert meta["original_sha256"] == hashlib.sha256(pdf_bytes).hexdigest()
    with EncryptedReader(case_files.evidence_path(evidence.storage_name), evidence.file_key()) as reader:
        assert hashlib.sha256(reader.read()).hexdigest() == meta["sha256"]
    file_key, original_meta = sealed.open_original(evidence.sealed_original, reporter_key)
    with EncryptedReader(case_files.evidence_path(evidence.sealed_original.storage_name), file_key) as reader:
        assert reader.read() == pdf_bytes
    assert original_meta["sha256"] == meta["original_sha256"]
    assert storage_files("staging") == []


def test_an_anonymous_report_stores_no_identity_even_if_one_was_typed(category, unit):
    data = report_input(category, unit)
    data.identity_mode = "anonymous"
    receipt = services.submit_report(data)
    assert receipt.case.identity is None
    assert Case.objects.get().read_identity() is None


def test_case_numbers_follow_each_other_within_a_year(category, unit):
    numbers = [services.submit_report(report_input(category, unit)).case.number for _ in range(3)]
    year = year_now()
    assert numbers == [f"PKR-{year}-00001", f"PKR-{year}-00002", f"PKR-{year}-00003"]


def test_numbering_starts_again_at_one_in_a_new_local_year(category, unit, monkeypatch):
    """The year is Jakarta's: 17:00 UTC on 31 December is already New Year in WIB."""
    instants = iter(
        [
            dt.datetime(2026, 12, 31, 23, 58, tzinfo=JAKARTA),
            dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=JAKARTA),
            dt.datetime(2026, 12, 31, 17, 0, 0, tzinfo=dt.UTC),  # 00:00 WIB, 1 January 2027
            dt.datetime(2027, 1, 1, 8, 0, tzinfo=JAKARTA),
        ]
    )
    current = {"now": None}

    def clock():
        return current["now"]

    monkeypatch.setattr(timezone, "now", clock)
    numbers = []
    for instant in instants:
        current["now"] = instant
        numbers.append(services.submit_report(report_input(category, unit)).case.number)
    assert numbers == ["PKR-2026-00001", "PKR-2026-00002", "PKR-2027-00001", "PKR-2027-00002"]
    assert dict(NumberSequence.objects.values_list("year", "last")) == {2026: 2, 2027: 2}


def test_a_file_missing_half_way_leaves_no_case_and_puts_every_file_back_in_staging(
    category, unit, pdf_bytes, jpeg_bytes
):
    first = stage("kuitansi.pdf", pdf_bytes)
    second = stage("foto.jpg", jpeg_bytes)
    vanished = stage("hilang.pdf", pdf_bytes)
    vanished.path.unlink()  # e.g. purged from staging while the form was open

    with pytest.raises(FileNotFoundError):
        services.submit_report(report_input(category, unit, files=[first, second, vanished]))

    nothing_saved()
    for staged, data in ((first, pdf_bytes), (second, jpeg_bytes)):
        back = case_files.load_staged(staged.token)
        assert back is not None, f"{staged.name} was lost"
        with back.reader() as reader:
            assert reader.read() == data
    # Only the two good files (original, cleaned copy, metadata each) and what is left
    # of the vanished one (expired by the staging purge) remain.
    assert {p.name for p in storage_files("staging")} == {
        first.upload_id,
        f"{first.upload_id}.clean",
        f"{first.upload_id}.meta",
        second.upload_id,
        f"{second.upload_id}.clean",
        f"{second.upload_id}.meta",
        f"{vanished.upload_id}.clean",
        f"{vanished.upload_id}.meta",
    }


def test_the_number_of_a_failed_submission_is_not_skipped(category, unit, pdf_bytes):
    vanished = stage("hilang.pdf", pdf_bytes)
    vanished.path.unlink()
    with pytest.raises(FileNotFoundError):
        services.submit_report(report_input(category, unit, files=[vanished]))
    assert services.submit_report(report_input(category, unit)).case.number == f"PKR-{year_now()}-00001"


def test_a_database_error_half_way_leaves_nothing_and_keeps_the_staged_files(category, unit, pdf_bytes):
    # A case already holds the number the sequence hands out next: the insert fails.
    taken = services.submit_report(report_input(category, unit)).case
    NumberSequence.objects.filter(year=year_now()).update(last=0)
    staged = stage("kuitansi.pdf", pdf_bytes)

    with pytest.raises(IntegrityError):
        services.submit_report(report_input(category, unit, files=[staged]), form_token="token-1")

    assert list(Case.objects.all()) == [taken]
    assert Evidence.objects.count() == 0
    assert StatusChange.objects.count() == 1
    assert NumberSequence.objects.get(year=year_now()).last == 0
    assert not SubmissionToken.objects.exists(), "the form token must be usable again"
    assert storage_files("evidence") == []
    assert case_files.load_staged(staged.token) is not None


def test_a_database_error_after_files_moved_restores_them(category, unit, pdf_bytes, jpeg_bytes, monkeypatch):
    """The evidence insert itself fails after both files were moved into evidence storage."""
    first = stage("kuitansi.pdf", pdf_bytes)
    second = stage("foto.jpg", jpeg_bytes)
    real_create = Evidence.objects.create
    calls = {"n": 0}

    def create_then_collide(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            # The same storage name twice violates the unique constraint in the database.
            kwargs["storage_name"] = Evidence.objects.get().storage_name
        return real_create(**kwargs)

    monkeypatch.setattr(Evidence.objects, "create", create_then_collide)
    with pytest.raises(IntegrityError):
        services.submit_report(report_input(category, unit, files=[first, second]))

    nothing_saved()
    for staged, data in ((first, pdf_bytes), (second, jpeg_bytes)):
        back = case_files.load_staged(staged.token)
        assert back is not None, f"{staged.name} was lost"
        with back.reader() as reader:
            assert reader.read() == data


def test_the_staged_files_can_be_submitted_again_after_a_failure(category, unit, pdf_bytes):
    good = stage("kuitansi.pdf", pdf_bytes)
    vanished = stage("hilang.pdf", pdf_bytes)
    vanished.path.unlink()
    with pytest.raises(FileNotFoundError):
        services.submit_report(report_input(category, unit, files=[good, vanished]))

    again = case_files.load_staged(good.token)
    receipt = services.submit_report(report_input(category, unit, files=[again]))
    assert receipt.case.number == f"PKR-{year_now()}-00001"
    assert Evidence.objects.get().read_meta()["name"] == "kuitansi.pdf"
    assert {p.name for p in storage_files("staging")} == {f"{vanished.upload_id}.meta", f"{vanished.upload_id}.clean"}


def test_a_replayed_form_token_creates_nothing(category, unit, pdf_bytes):
    services.submit_report(report_input(category, unit), form_token="f0rm-t0ken")
    staged = stage("kuitansi.pdf", pdf_bytes)

    with pytest.raises(services.ReplayedSubmissionError):
        services.submit_report(report_input(category, unit, files=[staged]), form_token="f0rm-t0ken")

    assert Case.objects.count() == 1
    assert Evidence.objects.count() == 0
    assert storage_files("evidence") == []
    assert case_files.load_staged(staged.token) is not None
    assert NumberSequence.objects.get(year=year_now()).last == 1
    assert services.submit_report(report_input(category, unit), form_token="other").case.number.endswith("-00002")


def test_the_form_token_is_stored_only_as_a_digest(category, unit):
    services.submit_report(report_input(category, unit), form_token="f0rm-t0ken")
    assert list(SubmissionToken.objects.values_list("digest", flat=True)) == [hashlib.sha256(b"f0rm-t0ken").hexdigest()]


def test_the_case_is_created_in_a_single_transaction(category, unit, pdf_bytes, monkeypatch):
    """All inserts commit together: a crash after the case insert leaves no case behind."""
    staged = stage("kuitansi.pdf", pdf_bytes)

    def fail_after_case(**kwargs):
        assert Case.objects.count() == 1  # the case row exists inside the transaction...
        raise RuntimeError("power cut")

    monkeypatch.setattr(StatusChange.objects, "create", fail_after_case)
    with pytest.raises(RuntimeError):
        services.submit_report(report_input(category, unit, files=[staged]))
    nothing_saved()  # ...and is gone after it
    assert case_files.load_staged(staged.token) is not None


def test_filing_a_case_writes_one_audit_entry_without_any_identity(category, unit):
    from pakar.audit.events import AuditEvent
    from pakar.audit.models import AuditEntry
    from pakar.cases.services import ReportInput, submit_report

    receipt = submit_report(
        ReportInput(
            reporter_type="public",
            identity_mode="open",
            identity={"name": "Rahmat Hidayat", "phone": "081234567890"},
            category=category,
            unit=unit,
            content={"title": "Pungutan liar", "what": "Petugas meminta uang tambahan."},
            party={"name": "Budi", "nip": "", "position": "Petugas loket"},
        )
    )
    entry = AuditEntry.objects.get(event=AuditEvent.CASE_CREATED)
    assert entry.case_number == receipt.case.number
    stored = str(entry.data)
    for secret in ("Rahmat", "081234567890", "Pungutan", "Budi", receipt.access_code):
        assert secret not in stored
