"""Enrol a staff member as an identity custodian (first set-up creates the first one).

The passphrase is asked for twice without echo, or read from the environment
variable named by ``--passphrase-env`` (for automated set-up). The recovery
key is printed once: print it on paper and keep it offline.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pakar.accounts.models import Role, RoleGrant, User
from pakar.identity import services
from pakar.identity.models import Custodian

MIN_PASSPHRASE = 12


class Command(BaseCommand):
    help = "Enrol a staff member as an identity custodian and print their recovery key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--passphrase-env", default="", help="read the passphrase from this environment variable")
        parser.add_argument(
            "--grant-role", action="store_true", help="give the user the identity custodian role if missing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no staff user named {options['username']!r}")
        if Custodian.objects.exists():
            raise CommandError(
                "custodians exist already: further custodians enrol in the back office, "
                "where an existing custodian re-seals identities to them"
            )
        passphrase = self._passphrase(options["passphrase_env"])
        with transaction.atomic():
            if options["grant_role"] and not user.has_role(Role.CUSTODIAN):
                RoleGrant.objects.create(user=user, role=Role.CUSTODIAN)
                user = User.objects.get(pk=user.pk)  # roles are cached on the instance
            try:
                _custodian, recovery = services.enrol_custodian(user, passphrase, actor=None)
            except services.CustodyError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user} is now an identity custodian.")
        self.stdout.write("Recovery key (shown once; print it and keep it offline):")
        self.stdout.write(recovery)

    def _passphrase(self, env_name: str) -> str:
        if env_name:
            value = os.environ.get(env_name, "")
        else:
            value = getpass.getpass("Custodian passphrase: ")
            if getpass.getpass("Again: ") != value:
                raise CommandError("the two passphrases differ")
        if len(value) < MIN_PASSPHRASE:
            raise CommandError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
        return value
