"""Background tasks of the case workflow, run by ``manage.py db_worker``."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from pakar.cases.sweep import run_deadlines


@task()
def run_deadlines_task() -> dict[str, int]:
    """Same as ``manage.py run_deadlines``; enqueue it periodically (e.g. every 10 minutes)."""
    return asdict(run_deadlines())
