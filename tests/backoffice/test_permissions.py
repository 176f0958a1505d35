"""Every back-office URL × every role (and no login) → the expected answer.

302 for someone not signed in (to the sign-in page), 403 for a role the page is
not for, 404 for a case the person may not see, 200/400/302 for those allowed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pakar.cases import handling
from pakar.cases.models import Case
from pakar.workdays.models import CalendarDay
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare
from tests.cases.support import report_input, stage

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "intake",
    "verifier",
    "investigator",
    "other_investigator",
    "inspector",
    "custodian",
    "consultation",
    "administrator",
]
CASE_HANDLERS = {"intake", "verifier", "investigator", "inspector"}
NOT_FOR_CASES = {"custodian", "consultation", "administrator"}


def expect(allowed: dict[str, int], default: int = 403) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table["anonymous"] = 302
    table.update(allowed)
    return table


def handlers(status: int, *, other_investigator: int = 404, **overrides: int) -> dict[str, int]:
    """A case page: handlers get ``status``, the investigator of another team 404, the rest 403."""
    return expect({**{r: status for r in CASE_HANDLERS}, "other_investigator": other_investigator, **overrides})


ADMIN_ONLY = expect({"administrator": 200})


@pytest.fixture
def world(staff, team, category, unit, evidence_file):
    from pakar.cases import services

    pdf = stage("surat.pdf", evidence_file("dirty.pdf").read_bytes())
    case = services.submit_report(report_input(category, unit, files=[pdf])).case
    declare(case, staff["inspector"])
    handling.assign_case(case, team=team, officer=None, actor=staff["inspector"])
    declare(case, staff["intake"], staff["verifier"], staff["investigator"])
    change = CalendarDay.objects.create(date="2026-12-08", name="Hari Jadi", is_working_day=False)
    return {"case": Case.objects.get(pk=case.pk), "evidence": case.evidence.get(), "change": change}


def matrix(world, staff):
    case, n = world["case"], world["case"].number
    v = {"version": case.version}
    return [
        (
            "GET",
            reverse("backoffice:home"),
            expect(
                {
                    "intake": 200,
                    "verifier": 302,
                    "investigator": 302,
                    "other_investigator": 302,
                    "inspector": 302,
                    "custodian": 302,  # straight to identity custody, the one thing they do
                    "consultation": 302,
                    "administrator": 302,
                }
            ),
        ),
        ("GET", reverse("backoffice:inbox"), handlers(200, other_investigator=200)),
        ("GET", reverse("backoffice:inbox") + "?status=bogus", handlers(400, other_investigator=400)),
        ("GET", reverse("backoffice:case", args=[n]), handlers(200)),
        ("GET", reverse("backoffice:case", args=["PKR-2026-99999"]), handlers(404)),
        ("GET", reverse("backoffice:declare", args=[n]), handlers(302)),
        ("GET", reverse("backoffice:evidence", args=[n, world["evidence"].pk]), handlers(200)),
        ("GET", reverse("backoffice:evidence", args=[n, 999999]), handlers(404)),
        ("POST", reverse("backoffice:move", args=[n, "verification"]), handlers(302, investigator=409, inspector=409)),
        ("POST", reverse("backoffice:note", args=[n]), handlers(400)),
        ("POST", reverse("backoffice:message", args=[n]), handlers(400)),
        ("POST", reverse("backoffice:assign", args=[n]), expect({"inspector": 400})),
        (
            "POST",
            reverse("backoffice:propose", args=[n]),
            expect({"investigator": 400, "other_investigator": 404, "inspector": 400}),
        ),
        ("POST", reverse("backoffice:return", args=[n]), expect({"inspector": 400})),
        ("GET", reverse("backoffice:intake"), expect({"intake": 200})),
        ("POST", reverse("backoffice:intake"), expect({"intake": 400})),
        ("GET", reverse("backoffice:admin_index"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_users"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_user_new"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_user", args=[staff["verifier"].pk]), ADMIN_ONLY),
        ("POST", reverse("backoffice:admin_user_new"), expect({"administrator": 400})),
        ("GET", reverse("backoffice:admin_units"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_unit_new"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_unit", args=[case.unit_id]), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_teams"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_team_new"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_team", args=[staff["investigator"].team_id]), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_categories"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_category_new"), ADMIN_ONLY),
        ("GET", reverse("backoffice:admin_category", args=[case.category_id]), ADMIN_ONLY),
        ("POST", reverse("backoffice:admin_category_new"), expect({"administrator": 400})),
        ("GET", reverse("backoffice:admin_calendar"), ADMIN_ONLY),
        ("POST", reverse("backoffice:admin_calendar"), expect({"administrator": 400})),
        (
            "POST",
            reverse("backoffice:admin_calendar_remove", args=[world["change"].pk]),
            expect({"administrator": 302}),
        ),
        ("GET", reverse("backoffice:admin_deadlines"), ADMIN_ONLY),
        ("POST", reverse("backoffice:admin_deadlines"), expect({"administrator": 400})),
        ("GET", reverse("backoffice:audit"), expect({"inspector": 200, "administrator": 200})),
        ("GET", reverse("backoffice:audit") + "?since=bogus", expect({"inspector": 400, "administrator": 400})),
        ("GET", reverse("backoffice:audit_export"), expect({"inspector": 200, "administrator": 200})),
        (
            "GET",
            reverse("backoffice:admin_user_2fa_reset", args=[staff["verifier"].pk]),
            expect({"administrator": 405}),
        ),
        (
            "POST",
            reverse("backoffice:admin_user_2fa_reset", args=[staff["verifier"].pk]),
            expect({"administrator": 302}),
        ),
        ("POST", reverse("backoffice:admin_user_2fa_reset", args=[999999]), expect({"administrator": 404})),
        ("GET", reverse("accounts:reauth"), {role: 200 for role in ROLES} | {"anonymous": 302}),
        ("GET", reverse("accounts:two_factor"), {role: 302 for role in ROLES}),
        ("GET", reverse("accounts:login"), {role: 302 for role in ROLES} | {"anonymous": 200}),
        ("POST", reverse("accounts:logout"), {role: 302 for role in ROLES}),
    ], v


def test_every_back_office_url_answers_each_role_as_expected(client, world, staff):
    rows, version = matrix(world, staff)
    failures = []
    for method, url, expected in rows:
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(staff[role])
            # Each POST is sent by itself: the state-changing ones must not change what later rows see.
            data = {("move-verification-" if "langkah" in url else "") + "version": version["version"]}
            response = client.post(url, data) if method == "POST" else client.get(url)
            if response.status_code != expected[role]:
                failures.append(f"{method} {url} as {role}: {response.status_code}, expected {expected[role]}")
            if method == "POST" and "langkah" in url and response.status_code == 302:
                _undo_verification(world)
    assert failures == []


def _undo_verification(world):
    """The move row really moves the case; put it back so every role meets the same case."""
    from pakar.cases.models import StatusChange

    case = world["case"]
    StatusChange.objects.filter(case=case, to_status="verification").delete()
    Case.objects.filter(pk=case.pk).update(status="received", version=case.version)


def test_anonymous_visitors_are_sent_to_the_sign_in_page_with_the_way_back(client):
    response = client.get(reverse("backoffice:inbox"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('backoffice:inbox')}"
