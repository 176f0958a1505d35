"""Writes on a case besides status moves: conflict declarations, assignment,
internal notes, messages, conclusion proposals and the reporter's answers.

Writes that change what the case *is* (assignment, a proposal) use the same
compare-and-set on ``Case.version`` as status moves; appending a note or a
message does not conflict with anything and does not.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from pakar import vault
from pakar.accounts.models import Role, User
from pakar.cases import access, services
from pakar.cases.events import record_case_event
from pakar.cases.models import (
    ActorKind,
    Case,
    CaseEvent,
    ConflictDeclaration,
    Decision,
    InternalNote,
    Message,
    Outcome,
    SanctionClass,
    Status,
)
from pakar.cases.workflow import (
    REPORTER,
    ConcurrentChangeError,
    InvalidMoveDataError,
    MoveForbiddenError,
    MoveNotAllowedError,
    WorkflowError,
    pending_conclusion,
    transition_case,
)
from pakar.org.models import Team

Event = CaseEvent.Kind
PROPOSAL_STATUSES = frozenset({Status.CLARIFICATION, Status.INVESTIGATION, Status.REOPENED})


def _bump_version(case: Case, expected_version: int | None, now: dt.datetime, **changes: object) -> None:
    version = case.version if expected_version is None else expected_version
    won = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1, updated_at=now, **changes)
    if won != 1:
        raise ConcurrentChangeError
    case.version = version + 1
    for name, value in changes.items():
        setattr(case, name, value)


def _require_handler(case: Case, actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise MoveForbiddenError(gettext("Your role does not allow this step."))
    if not (access.can_see_case(actor, case) and access.has_declared_no_conflict(actor, case)):
        raise MoveForbiddenError(gettext("You cannot act on this case."))


# --- conflict of interest -----------------------------------------------------


def declare_conflict(case: Case, *, actor: User, has_conflict: bool, reason: str = "") -> ConflictDeclaration:
    """A handler's declaration before first opening the case. A conflict blocks
    their access for good and hands the case back for reassignment."""
    if not access.can_see_case(actor, case):
        raise MoveForbiddenError(gettext("You cannot act on this case."))
    now = timezone.now()
    with transaction.atomic():
        if ConflictDeclaration.objects.filter(case=case, user=actor).exists():
            raise WorkflowError(gettext("You have already made your declaration for this case."))
        declaration = ConflictDeclaration.objects.create(
            case=case,
            user=actor,
            has_conflict=has_conflict,
            at=now,
            reason=vault.encrypt(case.case_key(), reason.strip().encode(), purpose="case.conflict")
            if has_conflict and reason.strip()
            else None,
        )
        if has_conflict and case.assignee_id == actor.pk:
            Case.objects.filter(pk=case.pk).update(assignee=None, version=F("version") + 1, updated_at=now)
            case.assignee, case.version = None, case.version + 1
        kind = Event.CONFLICT_DECLARED if has_conflict else Event.NO_CONFLICT_DECLARED
        record_case_event(case, kind, actor=actor, at=now)
    return declaration


# --- assignment -----------------------------------------------------------------


def assignable_officers(case: Case) -> list[User]:
    conflicted = case.conflict_declarations.filter(has_conflict=True).values("user_id")
    return list(
        User.objects.filter(is_active=True, role_grants__role=Role.INVESTIGATOR)
        .exclude(pk__in=conflicted)
        .select_related("team")
        .order_by("full_name", "username")
        .distinct()
    )


def assign_case(
    case: Case, *, team: Team | None, officer: User | None, actor: User, expected_version: int | None = None
) -> None:
    """The inspector hands the case to a team and/or one investigator."""
    _require_handler(case, actor, Role.INSPECTOR)
    if officer is not None and officer not in assignable_officers(case):
        raise InvalidMoveDataError({"officer": gettext("This person cannot handle the case.")})
    now = timezone.now()
    with transaction.atomic():
        _bump_version(case, expected_version, now, assigned_team=team, assignee=officer)
        data = {"team": team.pk if team else None, "officer": officer.pk if officer else None}
        record_case_event(case, Event.ASSIGNED, actor=actor, data=data, at=now)


# --- notes and messages -----------------------------------------------------------


def add_internal_note(case: Case, *, text: str, actor: User) -> InternalNote:
    _require_handler(case, actor, Role.INTAKE, Role.VERIFIER, Role.INVESTIGATOR, Role.INSPECTOR)
    body = text.strip()
    if not body:
        raise InvalidMoveDataError({"text": gettext("Write the note first.")})
    now = timezone.now()
    with transaction.atomic():
        note = InternalNote.objects.create(
            case=case,
            author=actor,
            created_at=now,
            body=vault.encrypt(case.case_key(), body.encode(), purpose="case.note"),
        )
        record_case_event(case, Event.NOTE_ADDED, actor=actor, data={"note": note.pk}, at=now)
    return note


def send_message(case: Case, *, text: str, actor: User) -> Message:
    """A message to the reporter; it appears on their follow-up page."""
    _require_handler(case, actor, Role.INTAKE, Role.VERIFIER, Role.INVESTIGATOR, Role.INSPECTOR)
    if not text.strip():
        raise InvalidMoveDataError({"text": gettext("Write the message first.")})
    with transaction.atomic():
        message = services.send_message_to_reporter(case, text=text, actor=actor)
        record_case_event(case, Event.MESSAGE_SENT, actor=actor, data={"message": message.pk}, at=message.created_at)
    return message


# --- conclusion: proposed by the handler, approved by the inspector ------------------


def propose_conclusion(
    case: Case,
    *,
    actor: User,
    findings: str,
    outcome: str,
    sanction: str,
    summary: str,
    expected_version: int | None = None,
) -> Decision:
    _require_handler(case, actor, Role.INVESTIGATOR, Role.INSPECTOR)
    if case.status not in PROPOSAL_STATUSES:
        raise MoveNotAllowedError(gettext("A conclusion can be proposed during clarification or investigation."))
    errors = _conclusion_errors(findings, outcome, sanction, summary)
    if errors:
        raise InvalidMoveDataError(errors)
    now = timezone.now()
    with transaction.atomic():
        _bump_version(case, expected_version, now)
        if pending_conclusion(case) is not None:
            raise MoveNotAllowedError(gettext("A conclusion is already waiting for the inspector's approval."))
        decision = Decision(
            case=case,
            kind=Decision.Kind.CONCLUSION,
            actor=actor,
            created_at=now,
            outcome=outcome,
            sanction=sanction,
            state=Decision.ProposalState.PENDING,
        )
        decision.set_texts(internal=findings.strip(), reporter=summary.strip())
        decision.save()
        record_case_event(case, Event.CONCLUSION_PROPOSED, actor=actor, data={"decision": decision.pk}, at=now)
    return decision


def _conclusion_errors(findings: str, outcome: str, sanction: str, summary: str) -> dict[str, str]:
    errors = {}
    if not findings.strip():
        errors["findings"] = gettext("Write the findings.")
    if outcome not in Outcome.values:
        errors["outcome"] = gettext("Choose the result.")
    if sanction not in SanctionClass.values:
        errors["sanction"] = gettext("Choose the recommended sanction class.")
    elif outcome == Outcome.NOT_PROVEN and sanction != SanctionClass.NONE:
        errors["sanction"] = gettext("When nothing is proven no sanction can be recommended.")
    if not summary.strip():
        errors["summary"] = gettext("Write what the reporter will be told.")
    return errors


def return_conclusion(case: Case, *, actor: User, comment: str, expected_version: int | None = None) -> Decision:
    """The inspector sends a proposal back; the comment becomes an internal note."""
    _require_handler(case, actor, Role.INSPECTOR)
    if not comment.strip():
        raise InvalidMoveDataError({"comment": gettext("Say what needs more work.")})
    now = timezone.now()
    with transaction.atomic():
        _bump_version(case, expected_version, now)
        proposal = pending_conclusion(case)
        if proposal is None:
            raise MoveNotAllowedError(gettext("There is no proposed conclusion to return."))
        proposal.state, proposal.decided_by, proposal.decided_at = Decision.ProposalState.RETURNED, actor, now
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
        add_internal_note(case, text=comment, actor=actor)
        record_case_event(case, Event.CONCLUSION_RETURNED, actor=actor, data={"decision": proposal.pk}, at=now)
    return proposal


# --- the reporter's side ------------------------------------------------------------


def reporter_answered(case: Case) -> None:
    """A reply or a file from the reporter while we wait for them resumes the case."""
    fresh = Case.objects.get(pk=case.pk)
    if fresh.status != Status.NEEDS_INFO:
        return
    try:
        transition_case(fresh, Status.VERIFICATION, actor=REPORTER)
    except ConcurrentChangeError:
        pass  # a verifier resumed it at the same moment; the reply is kept either way
    case.status, case.version = fresh.status, fresh.version


def approved_conclusion(case: Case) -> Decision | None:
    return (
        case.decisions.filter(kind=Decision.Kind.CONCLUSION, state=Decision.ProposalState.APPROVED)
        .order_by("-decided_at")
        .first()
    )


def rating_since_conclusion(case: Case) -> Decision | None:
    """The reporter's rating of the latest conclusion, if they gave one."""
    conclusion = approved_conclusion(case)
    if conclusion is None or conclusion.decided_at is None:
        return None
    ratings = case.decisions.filter(kind=Decision.Kind.RATING, created_at__gte=conclusion.decided_at)
    return ratings.order_by("-created_at").first()


def can_respond_to_outcome(case: Case) -> bool:
    return case.status in (Status.CONCLUDED, Status.FOLLOW_UP)


def rate_outcome(case: Case, *, rating: int, comment: str = "") -> Decision:
    """The reporter's satisfaction; after a conclusion it also closes the case."""
    if not can_respond_to_outcome(case):
        raise MoveNotAllowedError(gettext("The handling can be rated once it is concluded."))
    if not 1 <= rating <= 5:
        raise InvalidMoveDataError({"rating": gettext("Choose a rating from 1 to 5.")})
    now = timezone.now()
    with transaction.atomic():
        fresh = Case.objects.select_for_update().get(pk=case.pk)
        if rating_since_conclusion(fresh) is not None:
            raise MoveNotAllowedError(gettext("You have already rated the handling of this report."))
        decision = Decision(case=fresh, kind=Decision.Kind.RATING, created_at=now, rating=rating)
        decision.set_texts(reporter=comment.strip())
        decision.save()
        record_case_event(
            fresh, Event.RATED, actor=None, actor_kind=ActorKind.REPORTER, data={"rating": rating}, at=now
        )
        if fresh.status == Status.CONCLUDED:
            transition_case(fresh, Status.CLOSED, actor=REPORTER, now=now)
    case.status, case.version = fresh.status, fresh.version
    return decision


def object_to_outcome(case: Case, *, text: str) -> None:
    """An objection (keberatan) reopens the case."""
    fresh = Case.objects.get(pk=case.pk)
    transition_case(fresh, Status.REOPENED, actor=REPORTER, data={"objection": text})
    case.status, case.version = fresh.status, fresh.version
