from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from pakar.notify.services import send_staff_digest
from pakar.notify.tasks import schedule_staff_digest


class Command(BaseCommand):
    help = "Publish the audit head and mail the daily digest to staff; --schedule only starts the daily task chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily digest task for the worker instead of sending now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = schedule_staff_digest()
            self.stdout.write("daily digest scheduled" if queued else "daily digest already scheduled")
            return
        counts = send_staff_digest()
        self.stdout.write(f"sent={counts['sent']} pending={counts['pending']} failed={counts['failed']}")
