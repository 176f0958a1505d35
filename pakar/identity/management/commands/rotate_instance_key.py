"""Re-wrap every key under the current instance key.

Set the new key as PAKAR_INSTANCE_KEY and list the old one in
PAKAR_RETIRED_INSTANCE_KEYS, then run this. It can be stopped and run again:
rows already under the new key are skipped. Remove the old key from
PAKAR_RETIRED_INSTANCE_KEYS only after a run that reports nothing left.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pakar.identity.keys import rotate_instance_key


class Command(BaseCommand):
    help = "Re-wrap every case, consultation and reveal key under the current instance key (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        progress = rotate_instance_key(batch=options["batch"])
        self.stdout.write(f"re-wrapped {progress.rewrapped}, already current {progress.already_current}")
