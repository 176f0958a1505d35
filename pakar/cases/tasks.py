"""Background tasks of the case workflow, run by ``manage.py db_worker``.

``run_deadlines_task`` queues its own next run, so once started (by
``manage.py run_deadlines``, which also works from cron) the worker applies
expired deadlines every ``INTERVAL`` for as long as it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.tasks import TaskResultStatus, task
from django.utils import timezone

from pakar.cases.sweep import run_deadlines

INTERVAL = dt.timedelta(minutes=10)


@task()
def run_deadlines_task() -> dict[str, int]:
    """Same as ``manage.py run_deadlines``, then queue the next run."""
    result = asdict(run_deadlines())
    schedule_deadline_runs()
    return result


def schedule_deadline_runs(*, delay: dt.timedelta = INTERVAL) -> bool:
    """Queue the next run unless one is already waiting, so the chain never doubles
    (two chains started at once merge: each run only queues when none waits)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=run_deadlines_task.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    run_deadlines_task.using(run_after=timezone.now() + delay).enqueue()
    return True
