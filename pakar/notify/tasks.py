"""Background tasks of the outbox, run by ``manage.py db_worker``.

``send_staff_digest_task`` queues its own run for the next day, so once
started (by ``manage.py send_staff_digest --schedule``) the worker sends the
digest daily for as long as it runs.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import TaskResultStatus, task
from django.utils import timezone

from pakar.notify import services

# Local time of the daily digest: before the working day starts.
DIGEST_AT = dt.time(6, 30)


@task()
def send_notice(notice_id: int) -> str:
    return services.deliver_notice(notice_id)


@task()
def send_staff_digest_task() -> dict[str, int]:
    """Same as ``manage.py send_staff_digest``, then queue tomorrow's run."""
    result = services.send_staff_digest()
    schedule_staff_digest()
    return result


def next_digest_time(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def schedule_staff_digest(*, at: dt.datetime | None = None) -> bool:
    """Queue the next digest unless one is already waiting, so the daily chain never doubles."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=send_staff_digest_task.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    send_staff_digest_task.using(run_after=at or next_digest_time()).enqueue()
    return True
