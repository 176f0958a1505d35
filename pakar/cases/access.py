"""Who may see and handle which cases. Views and services ask here; nowhere else decides.

- Verifiers and inspectors see every case.
- Investigators see the cases assigned to them or to their team.
- Intake officers see what they recorded and what is still waiting for first screening.
- Custodians, consultation officers and administrators do not read cases through the back office.
- Nobody sees a case on which they declared a conflict of interest.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Q, QuerySet

from pakar.accounts.models import Role, User
from pakar.cases.models import Case, ConflictDeclaration, Status

CASE_ROLES = frozenset({Role.INTAKE, Role.VERIFIER, Role.INVESTIGATOR, Role.INSPECTOR})
SEE_ALL_ROLES = frozenset({Role.VERIFIER, Role.INSPECTOR})


def can_use_inbox(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*CASE_ROLES)


def visibility_filter(user: User) -> Q | None:
    """The cases a user may see, as a filter; None means every case.

    The handler columns are compared through aliases (see ``_handler_columns``)."""
    if not can_use_inbox(user):
        return Q(pk__in=[])
    if user.has_role(*SEE_ALL_ROLES):
        return None
    allowed = Q(pk__in=[])
    if user.has_role(Role.INVESTIGATOR):
        allowed |= Q(seen_assignee=user.pk)
        if user.team_id is not None:
            allowed |= Q(seen_team=user.team_id)
    if user.has_role(Role.INTAKE):
        allowed |= Q(seen_recorder=user.pk) | Q(status=Status.RECEIVED)
    return allowed


def _handler_columns(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The assignee, team and recorder columns under the names the filter uses.

    On SQLite they are compared as computed values (``column + 0``): given an OR
    of indexed columns, SQLite's planner gathers every matching row and sorts
    them all, which for a team with thousands of cases is slower than walking
    the next-deadline index and stopping after one page. PostgreSQL plans the
    plain columns well.
    """
    if connection.vendor == "sqlite":
        return cases.alias(
            seen_assignee=F("assignee_id") + 0,
            seen_team=F("assigned_team_id") + 0,
            seen_recorder=F("recorded_by_id") + 0,
        )
    return cases.alias(
        seen_assignee=F("assignee_id"), seen_team=F("assigned_team_id"), seen_recorder=F("recorded_by_id")
    )


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    allowed = visibility_filter(user)
    if allowed is not None:
        cases = _handler_columns(cases).filter(allowed)
    # A person's conflicts are few: reading them first keeps a per-row subquery
    # out of every inbox query (one small query instead of one probe per case).
    conflicted = list(
        ConflictDeclaration.objects.filter(user=user, has_conflict=True).values_list("case_id", flat=True)
    )
    return cases.exclude(pk__in=conflicted) if conflicted else cases


def can_see_case(user: User, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def has_declared_no_conflict(user: User, case: Case) -> bool:
    return ConflictDeclaration.objects.filter(case=case, user=user, has_conflict=False).exists()
