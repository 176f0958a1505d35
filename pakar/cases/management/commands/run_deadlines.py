"""Lapse unanswered reports and close concluded cases after the reporter's silence.

Safe to run by hand or from cron at any time. It also makes sure the worker
(``manage.py db_worker``) has the next periodic run queued, every 10 minutes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakar.cases.sweep import run_deadlines
from pakar.cases.tasks import schedule_deadline_runs


class Command(BaseCommand):
    help = "Apply expired deadlines now and keep the worker's periodic run queued."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_deadlines()
        queued = schedule_deadline_runs()
        self.stdout.write(f"lapsed: {result.lapsed}, closed: {result.closed}")
        if queued:
            self.stdout.write("The next run is queued for the worker (manage.py db_worker).")
