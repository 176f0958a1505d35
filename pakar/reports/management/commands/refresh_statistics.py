"""Recompute the public statistics now (run it periodically, e.g. every 10 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakar.reports.store import refresh_statistics


class Command(BaseCommand):
    help = "Recompute the cached public statistics."

    def handle(self, *args: Any, **options: Any) -> None:
        data = refresh_statistics()
        self.stdout.write(f"Statistics refreshed at {data['generated_at']}.")
