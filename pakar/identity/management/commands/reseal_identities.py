"""Finish re-sealing after a custodian was added or removed (resumable).

The back office does the same from the custodians page; this command suits
large instances, where a web request could time out. Stop it at any time and
run it again: items already sealed to the current custodians are skipped.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakar.identity import services
from pakar.identity.models import Custodian


class Command(BaseCommand):
    help = "Seal every identity and original file to the current custodians, with one custodian's passphrase."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the custodian whose passphrase opens the sealed items")
        parser.add_argument("--passphrase-env", default="", help="read the passphrase from this environment variable")

    def handle(self, *args: Any, **options: Any) -> None:
        custodian = Custodian.objects.filter(user__username=options["username"]).first()
        if custodian is None:
            raise CommandError(f"{options['username']!r} is not an enrolled custodian")
        env = options["passphrase_env"]
        passphrase = os.environ.get(env, "") if env else getpass.getpass("Custodian passphrase: ")
        try:
            private_key = services.unlock(custodian, passphrase)
        except services.CustodyError as exc:
            raise CommandError(str(exc)) from exc
        progress = services.reseal_all(private_key)
        self.stdout.write(
            f"re-sealed {progress.identities} identities and {progress.originals} originals; "
            f"{progress.unreadable} not sealed to this custodian, {services.pending_reseal_count()} still pending"
        )
