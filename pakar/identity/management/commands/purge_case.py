"""Crypto-shred a case: its keys and files are destroyed, a stub with the number stays."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakar.cases.models import Case
from pakar.identity.keys import purge_case


class Command(BaseCommand):
    help = "Destroy a case's keys and files (crypto-shredding), keeping a stub with its number."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        case = Case.objects.filter(number=options["number"]).first()
        if case is None:
            raise CommandError(f"no case numbered {options['number']!r}")
        if (
            not options["yes"]
            and input(f"Destroy every key and file of {case.number}? Type its number: ") != case.number
        ):
            raise CommandError("not confirmed; nothing was changed")
        purge_case(case, actor=None)
        self.stdout.write(f"{case.number}: keys and files destroyed, stub kept")
