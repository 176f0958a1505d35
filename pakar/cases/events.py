"""The one place where things that happen to a case are recorded.

Status moves are written by :func:`pakar.cases.workflow.transition_case` as
``StatusChange`` rows; everything else on a case goes through
:func:`record_case_event`, and every opening of a case page through
:func:`record_case_view`. Both also append to the audit log, in the caller's
transaction, so the case's own history and the audit trail never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from pakar.accounts.models import User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.cases.models import ActorKind, Case, CaseEvent, CaseView

Kind = CaseEvent.Kind

# How each kind of case event reads in the audit log. Kinds without an event
# of their own are "case details changed", with the kind kept in the data.
AUDIT_EVENTS: dict[str, AuditEvent] = {
    Kind.ASSIGNED: AuditEvent.CASE_ASSIGNED,
    Kind.NOTE_ADDED: AuditEvent.NOTE_ADDED,
    Kind.MESSAGE_SENT: AuditEvent.MESSAGE_SENT_TO_REPORTER,
    Kind.REPORTER_REPLIED: AuditEvent.MESSAGE_RECEIVED_FROM_REPORTER,
    Kind.CONFLICT_DECLARED: AuditEvent.CONFLICT_DECLARED,
    Kind.NO_CONFLICT_DECLARED: AuditEvent.CONFLICT_DECLARED,
    Kind.EVIDENCE_DOWNLOADED: AuditEvent.EVIDENCE_DOWNLOADED,
}


def audit_event_for(kind: str, data: dict[str, Any]) -> AuditEvent:
    if kind == Kind.ASSIGNED and not data.get("team") and not data.get("officer"):
        return AuditEvent.CASE_UNASSIGNED
    return AUDIT_EVENTS.get(kind, AuditEvent.CASE_CHANGED)


def record_case_event(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    actor_kind: str = ActorKind.STAFF,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Record an event. ``data`` holds codes and identifiers only, never case text."""
    data = data or {}
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case, kind=kind, actor=actor, actor_kind=actor_kind, at=at or timezone.now(), data=data
        )
        details = _audit_details(kind, actor_kind, data)
        if kind in (Kind.CONFLICT_DECLARED, Kind.NO_CONFLICT_DECLARED):
            details["has_conflict"] = kind == Kind.CONFLICT_DECLARED
        record(audit_event_for(kind, data), actor=actor, case=case, data=details)
    return event


def _audit_details(kind: str, actor_kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event's data for the log. Ids of notes and messages go under neutral
    keys: the log masks anything keyed "note" or "message" as possible text."""
    details: dict[str, Any] = {"kind": str(kind), "by": str(actor_kind)}
    for key, value in data.items():
        if key in _OBJECT_KEYS:
            details["object"], details["object_id"] = key, value
        else:
            details[key] = value
    return details


_OBJECT_KEYS = frozenset({"note", "message", "decision", "evidence"})


def record_case_view(case: Case, *, actor: User) -> CaseView:
    with transaction.atomic():
        view = CaseView.objects.create(case=case, user=actor, at=timezone.now())
        record(AuditEvent.CASE_VIEWED, actor=actor, case=case)
    return view
