"""What the reporter sees of the handling on the follow-up page, and their answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pakar.cases import handling, services
from pakar.cases.models import Case, Status
from pakar.cases.workflow import transition_case
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare
from tests.cases.support import report_input

pytestmark = pytest.mark.django_db
FOLLOWUP = reverse("public:followup")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Access-code attempts are counted in the cache, which outlives a test: each
    test starts as a reporter who has not tried a code yet."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def filed(category, unit):
    receipt = services.submit_report(report_input(category, unit))
    return Case.objects.get(pk=receipt.case.pk), receipt.access_code


@pytest.fixture
def reporter(client, filed):
    client.post(reverse("public:followup_login"), {"code": filed[1]})
    return client


def conclude(case, staff):
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(case, Status.ASSESSMENT, actor=staff["verifier"])
    transition_case(case, Status.CLARIFICATION, actor=staff["inspector"], data={"deadline_class": "complaint"})
    handling.propose_conclusion(
        case,
        actor=staff["inspector"],
        findings="Rahasia internal: saksi A dan B.",
        outcome="partly",
        sanction="light",
        summary="Sebagian laporan terbukti; petugas ditegur.",
    )
    transition_case(case, Status.CONCLUDED, actor=staff["inspector"])


def test_the_reporter_reads_our_question_and_their_answer_resumes_the_handling(reporter, filed, staff):
    case = filed[0]
    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(case, Status.NEEDS_INFO, actor=staff["verifier"], data={"question": "Jam berapa kejadiannya?"})
    page = reporter.get(FOLLOWUP)
    assert "Jam berapa kejadiannya?" in page.text
    assert "Please answer below" in page.text
    reporter.post(FOLLOWUP, {"text": "Sekitar jam 9 pagi."})
    assert Case.objects.get(pk=case.pk).status == Status.VERIFICATION
    assert "Jam berapa kejadiannya?" not in reporter.get(FOLLOWUP).text


def test_the_reporter_sees_the_outcome_but_never_the_internal_findings_and_rates_it(reporter, filed, staff):
    case = filed[0]
    conclude(case, staff)
    page = reporter.get(FOLLOWUP).text
    assert "Partly proven" in page and "Sebagian laporan terbukti; petugas ditegur." in page
    assert "Rahasia internal" not in page
    assert "Send my rating" in page and "I object to the outcome" in page
    response = reporter.post(reverse("public:followup_rate"), {"rating-rating": "4", "rating-comment": "Cepat."})
    assert response["Location"] == FOLLOWUP
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    page = reporter.get(FOLLOWUP).text
    assert "You rated the handling 4 out of 5" in page and "Send my rating" not in page


def test_an_objection_reopens_the_case(reporter, filed, staff):
    case = filed[0]
    conclude(case, staff)
    empty = reporter.post(reverse("public:followup_object"), {"objection-text": " "}, follow=True)
    assert "Write why you object" in empty.text
    reporter.post(reverse("public:followup_object"), {"objection-text": "Petugas masih meminta uang."})
    assert Case.objects.get(pk=case.pk).status == Status.REOPENED
    assert "Your objection is being handled" in reporter.get(FOLLOWUP).text


def test_rating_is_refused_before_a_conclusion_and_without_the_follow_up_session(reporter, client, filed):
    response = reporter.post(reverse("public:followup_rate"), {"rating-rating": "5"}, follow=True)
    assert "can be rated once it is concluded" in response.text
    assert Case.objects.get(pk=filed[0].pk).status == Status.RECEIVED
    reporter.post(reverse("public:followup_logout"))
    assert reporter.post(reverse("public:followup_rate"), {"rating-rating": "5"})["Location"] == reverse(
        "public:followup_login"
    )


def test_the_reporter_of_a_merged_duplicate_can_follow_the_main_case(client, staff, category, unit):
    main = services.submit_report(report_input(category, unit)).case
    duplicate = services.submit_report(report_input(category, unit))
    declare(duplicate.case, staff["verifier"])
    transition_case(duplicate.case, Status.MERGED, actor=staff["verifier"], data={"merge_into": main.number})
    client.post(reverse("public:followup_login"), {"code": duplicate.access_code})
    page = client.get(FOLLOWUP).text
    assert f"merged into case {main.number}" in page
    assert "Your report has been received" in page  # the main case's public status


def test_a_refusal_explains_the_reason_to_the_reporter(reporter, filed, staff):
    case = filed[0]
    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(
        case, Status.REJECTED, actor=staff["verifier"], data={"reason": "not_officials", "explanation": "Bukan ASN."}
    )
    page = reporter.get(FOLLOWUP).text
    assert "Not about government officials or services" in page and "Bukan ASN." in page
