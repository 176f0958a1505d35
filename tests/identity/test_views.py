"""The identity pages: who may open them, and the whole reveal through the back office."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pakar.cases import handling
from pakar.cases import services as case_services
from pakar.identity import reveal, services
from pakar.identity.models import Custodian, RevealGrant, RevealRequest
from pakar.vault import sealing
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare
from tests.cases.support import report_input
from tests.identity.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "intake", "verifier", "investigator", "other_investigator", "inspector", "custodian",
         "consultation", "administrator"]  # fmt: skip


@pytest.fixture
def world(staff, team, category, unit):
    services.enrol_custodian(staff["custodian"], PASSPHRASE, actor=None)
    receipt = case_services.submit_report(report_input(category, unit))
    case = receipt.case
    declare(case, staff["inspector"])
    handling.assign_case(case, team=team, officer=None, actor=staff["inspector"])
    declare(case, staff["investigator"])
    request = reveal.request_reveal(case, actor=staff["investigator"], reason="Perlu klarifikasi.")
    return {"case": case, "request": request, "code": receipt.access_code}


def expect(allowed: dict[str, int]) -> dict[str, int]:
    return {role: 403 for role in ROLES} | {"anonymous": 302} | allowed


def test_every_identity_page_answers_each_role_as_expected(client, world, staff):
    n = world["case"].number
    rows = [
        ("GET", reverse("identity:custodians"), expect({"custodian": 200})),
        ("POST", reverse("identity:custodians"), expect({"custodian": 400})),
        ("GET", reverse("identity:enrol"), expect({"custodian": 302})),
        ("GET", reverse("identity:decide", args=[world["request"].pk]), expect({"custodian": 200})),
        ("GET", reverse("identity:decide", args=[999999]), expect({"custodian": 404})),
        ("POST", reverse("identity:remove", args=[999999]), expect({"custodian": 404})),
        ("GET", reverse("identity:case", args=[n]), expect({"investigator": 200, "other_investigator": 404})),
        ("POST", reverse("identity:case", args=[n]), expect({"investigator": 400, "other_investigator": 404})),
        ("GET", reverse("identity:case", args=["PKR-2026-99999"]), expect({"investigator": 404, "other_investigator": 404})),
    ]  # fmt: skip
    failures = []
    for method, url, expected in rows:
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(staff[role])
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code != expected[role]:
                failures.append(f"{method} {url} as {role}: {response.status_code}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


def test_a_reveal_through_the_back_office_from_request_to_view_and_the_reporter_is_told(
    client, staff, team, category, unit
):
    client.force_login(staff["custodian"])
    page = client.post(reverse("identity:enrol"), {"passphrase": PASSPHRASE, "again": PASSPHRASE})
    assert page.status_code == 200
    recovery = re.search(r"<code>([A-Z2-7-]+)</code>", page.content.decode()).group(1)
    custodian = Custodian.objects.get(user=staff["custodian"])
    assert services.unlock(custodian, PASSPHRASE).public_key == (
        sealing.unlock_with_recovery(custodian.keys(), recovery).public_key
    )

    receipt = case_services.submit_report(report_input(category, unit))
    case = receipt.case
    declare(case, staff["inspector"])
    handling.assign_case(case, team=team, officer=None, actor=staff["inspector"])
    url = reverse("identity:case", args=[case.number])

    client.force_login(staff["investigator"])
    assert "Siti Aminah" not in client.get(url).content.decode()
    assert client.post(url, {"reason": "Saksi kunci perlu dihubungi."}).status_code == 302
    assert "waiting for a custodian" in client.get(url).content.decode()

    client.force_login(staff["custodian"])
    request = RevealRequest.objects.get(case=case)
    decide = reverse("identity:decide", args=[request.pk])
    assert "Saksi kunci perlu dihubungi." in client.get(decide).content.decode()
    wrong = client.post(decide, {"decision": "approve", "passphrase": "bukan ini"})
    assert wrong.status_code == 400 and "not correct" in wrong.content.decode()
    assert client.post(decide, {"decision": "approve", "passphrase": PASSPHRASE}).status_code == 302

    client.force_login(staff["investigator"])
    assert "Siti Aminah" in client.get(url).content.decode()
    client.force_login(staff["other_investigator"])
    assert client.get(url).status_code == 404

    reporter = client.__class__()
    reporter.post("/pantau/masuk/", {"code": receipt.access_code})
    assert "disclose your identity" in reporter.get("/pantau/", headers={"Accept-Language": "en"}).content.decode()

    RevealGrant.objects.update(expires_at=request.requested_at)  # the grant runs out
    client.force_login(staff["investigator"])
    assert "Siti Aminah" not in client.get(url).content.decode()
