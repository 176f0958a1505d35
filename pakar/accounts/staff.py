"""Staff accounts and their roles, managed by an administrator."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from pakar.accounts.models import Role, RoleGrant, User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.org.models import Team

CASE_READING_ROLES = frozenset({Role.INTAKE, Role.VERIFIER, Role.INVESTIGATOR, Role.INSPECTOR})


class StaffChangeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def create_staff_user(
    *, username: str, full_name: str, team: Team | None, roles: Iterable[str], password: str, actor: User | None
) -> User:
    """Create a staff account (``actor`` is None only for the first administrator, made by a command)."""
    validate_password(password)
    with transaction.atomic():
        user = User(username=username.strip(), full_name=full_name.strip(), team=team)
        user.set_password(password)
        user.save()
        granted, _revoked = _set_roles(user, roles)
        data = {"user_id": user.pk, "username": user.username, "team": team.pk if team else None, "roles": granted}
        record(AuditEvent.USER_CREATED, actor=actor, data=data)
    return user


def update_staff_user(
    user: User,
    *,
    full_name: str,
    team: Team | None,
    roles: Iterable[str],
    is_active: bool,
    password: str = "",
    actor: User,
) -> None:
    roles = set(roles)
    if user.pk == actor.pk and (Role.ADMINISTRATOR not in roles or not is_active):
        raise StaffChangeError(_("You cannot remove your own administrator role or deactivate yourself."))
    if user.pk == actor.pk and (roles - user.roles()) & CASE_READING_ROLES:
        # Being administrator must not be a way into case contents.
        raise StaffChangeError(_("Another administrator must give you a role that reads cases."))
    if password:
        validate_password(password, user)
    with transaction.atomic():
        was = {"team": user.team_id, "active": user.is_active, "full_name": user.full_name}
        user.full_name, user.team, user.is_active = full_name.strip(), team, is_active
        fields = ["full_name", "team", "is_active"]
        if password:
            user.set_password(password)
            fields.append("password")
        user.save(update_fields=fields)
        granted, revoked = _set_roles(user, roles)
        _audit_update(user, was, granted, revoked, password_changed=bool(password), actor=actor)


def _audit_update(
    user: User, was: dict[str, Any], granted: list[str], revoked: list[str], *, password_changed: bool, actor: User
) -> None:
    """One entry per kind of change, each naming the account changed."""
    who = {"user_id": user.pk, "username": user.username}
    if was["active"] != user.is_active:
        record(AuditEvent.USER_REACTIVATED if user.is_active else AuditEvent.USER_DEACTIVATED, actor=actor, data=who)
    for role in granted:
        record(AuditEvent.ROLE_GRANTED, actor=actor, data={**who, "role": role})
    for role in revoked:
        record(AuditEvent.ROLE_REVOKED, actor=actor, data={**who, "role": role})
    changed = {"team": {"old": was["team"], "new": user.team_id}} if was["team"] != user.team_id else {}
    if was["full_name"] != user.full_name:
        changed["display"] = {"changed": True}  # a staff name, but the log keeps names out
    if changed:
        record(AuditEvent.USER_CHANGED, actor=actor, data={**who, "changes": changed})
    if password_changed:
        record(AuditEvent.PASSWORD_CHANGED, actor=actor, data={**who, "by_administrator": actor.pk != user.pk})


def _set_roles(user: User, roles: Iterable[str]) -> tuple[list[str], list[str]]:
    """Make the grants match ``roles``; returns the roles granted and revoked."""
    wanted = {Role(role) for role in roles}
    have = set(user.role_grants.values_list("role", flat=True))
    user.role_grants.exclude(role__in=wanted).delete()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in wanted if role not in have])
    user._role_cache = {str(role) for role in wanted}
    return sorted(str(r) for r in wanted if r not in have), sorted(str(r) for r in have if r not in wanted)
