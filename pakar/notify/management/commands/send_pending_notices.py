from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakar.notify.services import send_due_notices


class Command(BaseCommand):
    help = "Send every pending notice whose next attempt is due (for cron, or after the worker was down)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due_notices()
        self.stdout.write(f"sent={counts['sent']} pending={counts['pending']} failed={counts['failed']}")
