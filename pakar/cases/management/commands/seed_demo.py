"""Demo data for trying PAKAR: units, teams, one user per staff role and a few
dozen cases over every status (the cases only when there are none yet)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pakar.accounts.models import Role, RoleGrant, User
from pakar.accounts.two_factor import set_demo_device
from pakar.cases.demo import cast_of_demo_users, seed_demo_cases
from pakar.cases.models import Case
from pakar.identity.models import Custodian
from pakar.identity.services import enrol_custodian
from pakar.org.demo import DEMO_TEAMS, DEMO_UNITS
from pakar.org.models import Team, Unit

DEMO_PASSWORD = "pakar-demo-{role}"  # noqa: S105 - demo data only, refused in production
DEMO_CUSTODIAN_PASSPHRASE = "pakar-demo-custodian-passphrase"  # noqa: S105 - demo data only


def demo_totp_secret(role: str) -> bytes:
    """A fixed authenticator secret per demo role, so the printed key stays valid
    across runs (demo data only: anyone who reads this file knows it)."""
    return hashlib.sha256(f"pakar-demo-totp-{role}".encode()).digest()[:20]


class Command(BaseCommand):
    help = "Load demo units, teams, one demo user per staff role and demo cases (never in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        with transaction.atomic():
            for name, short in DEMO_UNITS:
                Unit.objects.get_or_create(name=name, defaults={"short_name": short})
            teams = [Team.objects.get_or_create(name=name)[0] for name in DEMO_TEAMS]
            units = list(Unit.objects.order_by("pk"))
            for index, team in enumerate(teams):
                team.units.add(*units[index :: len(teams)])
            logins = [self._user(role, teams[0]) for role in Role]
        recovery = self._custodian()
        if not Case.objects.exists():
            made = seed_demo_cases(cast_of_demo_users(teams))
            self.stdout.write(f"Demo cases: {len(made)}, one or more in every status.")
        self.stdout.write("Demo logins (back office; add the key to an authenticator app for the second step):")
        for username, password, secret, label in logins:
            self.stdout.write(f"  {username:<20} {password:<28} {secret}  {label}")
        self.stdout.write(f"Identity custodian passphrase (demo-custodian): {DEMO_CUSTODIAN_PASSPHRASE}")
        if recovery:
            self.stdout.write(f"Its recovery key (shown once): {recovery}")

    def _custodian(self) -> str:
        """Enrol the demo custodian first, so demo identities are sealed to someone who can open them."""
        if Custodian.objects.exists():
            return ""
        user = User.objects.get(username=f"demo-{Role.CUSTODIAN.value}")
        _custodian, recovery = enrol_custodian(user, DEMO_CUSTODIAN_PASSPHRASE, actor=None)
        return recovery

    def _user(self, role: Role, team: Team) -> tuple[str, str, str, str]:
        username = f"demo-{role.value}"
        password = DEMO_PASSWORD.format(role=role.value)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": f"Demo {role.label}", "team": team if role == Role.INVESTIGATOR else None},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        RoleGrant.objects.get_or_create(user=user, role=role.value)
        secret = set_demo_device(user, demo_totp_secret(role.value))
        return username, password, secret, str(role.label)
