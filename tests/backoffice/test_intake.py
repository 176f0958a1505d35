"""Walk-in, letter and phone reports recorded by an intake officer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pakar.cases import services
from pakar.cases.models import Case
from tests.backoffice.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
INTAKE = reverse("backoffice:intake")


def walk_in(category, unit, **extra):
    return {
        "channel": "walk_in",
        "reporter_type": "public",
        "identity_mode": "confidential",
        "name": "Ibu Sari",
        "phone": "081234567890",
        "consent": "on",
        "category": category.pk,
        "party_name": "Petugas loket 2",
        "unit": unit.pk,
        "title": "Pungutan di loket KK",
        "what": "Diminta Rp 100.000 untuk kartu keluarga.",
        "where": "Kantor Disdukcapil",
        "when": "Selasa lalu",
        "how": "Diminta langsung.",
        "declaration": "on",
        **extra,
    }


def test_an_intake_officer_records_a_walk_in_report_and_prints_the_receipt(
    client, staff, categories, unit, evidence_file
):
    client.force_login(staff["intake"])
    form = client.get(INTAKE)
    token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
    with evidence_file("dirty.pdf").open("rb") as pdf:
        response = client.post(INTAKE, walk_in(categories["public-service"], unit, form_token=token, evidence=pdf))
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.channel, case.recorded_by) == ("walk_in", staff["intake"])
    code = re.search(r'id="access-code">([\d ]+)<', response.text).group(1)
    assert case.number in response.text and 'id="print-receipt"' in response.text
    assert services.find_case_by_code(code.replace(" ", "")) == case
    assert case.read_content()["title"] == "Pungutan di loket KK"
    assert case.evidence.count() == 1
    # The officer finds the case they recorded in their inbox.
    assert case.number in client.get(reverse("backoffice:inbox")).text
    # Sending the same form again creates nothing.
    again = client.post(INTAKE, walk_in(categories["public-service"], unit, form_token=token))
    assert again.status_code == 409 and Case.objects.count() == 1


def test_a_letter_without_required_fields_is_refused_clearly(client, staff, categories, unit):
    client.force_login(staff["intake"])
    data = walk_in(categories["public-service"], unit, channel="letter")
    del data["what"]
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    assert "What happened (chronology)" in response.text
    assert Case.objects.count() == 0


def test_the_online_channel_cannot_be_chosen_by_an_officer(client, staff, categories, unit):
    client.force_login(staff["intake"])
    response = client.post(INTAKE, walk_in(categories["corruption"], unit, channel="online"))
    assert response.status_code == 400 and Case.objects.count() == 0


def test_the_intake_form_speaks_of_the_reporter_not_to_them(client, staff):
    client.force_login(staff["intake"])
    english = client.get(INTAKE, headers={"Accept-Language": "en"}).text
    assert "The reporter is" in english
    assert "Anonymous — the reporter gives no identity at all" in english
    assert "I give no identity" not in english
    indonesian = client.get(INTAKE, headers={"Accept-Language": "id"}).text
    assert "Anonim — pelapor tidak mencantumkan identitas sama sekali" in indonesian
    assert "saya tidak mencantumkan" not in indonesian
