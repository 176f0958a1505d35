"""Lapse unanswered reports and close concluded cases after the reporter's silence.

The worker runs this periodically (every few minutes is plenty: deadlines are
counted in days); it is also safe to run by hand or from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakar.cases.sweep import run_deadlines


class Command(BaseCommand):
    help = "Apply expired deadlines: lapse reports still waiting for the reporter, close silent concluded cases."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_deadlines()
        self.stdout.write(f"lapsed: {result.lapsed}, closed: {result.closed}")
