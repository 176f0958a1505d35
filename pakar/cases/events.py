"""The one place where things that happen to a case are recorded.

Status moves are written by :func:`pakar.cases.workflow.transition_case` as
``StatusChange`` rows; everything else on a case goes through
:func:`record_case_event`, and every opening of a case page through
:func:`record_case_view`. The audit trail hooks in here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pakar.accounts.models import User
from pakar.cases.models import ActorKind, Case, CaseEvent, CaseView


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
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, actor_kind=actor_kind, at=at or timezone.now(), data=data or {}
    )


def record_case_view(case: Case, *, actor: User) -> CaseView:
    return CaseView.objects.create(case=case, user=actor, at=timezone.now())
