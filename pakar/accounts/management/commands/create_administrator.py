"""First set-up: create the first administrator (and, optionally, make them the first custodian).

Later accounts are created in the back office by an administrator. The
password is asked for twice without echo, or read from the environment
variable named by ``--password-env`` (automated provisioning).
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakar.accounts.models import Role, User
from pakar.accounts.staff import create_staff_user


class Command(BaseCommand):
    help = "Create the first PAKAR administrator (first set-up)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-env", default="", help="read the password from this environment variable")
        parser.add_argument(
            "--custodian-passphrase-env",
            default="",
            help="also enrol this administrator as the first identity custodian, passphrase from this variable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(role_grants__role=Role.ADMINISTRATOR).exists():
            raise CommandError("an administrator exists already: create further accounts in the back office")
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"the username {options['username']!r} is taken")
        password = self._password(options["password_env"])
        try:
            user = create_staff_user(
                username=options["username"],
                full_name=options["full_name"],
                team=None,
                roles=[Role.ADMINISTRATOR],
                password=password,
                actor=None,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Administrator {user.username} created. Sign in at /staff/ to set up two-factor sign-in.")
        if options["custodian_passphrase_env"]:
            call_command(
                "create_custodian",
                user.username,
                passphrase_env=options["custodian_passphrase_env"],
                grant_role=True,
                stdout=self.stdout,
            )

    def _password(self, env_name: str) -> str:
        if env_name:
            return os.environ.get(env_name, "")
        value = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != value:
            raise CommandError("the two passwords differ")
        return value
