"""Who may see and handle which cases. Views and services ask here; nowhere else decides.

- Verifiers and inspectors see every case.
- Investigators see the cases assigned to them or to their team.
- Intake officers see what they recorded and what is still waiting for first screening.
- Custodians, consultation officers and administrators do not read cases through the back office.
- Nobody sees a case on which they declared a conflict of interest.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pakar.accounts.models import Role, User
from pakar.cases.models import Case, ConflictDeclaration, Status

CASE_ROLES = frozenset({Role.INTAKE, Role.VERIFIER, Role.INVESTIGATOR, Role.INSPECTOR})
SEE_ALL_ROLES = frozenset({Role.VERIFIER, Role.INSPECTOR})


def can_use_inbox(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*CASE_ROLES)


def visibility_filter(user: User) -> Q | None:
    """The cases a user may see, as a filter; None means every case."""
    if not can_use_inbox(user):
        return Q(pk__in=[])
    if user.has_role(*SEE_ALL_ROLES):
        return None
    allowed = Q(pk__in=[])
    if user.has_role(Role.INVESTIGATOR):
        allowed |= Q(assignee=user)
        if user.team_id is not None:
            allowed |= Q(assigned_team_id=user.team_id)
    if user.has_role(Role.INTAKE):
        allowed |= Q(recorded_by=user) | Q(status=Status.RECEIVED)
    return allowed


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    allowed = visibility_filter(user)
    if allowed is not None:
        cases = cases.filter(allowed)
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
