"""Background task for the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task

from pakar.reports.store import refresh_statistics


@task()
def refresh_statistics_task() -> str:
    """Same as ``manage.py refresh_statistics``; enqueue it periodically (e.g. every 10 minutes)."""
    return str(refresh_statistics()["generated_at"])
