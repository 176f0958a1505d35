"""The transition table and transition_case: every move checked, recorded and timed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pakar.cases import handling, services
from pakar.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    DeadlineClass,
    Decision,
    Outcome,
    ReferralTarget,
    RejectionReason,
    SanctionClass,
    Status,
    StatusChange,
)
from pakar.cases.workflow import (
    MOVES,
    REPORTER,
    SYSTEM,
    ConcurrentChangeError,
    InvalidMoveDataError,
    MoveForbiddenError,
    MoveNotAllowedError,
    moves_for,
    transition_case,
)
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare, make_case

pytestmark = pytest.mark.django_db
S = Status
Clock = CaseDeadline.Kind


def at(*args):
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def statuses(case):
    return list(case.status_changes.values_list("to_status", flat=True))


def running(case, kind):
    return case.deadlines.get(kind=kind, state__in=["running", "paused"])


def verified(case, staff):
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    transition_case(case, S.ASSESSMENT, actor=staff["verifier"])
    return case


def in_investigation(case, staff, team):
    verified(case, staff)
    transition_case(case, S.INVESTIGATION, actor=staff["inspector"], data={"deadline_class": "oversight"})
    handling.assign_case(case, team=team, officer=staff["investigator"], actor=staff["inspector"])
    declare(case, staff["investigator"])
    return case


def propose(case, actor, outcome=Outcome.PROVEN, sanction=SanctionClass.LIGHT):
    return handling.propose_conclusion(
        case,
        actor=actor,
        findings="Petugas terbukti meminta uang.",
        outcome=outcome,
        sanction=sanction,
        summary="Laporan Anda terbukti; petugas diberi teguran tertulis.",
    )


def test_a_new_case_starts_its_three_working_day_verification_clock(case):
    clock = running(case, Clock.VERIFICATION)
    assert clock.amount == 3 and clock.unit == "working_days"
    case.refresh_from_db()
    assert case.next_deadline == clock.due_at
    assert case.deadline_warn_at == clock.warn_at


def test_a_case_goes_from_receipt_to_conclusion_with_every_step_on_its_timeline(case, staff, team):
    in_investigation(case, staff, team)
    propose(case, staff["investigator"])
    transition_case(case, S.CONCLUDED, actor=staff["inspector"])

    case.refresh_from_db()
    assert statuses(case) == ["received", "verification", "assessment", "investigation", "concluded"]
    conclusion = case.decisions.get(kind=Decision.Kind.CONCLUSION)
    assert conclusion.state == "approved" and conclusion.decided_by == staff["inspector"]
    assert conclusion.read_internal() == "Petugas terbukti meminta uang."
    assert case.deadlines.get(kind=Clock.HANDLING).state == "met"
    assert running(case, Clock.AUTO_CLOSE).amount == 10
    assert case.deadline_class == DeadlineClass.OVERSIGHT


def test_a_move_outside_the_table_is_refused_and_changes_nothing(case, staff):
    declare(case, staff["inspector"])
    with pytest.raises(MoveNotAllowedError):
        transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    case.refresh_from_db()
    assert case.status == S.RECEIVED and case.version == 0
    assert statuses(case) == ["received"]


def test_a_role_not_listed_for_a_move_is_refused(case, staff):
    declare(case, staff["inspector"])
    with pytest.raises(MoveForbiddenError):
        transition_case(case, S.VERIFICATION, actor=staff["inspector"])
    with pytest.raises(MoveForbiddenError):
        transition_case(case, S.VERIFICATION, actor=staff["administrator"])


def test_a_handler_must_declare_no_conflict_before_acting(case, staff):
    with pytest.raises(MoveForbiddenError):
        transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    declare(case, staff["verifier"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])


def test_a_rejection_needs_a_reason_from_the_list_and_an_explanation(case, staff):
    declare(case, staff["verifier"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    with pytest.raises(InvalidMoveDataError) as refused:
        transition_case(case, S.REJECTED, actor=staff["verifier"], data={"reason": "because"})
    assert set(refused.value.errors) == {"reason", "explanation"}
    with pytest.raises(InvalidMoveDataError):  # only PAKAR itself lets a report lapse
        transition_case(case, S.REJECTED, actor=staff["verifier"], data={"reason": "lapsed", "explanation": "x"})
    assert Case.objects.get(pk=case.pk).status == S.VERIFICATION

    transition_case(
        case,
        S.REJECTED,
        actor=staff["verifier"],
        data={"reason": RejectionReason.TOO_GENERAL, "explanation": "Sebutkan nama kantor dan waktunya."},
    )
    rejection = case.decisions.get(kind=Decision.Kind.REJECTION)
    assert rejection.reason == "too_general"
    assert rejection.read_reporter_text() == "Sebutkan nama kantor dan waktunya."
    assert b"Sebutkan" not in bytes(rejection.reporter_text)
    assert not case.deadlines.filter(state="running").exists()
    assert Case.objects.get(pk=case.pk).next_deadline is None


def test_a_referral_names_the_authority_and_the_letter_number(case, staff):
    declare(case, staff["verifier"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    with pytest.raises(InvalidMoveDataError) as refused:
        transition_case(
            case,
            S.REFERRED,
            actor=staff["verifier"],
            data={"referral_target": ReferralTarget.OTHER_UNIT, "letter_number": "700/12/Itko"},
        )
    assert set(refused.value.errors) == {"destination"}
    transition_case(
        case,
        S.REFERRED,
        actor=staff["verifier"],
        data={"referral_target": ReferralTarget.KPK, "letter_number": "700/12/Itko"},
    )
    referral = case.decisions.get(kind=Decision.Kind.REFERRAL)
    assert (referral.referral_target, referral.letter_number) == ("kpk", "700/12/Itko")


def test_the_deadline_class_chosen_at_assessment_sets_the_handling_period(case, staff):
    verified(case, staff)
    assert running(case, Clock.HANDLING).amount == 14  # the default until classified
    transition_case(case, S.CLARIFICATION, actor=staff["inspector"], data={"deadline_class": "information"})
    handling_clock = running(case, Clock.HANDLING)
    assert handling_clock.amount == 5
    assert case.decisions.get(kind=Decision.Kind.CLASSIFICATION).deadline_class == "information"
    assert Case.objects.get(pk=case.pk).next_deadline == handling_clock.due_at


def test_asking_the_reporter_pauses_the_clock_and_their_answer_resumes_it(case, staff):
    declare(case, staff["verifier"])
    start = at(2026, 12, 1, 9)  # a Tuesday
    transition_case(case, S.VERIFICATION, actor=staff["verifier"], now=start)
    verification = running(case, Clock.VERIFICATION)
    due_before = verification.due_at
    transition_case(case, S.NEEDS_INFO, actor=staff["verifier"], data={"question": "Kapan tepatnya?"}, now=start)
    verification.refresh_from_db()
    assert verification.state == "paused"
    wait = running(case, Clock.WAIT)
    assert Case.objects.get(pk=case.pk).next_deadline == wait.due_at
    assert case.decisions.get(kind=Decision.Kind.QUESTION).read_reporter_text() == "Kapan tepatnya?"

    services.add_reporter_reply(case, text="Senin, 30 November, pukul 09.00.", files=[])

    case.refresh_from_db()
    assert case.status == S.VERIFICATION
    verification.refresh_from_db()
    wait.refresh_from_db()
    assert verification.state == "running" and verification.due_at >= due_before
    assert wait.state == "cancelled"
    assert case.status_changes.last().actor_kind == "reporter"


def test_the_inspector_approves_only_a_proposed_conclusion(case, staff, team):
    in_investigation(case, staff, team)
    assert S.CONCLUDED not in [m.target for m in moves_for(case, staff["inspector"])]
    with pytest.raises(MoveNotAllowedError):
        transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    with pytest.raises(InvalidMoveDataError):
        propose(case, staff["investigator"], outcome=Outcome.NOT_PROVEN, sanction=SanctionClass.HEAVY)
    propose(case, staff["investigator"])
    handling.return_conclusion(case, actor=staff["inspector"], comment="Periksa saksi kedua.")
    with pytest.raises(MoveNotAllowedError):
        transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    propose(case, staff["investigator"], outcome=Outcome.NOT_PROVEN, sanction=SanctionClass.NONE)
    transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    assert case.decisions.filter(kind="conclusion").count() == 2
    assert case.notes.get().read_body() == "Periksa saksi kedua."


def test_an_investigator_of_another_team_cannot_act_on_the_case(case, staff, team):
    in_investigation(case, staff, team)
    with pytest.raises(MoveForbiddenError):
        handling.declare_conflict(case, actor=staff["other_investigator"], has_conflict=False)
    with pytest.raises(MoveForbiddenError):
        propose(case, staff["other_investigator"])


def test_declaring_a_conflict_blocks_the_handler_and_returns_the_case_for_reassignment(case, staff, team):
    verified(case, staff)
    transition_case(case, S.INVESTIGATION, actor=staff["inspector"], data={"deadline_class": "complaint"})
    handling.assign_case(case, team=None, officer=staff["investigator"], actor=staff["inspector"])
    handling.declare_conflict(case, actor=staff["investigator"], has_conflict=True, reason="Kakak ipar saya.")
    case.refresh_from_db()
    assert case.assignee is None
    assert staff["investigator"] not in handling.assignable_officers(case)
    with pytest.raises(MoveForbiddenError):
        propose(case, staff["investigator"])
    assert case.events.filter(kind=CaseEvent.Kind.CONFLICT_DECLARED, actor=staff["investigator"]).exists()


def test_a_stale_page_loses_to_the_change_made_meanwhile(case, staff):
    declare(case, staff["verifier"], staff["inspector"])
    seen_version = case.version
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    with pytest.raises(ConcurrentChangeError):
        transition_case(case, S.ASSESSMENT, actor=staff["verifier"], expected_version=seen_version)
    with pytest.raises(ConcurrentChangeError):
        handling.assign_case(case, team=None, officer=None, actor=staff["inspector"], expected_version=seen_version)
    assert Case.objects.get(pk=case.pk).status == S.VERIFICATION


def test_a_duplicate_is_merged_and_the_main_case_records_it(case, staff, category, unit):
    duplicate = make_case(category, unit, title="Pungli KTP lagi")
    declare(duplicate, staff["verifier"])
    with pytest.raises(InvalidMoveDataError):
        transition_case(duplicate, S.MERGED, actor=staff["verifier"], data={"merge_into": duplicate.number})
    transition_case(duplicate, S.MERGED, actor=staff["verifier"], data={"merge_into": case.number})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == case
    assert case.events.get(kind=CaseEvent.Kind.DUPLICATE_MERGED).data == {"case": duplicate.number}
    assert duplicate.next_deadline is None


def test_the_reporter_rates_the_outcome_and_the_case_closes(case, staff, team):
    in_investigation(case, staff, team)
    propose(case, staff["investigator"])
    transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    handling.rate_outcome(case, rating=4, comment="Terima kasih.")
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert case.decisions.get(kind="rating").rating == 4
    with pytest.raises(MoveNotAllowedError):
        handling.rate_outcome(case, rating=5)


def test_an_objection_reopens_the_case_with_a_new_handling_clock(case, staff, team):
    in_investigation(case, staff, team)
    propose(case, staff["investigator"])
    transition_case(case, S.CONCLUDED, actor=staff["inspector"])
    with pytest.raises(InvalidMoveDataError):
        handling.object_to_outcome(case, text="  ")
    handling.object_to_outcome(case, text="Petugas masih meminta uang.")
    case.refresh_from_db()
    assert case.status == S.REOPENED
    assert case.decisions.get(kind="objection").read_reporter_text() == "Petugas masih meminta uang."
    assert running(case, Clock.HANDLING).amount == 60
    assert case.deadlines.get(kind=Clock.AUTO_CLOSE).state == "met"


def test_only_pakar_itself_lets_a_report_lapse_and_only_the_reporter_objects(case, staff):
    declare(case, staff["verifier"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"])
    transition_case(case, S.NEEDS_INFO, actor=staff["verifier"], data={"question": "Siapa?"})
    with pytest.raises(MoveForbiddenError):
        transition_case(case, S.REJECTED, actor=staff["verifier"], data={"system_reason": "lapsed"})
    transition_case(case, S.REJECTED, actor=SYSTEM, data={"system_reason": "lapsed"})
    assert case.decisions.get(kind="rejection").reason == "lapsed"
    assert StatusChange.objects.filter(case=case, actor_kind="system").count() == 1
    assert all(
        REPORTER.value not in m.roles or m.target in (S.VERIFICATION, S.REOPENED, S.CLOSED) for m in MOVES.values()
    )
