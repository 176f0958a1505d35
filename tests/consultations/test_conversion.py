"""A consultation that is really a report becomes one only with the asker's consent."""

from __future__ import annotations

import re

import pytest

from pakar import vault
from pakar.cases import services as case_services
from pakar.cases.models import Case, IdentityMode
from pakar.consultations import services
from pakar.consultations.models import ConsultationStatus
from pakar.identity.sealed import open_identity
from pakar.vault import format_code

pytestmark = pytest.mark.django_db

PAGE = "/konsultasi/pantau/"
CONSENT = "/konsultasi/pantau/jadikan-laporan/"


@pytest.fixture
def proposed(client, ask, officer, categories, unit):
    """A question about an illegal levy; the officer proposes a report; the asker is signed in."""
    receipt = ask(
        question="Petugas loket meminta Rp 200.000 untuk mempercepat akta kelahiran. Apakah itu boleh?",
        identity={"name": "Dewi Lestari", "phone": "081234567890"},
        notice_email="dewi@example.id",
    )
    services.propose_report(
        receipt.consultation,
        category=categories["public-service"],
        unit=unit,
        party={"name": "Petugas loket 2", "position": "Staf pelayanan"},
        explanation="Ini pungutan liar. Jika Anda setuju, kami jadikan laporan.",
        actor=officer,
    )
    client.post("/konsultasi/pantau/masuk/", {"code": format_code(receipt.access_code)})
    return receipt.consultation


def consent_data(**overrides):
    data = {
        "identity_mode": IdentityMode.CONFIDENTIAL,
        "name": "Dewi Lestari",
        "phone": "081234567890",
        "email": "",
        "consent": "on",
        "declaration": "on",
        "form_token": "consent-1",
    }
    data.update(overrides)
    return data


def test_the_asker_sees_the_proposal_and_nothing_is_created_yet(client, proposed):
    page = client.get(PAGE).content.decode()
    assert "Ini pungutan liar." in page
    assert 'action="/konsultasi/pantau/jadikan-laporan/"' in page
    assert not Case.objects.exists()
    assert proposed.status == ConsultationStatus.ANSWERED


def test_consent_creates_the_report_and_shows_its_new_code_once(client, proposed):
    response = client.post(CONSENT, consent_data())
    assert response.status_code == 200
    html = response.content.decode()
    case = Case.objects.get()
    assert case.number.startswith("PKR-") and case.number in html
    code = re.search(r'id="report-access-code">([\d ]+)<', html).group(1).replace(" ", "")
    assert case_services.find_case_by_code(code) == case
    # The code is shown in the response to the consent only, never again.
    assert code not in client.get(PAGE).content.decode().replace(" ", "")
    proposed.refresh_from_db()
    assert proposed.status == ConsultationStatus.CONVERTED
    assert proposed.converted_case == case


def test_the_report_carries_the_question_the_proposal_and_the_identity_sealed(client, proposed, categories, unit):
    services.add_asker_reply(proposed, text="Kejadiannya Senin lalu di loket 2.")
    response = client.post(CONSENT, consent_data())
    code = re.search(r"\b(\d{4} \d{4} \d{4} \d{4})\b", response.content.decode()).group(1).replace(" ", "")
    case = Case.objects.get()
    content = case.read_content()
    assert "Rp 200.000" in content["what"] and "Senin lalu" in content["what"]
    assert content["party"]["name"] == "Petugas loket 2"
    assert (case.category, case.unit, case.identity_mode) == (categories["public-service"], unit, "confidential")
    assert b"Dewi" not in bytes(case.identity)
    # Sealed to the custodians and the reporter: the new case's access code opens it.
    assert open_identity(case, vault.derive_code_keys(code).private_key)["name"] == "Dewi Lestari"


def test_consent_needs_the_declaration_and_saves_nothing_without_it(client, proposed):
    response = client.post(CONSENT, consent_data(declaration=""))
    assert response.status_code == 400
    assert "declaration" in response.content.decode()
    assert not Case.objects.exists()
    proposed.refresh_from_db()
    assert proposed.status == ConsultationStatus.ANSWERED


def test_anonymous_is_refused_where_the_category_needs_identity(client, ask, officer, categories, unit):
    receipt = ask()
    services.propose_report(
        receipt.consultation,
        category=categories["ethics-light"],
        unit=unit,
        party={},
        explanation="Ini pelanggaran etik.",
        actor=officer,
    )
    client.post("/konsultasi/pantau/masuk/", {"code": format_code(receipt.access_code)})
    response = client.post(CONSENT, consent_data(identity_mode=IdentityMode.ANONYMOUS, name="", consent=""))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_an_anonymous_report_keeps_no_identity(client, proposed):
    client.post(CONSENT, consent_data(identity_mode=IdentityMode.ANONYMOUS, name="", phone="", consent=""))
    case = Case.objects.get()
    assert case.identity_mode == IdentityMode.ANONYMOUS
    assert case.identity is None


def test_consenting_twice_creates_one_report(client, proposed):
    client.post(CONSENT, consent_data())
    again = client.post(CONSENT, consent_data(form_token="consent-2"))
    assert again.status_code == 409
    assert Case.objects.count() == 1


def test_a_replayed_consent_form_creates_one_report(client, proposed, ask, officer, categories, unit):
    client.post(CONSENT, consent_data())
    assert Case.objects.count() == 1
    # Even for another consultation, the one-time token cannot be used again.
    other = ask()
    services.propose_report(
        other.consultation, category=categories["corruption"], unit=unit, party={}, explanation="x", actor=officer
    )
    client.post("/konsultasi/pantau/masuk/", {"code": format_code(other.access_code)})
    assert client.post(CONSENT, consent_data()).status_code == 409
    assert Case.objects.count() == 1
    other.consultation.refresh_from_db()
    assert other.consultation.status == ConsultationStatus.ANSWERED


def test_no_consent_form_without_a_proposal(client, ask):
    receipt = ask()
    client.post("/konsultasi/pantau/masuk/", {"code": format_code(receipt.access_code)})
    assert "jadikan-laporan" not in client.get(PAGE).content.decode()
    assert client.post(CONSENT, consent_data()).status_code == 409
    assert not Case.objects.exists()


def test_the_officer_proposal_form_rejects_missing_category_and_unit(client, officer, ask):
    consultation = ask().consultation
    client.force_login(officer)
    response = client.post(f"/staff/konsultasi/{consultation.number}/usulkan-laporan/", {"explanation": "x"})
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.proposed_at is None
