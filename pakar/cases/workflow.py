"""The case workflow: one transition table and one function that performs any move.

``MOVES`` lists every allowed move of domain-rules.md's status table, the roles
that may make it and the data it requires. :func:`transition_case` is the only
code that changes a case's status: it checks the table, the actor's role and
access, validates the data, then — in one transaction — moves the case with a
compare-and-set on its version (so of two staff acting at once exactly one
wins), writes the timeline entry and the decision, and adjusts the clocks.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import Role, User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.cases import access, deadlines
from pakar.cases.models import (
    TERMINAL_STATUSES,
    ActorKind,
    Case,
    DeadlineClass,
    Decision,
    ReferralTarget,
    RejectionReason,
    Status,
    StatusChange,
)
from pakar.notify.services import queue_status_update


class SystemActor(enum.Enum):
    """Moves not made by a staff member: PAKAR itself (deadlines) or the reporter."""

    SYSTEM = ActorKind.SYSTEM
    REPORTER = ActorKind.REPORTER


Actor = User | SystemActor
SYSTEM = SystemActor.SYSTEM
REPORTER = SystemActor.REPORTER


# --- errors, each with a message fit to show the person who tried ------------


class WorkflowError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MoveNotAllowedError(WorkflowError):
    """The table has no such move from the case's current status."""


class MoveForbiddenError(WorkflowError):
    """The actor's role (or access to this case) does not allow the move."""


class InvalidMoveDataError(WorkflowError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class ConcurrentChangeError(WorkflowError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else changed this case a moment ago, so your action was not saved. "
                "The page now shows the current state: check it and try again if still needed."
            )
        )


# --- the data a move can require ---------------------------------------------

Cleaner = Callable[[Any, Case], Any]


def _text(value: Any, case: Case) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError(gettext("This field is required."))
    if len(text) > settings.PAKAR_MAX_TEXT_CHARS:
        raise ValueError(gettext("This text is too long."))
    return text


def _choice(choices: type[Any], *, exclude: tuple[str, ...] = ()) -> Cleaner:
    def clean(value: Any, case: Case) -> str:
        if value not in choices.values or value in exclude:
            raise ValueError(gettext("Choose one of the options."))
        return str(value)

    return clean


def _letter_number(value: Any, case: Case) -> str:
    text = _text(value, case)
    if len(text) > 80:
        raise ValueError(gettext("A letter number has at most 80 characters."))
    return text


def _short_text(value: Any, case: Case) -> str:
    text = str(value or "").strip()
    if len(text) > 200:
        raise ValueError(gettext("At most 200 characters."))
    return text


def _rating(value: Any, case: Case) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValueError(gettext("Choose a rating from 1 to 5."))
    return number


def _merge_target(value: Any, case: Case) -> Case:
    number = str(value or "").strip().upper()
    target = Case.objects.filter(number=number).first()
    if target is None:
        raise ValueError(gettext("No case has this number."))
    if target.pk == case.pk:
        raise ValueError(gettext("A case cannot be merged into itself."))
    if target.status in TERMINAL_STATUSES:
        raise ValueError(gettext("This case is already closed; merge into an open case."))
    return target


FIELD_CLEANERS: dict[str, Cleaner] = {
    "question": _text,
    "reason": _choice(RejectionReason, exclude=(RejectionReason.LAPSED,)),
    "system_reason": _choice(RejectionReason),
    "explanation": _text,
    "referral_target": _choice(ReferralTarget),
    "letter_number": _letter_number,
    "destination": _short_text,
    "deadline_class": _choice(DeadlineClass),
    "merge_into": _merge_target,
    "comment": _text,
    "objection": _text,
    "rating": _rating,
}


# --- the table ---------------------------------------------------------------

S = Status
VERIFIER, INSPECTOR, INVESTIGATOR, INTAKE = Role.VERIFIER, Role.INSPECTOR, Role.INVESTIGATOR, Role.INTAKE


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    roles: frozenset[str]
    label: Promise
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    needs_approval: bool = False  # an approved conclusion proposal is part of the move
    fields: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", self.required + self.optional)


def _move(source: str, target: str, roles: set[str], label: Promise, *required: str, **kw: Any) -> Move:
    return Move(source, target, frozenset(roles), label, tuple(required), **kw)


REFERRAL = ("referral_target", "letter_number")
MOVES: dict[tuple[str, str], Move] = {
    (m.source, m.target): m
    for m in [
        _move(S.RECEIVED, S.VERIFICATION, {VERIFIER, INTAKE}, _("Start verification")),
        _move(S.RECEIVED, S.MERGED, {VERIFIER}, _("Merge into another case"), "merge_into"),
        _move(S.VERIFICATION, S.NEEDS_INFO, {VERIFIER}, _("Ask the reporter for more information"), "question"),
        _move(S.VERIFICATION, S.REJECTED, {VERIFIER}, _("Reject"), "reason", "explanation"),
        _move(
            S.VERIFICATION,
            S.REFERRED,
            {VERIFIER, INSPECTOR},
            _("Refer to another authority"),
            *REFERRAL,
            optional=("destination",),
        ),
        _move(S.VERIFICATION, S.ASSESSMENT, {VERIFIER}, _("Complete: send to assessment")),
        _move(S.VERIFICATION, S.MERGED, {VERIFIER}, _("Merge into another case"), "merge_into"),
        _move(S.NEEDS_INFO, S.VERIFICATION, {VERIFIER, REPORTER.value}, _("Resume verification")),
        _move(S.NEEDS_INFO, S.REJECTED, {SYSTEM.value}, _("Lapse: no answer in time"), "system_reason"),
        _move(
            S.ASSESSMENT,
            S.CLARIFICATION,
            {VERIFIER, INSPECTOR},
            _("Classify and start clarification"),
            "deadline_class",
        ),
        _move(
            S.ASSESSMENT,
            S.INVESTIGATION,
            {VERIFIER, INSPECTOR},
            _("Classify and start investigation"),
            "deadline_class",
        ),
        _move(
            S.ASSESSMENT,
            S.REFERRED,
            {VERIFIER, INSPECTOR},
            _("Refer to another authority"),
            *REFERRAL,
            optional=("destination",),
        ),
        _move(S.ASSESSMENT, S.REJECTED, {VERIFIER}, _("Reject"), "reason", "explanation"),
        _move(S.ASSESSMENT, S.MERGED, {VERIFIER}, _("Merge into another case"), "merge_into"),
        _move(S.CLARIFICATION, S.INVESTIGATION, {INVESTIGATOR}, _("Start investigation")),
        _move(S.CLARIFICATION, S.CONCLUDED, {INSPECTOR}, _("Approve the conclusion"), needs_approval=True),
        _move(S.INVESTIGATION, S.CONCLUDED, {INSPECTOR}, _("Approve the conclusion"), needs_approval=True),
        _move(S.CONCLUDED, S.FOLLOW_UP, {INVESTIGATOR, INSPECTOR}, _("Monitor the recommendation's follow-up")),
        _move(S.CONCLUDED, S.CLOSED, {INSPECTOR, SYSTEM.value, REPORTER.value}, _("Close"), optional=("comment",)),
        _move(S.CONCLUDED, S.REOPENED, {REPORTER.value}, _("Objection"), "objection"),
        _move(S.FOLLOW_UP, S.CLOSED, {INSPECTOR}, _("Close: follow-up done"), optional=("comment",)),
        _move(S.FOLLOW_UP, S.REOPENED, {REPORTER.value}, _("Objection"), "objection"),
        _move(S.REOPENED, S.CLARIFICATION, {INVESTIGATOR, INSPECTOR}, _("Start clarification")),
        _move(S.REOPENED, S.INVESTIGATION, {INVESTIGATOR, INSPECTOR}, _("Start investigation")),
        _move(S.REOPENED, S.CONCLUDED, {INSPECTOR}, _("Approve the conclusion"), needs_approval=True),
        _move(S.REFERRED, S.CLOSED, {INSPECTOR}, _("Close: the other authority has dealt with it"), "comment"),
    ]
}


def actor_roles(actor: Actor) -> frozenset[str]:
    if isinstance(actor, SystemActor):
        return frozenset({actor.value})
    return frozenset(actor.roles())


def moves_from(status: str) -> list[Move]:
    return [move for (source, _target), move in MOVES.items() if source == status]


def moves_for(case: Case, actor: Actor) -> list[Move]:
    """The moves this actor may make on the case now (for showing the right forms)."""
    roles = actor_roles(actor)
    return [m for m in moves_from(case.status) if m.roles & roles and _guard(m, case) is None]


def pending_conclusion(case: Case) -> Decision | None:
    return (
        case.decisions.filter(kind=Decision.Kind.CONCLUSION, state=Decision.ProposalState.PENDING)
        .order_by("-created_at")
        .first()
    )


def _guard(move: Move, case: Case) -> str | None:
    if move.needs_approval and pending_conclusion(case) is None:
        return gettext("There is no proposed conclusion to approve yet.")
    return None


# --- performing a move ---------------------------------------------------------


def transition_case(
    case: Case,
    to: str,
    *,
    actor: Actor,
    data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> StatusChange:
    """Move ``case`` to ``to``; raises a :class:`WorkflowError` and changes nothing when it may not."""
    move = _check(case, to, actor)
    cleaned = clean_move_data(move, case, data or {})
    now = now or timezone.now()
    version = case.version if expected_version is None else expected_version
    with transaction.atomic():
        changes = _row_changes(move, cleaned)
        won = Case.objects.filter(pk=case.pk, status=case.status, version=version).update(
            status=to, version=F("version") + 1, updated_at=now, **changes
        )
        if won != 1:
            raise ConcurrentChangeError
        old = case.status
        case.status, case.version = to, version + 1
        for name, value in changes.items():
            setattr(case, name, value)
        staff = actor if isinstance(actor, User) else None
        kind = ActorKind.STAFF if staff else actor.value  # type: ignore[union-attr]
        change = StatusChange.objects.create(
            case=case, from_status=old, to_status=to, at=now, actor=staff, actor_kind=kind
        )
        _record_decision(move, case, change, cleaned, staff, now)
        deadlines.follow_status(case, old, to, now=now, reclassified="deadline_class" in cleaned)
        audit_data = {"from": old, "to": to, "by": kind, "move": change.pk}
        record(AuditEvent.CASE_STATUS_CHANGED, actor=staff, case=case, data=audit_data)
        queue_status_update(case, old, to, by_reporter=actor is REPORTER)
    return change


def _check(case: Case, to: str, actor: Actor) -> Move:
    move = MOVES.get((case.status, to))
    if move is None:
        raise MoveNotAllowedError(
            gettext("A case in status “%(status)s” cannot move to “%(target)s”.")
            % {"status": Status(case.status).label, "target": Status(to).label if to in Status.values else to}
        )
    if not move.roles & actor_roles(actor):
        raise MoveForbiddenError(gettext("Your role does not allow this step."))
    if isinstance(actor, User) and not (
        access.can_see_case(actor, case) and access.has_declared_no_conflict(actor, case)
    ):
        raise MoveForbiddenError(gettext("You cannot act on this case."))
    problem = _guard(move, case)
    if problem:
        raise MoveNotAllowedError(problem)
    return move


def clean_move_data(move: Move, case: Case, data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in move.fields:
        value = data.get(name)
        if name in move.optional and (value is None or value == ""):
            continue
        try:
            cleaned[name] = FIELD_CLEANERS[name](value, case)
        except ValueError as exc:
            errors[name] = str(exc)
    if cleaned.get("referral_target") == ReferralTarget.OTHER_UNIT and not cleaned.get("destination"):
        errors["destination"] = gettext("Name the unit or agency the case is referred to.")
    if errors:
        raise InvalidMoveDataError(errors)
    return cleaned


def _row_changes(move: Move, cleaned: dict[str, Any]) -> dict[str, Any]:
    """Plain fields of the case row that the move sets along with the status."""
    changes: dict[str, Any] = {}
    if "deadline_class" in cleaned:
        changes["deadline_class"] = cleaned["deadline_class"]
    if "merge_into" in cleaned:
        changes["merged_into"] = cleaned["merge_into"]
    return changes


def _record_decision(
    move: Move, case: Case, change: StatusChange, cleaned: dict[str, Any], actor: User | None, now: dt.datetime
) -> None:
    kinds = Decision.Kind
    if move.needs_approval:
        proposal = pending_conclusion(case)
        if proposal is None:  # returned between the check and the move
            raise ConcurrentChangeError
        proposal.state, proposal.decided_by, proposal.decided_at = Decision.ProposalState.APPROVED, actor, now
        proposal.status_change = change
        proposal.save(update_fields=["state", "decided_by", "decided_at", "status_change"])
        return
    by_target: dict[str, str] = {
        S.NEEDS_INFO: kinds.QUESTION,
        S.REJECTED: kinds.REJECTION,
        S.REFERRED: kinds.REFERRAL,
        S.MERGED: kinds.MERGE,
        S.REOPENED: kinds.OBJECTION,
        S.CLOSED: kinds.CLOSURE,
    }
    kind = by_target.get(move.target)
    if "deadline_class" in cleaned:
        kind = kinds.CLASSIFICATION
    if kind is None or (kind == kinds.CLOSURE and not cleaned):
        return
    decision = Decision(
        case=case,
        kind=kind,
        status_change=change,
        actor=actor,
        created_at=now,
        reason=cleaned.get("reason") or cleaned.get("system_reason") or "",
        referral_target=cleaned.get("referral_target", ""),
        letter_number=cleaned.get("letter_number", ""),
        destination=cleaned.get("destination", ""),
        deadline_class=cleaned.get("deadline_class", ""),
        merged_into=cleaned.get("merge_into"),
    )
    decision.set_texts(
        internal=cleaned.get("comment", ""),
        reporter=cleaned.get("question") or cleaned.get("explanation") or cleaned.get("objection") or "",
    )
    decision.save()
    if kind == kinds.MERGE:
        from pakar.cases.events import record_case_event

        record_case_event(cleaned["merge_into"], "duplicate_merged", actor=actor, data={"case": case.number}, at=now)
