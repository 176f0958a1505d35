"""Staff accounts and their roles, managed by an administrator."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from pakar.accounts.models import Role, RoleGrant, User
from pakar.org.models import Team


class StaffChangeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def create_staff_user(
    *, username: str, full_name: str, team: Team | None, roles: Iterable[str], password: str, actor: User
) -> User:
    validate_password(password)
    with transaction.atomic():
        user = User(username=username.strip(), full_name=full_name.strip(), team=team)
        user.set_password(password)
        user.save()
        _set_roles(user, roles)
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
    if password:
        validate_password(password, user)
    with transaction.atomic():
        user.full_name, user.team, user.is_active = full_name.strip(), team, is_active
        fields = ["full_name", "team", "is_active"]
        if password:
            user.set_password(password)
            fields.append("password")
        user.save(update_fields=fields)
        _set_roles(user, roles)


def _set_roles(user: User, roles: Iterable[str]) -> None:
    wanted = {Role(role) for role in roles}
    user.role_grants.exclude(role__in=wanted).delete()
    have = set(user.role_grants.values_list("role", flat=True))
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in wanted if role not in have])
    user._role_cache = {str(role) for role in wanted}
