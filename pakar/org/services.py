"""Units (OPD) and teams, edited by an administrator."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from pakar.accounts.models import User
from pakar.org.models import Team, Unit


def save_unit(unit: Unit | None, *, name: str, short_name: str, is_active: bool, actor: User) -> Unit:
    if unit is None:
        return Unit.objects.create(name=name.strip(), short_name=short_name.strip(), is_active=is_active)
    unit.name, unit.short_name, unit.is_active = name.strip(), short_name.strip(), is_active
    unit.save(update_fields=["name", "short_name", "is_active"])
    return unit


def save_team(team: Team | None, *, name: str, units: Iterable[Unit], actor: User) -> Team:
    with transaction.atomic():
        if team is None:
            team = Team.objects.create(name=name.strip())
        else:
            team.name = name.strip()
            team.save(update_fields=["name"])
        team.units.set(list(units))
    return team
