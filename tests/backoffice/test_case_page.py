"""The case page: decrypted for permitted staff, actions through the workflow, evidence as a download."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from pakar.cases import handling, services
from pakar.cases.models import Case, CaseEvent, CaseView, ConflictDeclaration, Decision, Message, Status
from pakar.cases.workflow import transition_case
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare
from tests.cases.support import report_input, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_case(category, unit, evidence_file):
    pdf = evidence_file("dirty.pdf")
    staged = stage("kuitansi-pungli.pdf", pdf.read_bytes())
    case = services.submit_report(report_input(category, unit, files=[staged])).case
    return Case.objects.get(pk=case.pk), pdf.read_bytes()


def url(name, case, *args):
    return reverse(f"backoffice:{name}", args=[case.number, *args])


def test_a_handler_declares_no_conflict_before_first_seeing_the_case(client, staff, case):
    client.force_login(staff["verifier"])
    response = client.get(url("case", case))
    assert response.status_code == 302 and response["Location"] == url("declare", case)
    page = client.get(url("declare", case))
    assert "Petugas loket 3" in page.text  # the reported party, to judge a conflict
    assert "Petugas meminta Rp 50.000" not in page.text  # but not the report itself
    assert client.post(url("declare", case), {"has_conflict": "no"})["Location"] == url("case", case)
    page = client.get(url("case", case))
    assert page.status_code == 200
    assert "Petugas meminta Rp 50.000 agar KTP cepat jadi." in page.text
    assert page["Cache-Control"] == "no-store"
    assert CaseView.objects.filter(case=case, user=staff["verifier"]).count() == 1


def test_declaring_a_conflict_blocks_the_case_for_that_handler(client, staff, case):
    client.force_login(staff["verifier"])
    response = client.post(url("declare", case), {"has_conflict": "yes", "reason": "Tetangga saya."})
    assert response["Location"] == reverse("backoffice:inbox")
    assert client.get(url("case", case)).status_code == 404
    assert client.get(url("declare", case)).status_code == 404
    assert case.number not in client.get(reverse("backoffice:inbox")).text
    declaration = ConflictDeclaration.objects.get(case=case, user=staff["verifier"])
    assert b"Tetangga" not in bytes(declaration.reason)


def test_the_case_page_shows_timeline_deadlines_notes_messages_and_who_opened_it(client, staff, case):
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    handling.add_internal_note(case, text="Cek ke Disdukcapil dulu.", actor=staff["verifier"])
    handling.send_message(case, text="Terima kasih, laporan sedang diverifikasi.", actor=staff["verifier"])
    services.add_reporter_reply(case, text="Baik, saya tunggu.", files=[])
    client.force_login(staff["inspector"])
    client.get(url("case", case))
    page = client.get(url("case", case)).text
    for expected in [
        "Status: Administrative verification",
        "Cek ke Disdukcapil dulu.",
        "Terima kasih, laporan sedang diverifikasi.",
        "Baik, saya tunggu.",
        "Administrative verification: 3 working days",
        "2 times, last",
    ]:
        assert expected in page, expected


def test_a_verifier_rejects_with_a_reason_and_bad_input_saves_nothing(client, staff, case):
    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    client.force_login(staff["verifier"])
    prefix = "move-rejected-"
    bad = client.post(url("move", case, "rejected"), {prefix + "version": case.version, prefix + "reason": "nope"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.text
    assert Case.objects.get(pk=case.pk).status == Status.VERIFICATION
    good = client.post(
        url("move", case, "rejected"),
        {prefix + "version": case.version, prefix + "reason": "no_evidence", prefix + "explanation": "Tanpa bukti."},
    )
    assert good.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.REJECTED
    assert Decision.objects.get(case=case, kind="rejection").read_reporter_text() == "Tanpa bukti."


def test_a_second_person_acting_on_a_stale_page_gets_a_clear_message(client, staff, case):
    declare(case, staff["verifier"])
    stale_version = case.version
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    client.force_login(staff["verifier"])
    prefix = "move-assessment-"
    response = client.post(url("move", case, "assessment"), {prefix + "version": stale_version}, follow=True)
    assert "Someone else changed this case a moment ago" in response.text
    assert Case.objects.get(pk=case.pk).status == Status.VERIFICATION


def test_notes_and_messages_are_stored_encrypted(client, staff, case):
    declare(case, staff["verifier"])
    client.force_login(staff["verifier"])
    client.post(url("note", case), {"note-version": case.version, "note-text": "Catatan rahasia tim."})
    client.post(url("message", case), {"message-version": case.version, "message-text": "Mohon kirim foto."})
    note = case.notes.get()
    assert note.read_body() == "Catatan rahasia tim." and b"rahasia" not in bytes(note.body)
    message = Message.objects.get(case=case)
    assert message.read_body() == "Mohon kirim foto." and message.author == staff["verifier"]
    assert set(case.events.values_list("kind", flat=True)) >= {"note_added", "message_sent"}


def test_the_inspector_assigns_and_the_investigator_then_sees_the_case(client, staff, team, case):
    declare(case, staff["inspector"])
    client.force_login(staff["investigator"])
    assert client.get(url("declare", case)).status_code == 404
    client.force_login(staff["inspector"])
    response = client.post(
        url("assign", case), {"assign-version": case.version, "assign-team": team.pk, "assign-officer": ""}
    )
    assert response.status_code == 302
    client.force_login(staff["investigator"])
    assert client.get(url("declare", case)).status_code == 200
    assert case.number in client.get(reverse("backoffice:inbox")).text


def test_evidence_is_downloaded_only_as_an_attachment_through_the_checked_view(client, staff, pdf_case):
    case, _original = pdf_case
    evidence = case.evidence.get()
    client.force_login(staff["verifier"])
    assert client.get(url("evidence", case, evidence.pk)).status_code == 404  # no declaration yet
    declare(case, staff["verifier"])
    response = client.get(url("evidence", case, evidence.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "kuitansi-pungli.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    downloaded = b"".join(response.streaming_content)
    assert downloaded.startswith(b"%PDF")
    assert hashlib.sha256(downloaded).hexdigest() == evidence.read_meta()["sha256"]
    assert CaseEvent.objects.filter(case=case, kind="evidence_downloaded", actor=staff["verifier"]).exists()
    client.force_login(staff["other_investigator"])
    assert client.get(url("evidence", case, evidence.pk)).status_code == 404


def test_the_administrator_cannot_read_a_case(client, staff, case):
    client.force_login(staff["administrator"])
    assert client.get(url("case", case)).status_code == 403
    assert client.get(url("declare", case)).status_code == 403
    assert client.get(reverse("backoffice:inbox")).status_code == 403


def test_the_full_conclusion_round_through_the_pages(client, staff, team, case):
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(case, Status.ASSESSMENT, actor=staff["verifier"])
    client.force_login(staff["inspector"])
    p = "move-investigation-"
    client.post(url("move", case, "investigation"), {p + "version": case.version, p + "deadline_class": "oversight"})
    case.refresh_from_db()
    client.post(
        url("assign", case),
        {"assign-version": case.version, "assign-team": team.pk, "assign-officer": staff["investigator"].pk},
    )
    client.force_login(staff["investigator"])
    client.post(url("declare", case), {"has_conflict": "no"})
    case.refresh_from_db()
    data = {
        "proposal-version": case.version,
        "proposal-findings": "Terbukti.",
        "proposal-outcome": "proven",
        "proposal-sanction": "medium",
        "proposal-summary": "Petugas dikenai sanksi sedang.",
    }
    assert client.post(url("propose", case), data).status_code == 302
    client.force_login(staff["inspector"])
    page = client.get(url("case", case)).text
    assert "Proposed conclusion" in page and "Approve the conclusion" in page
    case.refresh_from_db()
    p = "move-concluded-"
    assert client.post(url("move", case, "concluded"), {p + "version": case.version}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.CONCLUDED


def test_a_lapse_is_shown_as_decided_by_pakar_itself(client, staff, case):
    from pakar.cases.workflow import SYSTEM

    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(case, Status.NEEDS_INFO, actor=staff["verifier"], data={"question": "Kapan?"})
    transition_case(case, Status.REJECTED, actor=SYSTEM, data={"system_reason": "lapsed"})
    client.force_login(staff["verifier"])
    page = client.get(url("case", case)).text
    assert "The information asked for was not given in time" in page
    assert "PAKAR (automatic)" in page
