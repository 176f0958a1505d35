"""The worker's sweep: unanswered reports lapse, silent conclusions close."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pakar.cases import handling
from pakar.cases.models import Case, Status
from pakar.cases.sweep import run_deadlines
from pakar.cases.workflow import transition_case
from pakar.workdays import services as workday_services
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare

pytestmark = pytest.mark.django_db
S = Status


def at(*args):
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def asked(case, staff, when):
    declare(case, staff["verifier"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"], now=when)
    transition_case(case, S.NEEDS_INFO, actor=staff["verifier"], data={"question": "Di mana?"}, now=when)
    return case


def concluded(case, staff, when):
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, S.VERIFICATION, actor=staff["verifier"], now=when)
    transition_case(case, S.ASSESSMENT, actor=staff["verifier"], now=when)
    transition_case(case, S.CLARIFICATION, actor=staff["inspector"], data={"deadline_class": "complaint"}, now=when)
    handling.propose_conclusion(
        case, actor=staff["inspector"], findings="F", outcome="not_proven", sanction="none", summary="Tidak terbukti."
    )
    transition_case(case, S.CONCLUDED, actor=staff["inspector"], now=when)
    return case


def test_a_report_lapses_after_ten_working_days_without_an_answer(case, staff):
    asked(case, staff, at(2026, 11, 2, 9))  # Monday → the wait ends Monday 16 November
    assert run_deadlines(now=at(2026, 11, 16, 20)).lapsed == 0
    assert Case.objects.get(pk=case.pk).status == S.NEEDS_INFO
    assert run_deadlines(now=at(2026, 11, 17, 0, 1)).lapsed == 1
    case.refresh_from_db()
    assert case.status == S.REJECTED
    assert case.decisions.get(kind="rejection").reason == "lapsed"
    assert case.status_changes.get(to_status=S.REJECTED).actor_kind == "system"


def test_a_holiday_added_by_the_administrator_gives_the_reporter_one_more_day(case, staff):
    workday_services.set_calendar_day(
        dt.date(2026, 11, 10), is_working_day=False, name="Hari Jadi Kota", actor=staff["administrator"]
    )
    asked(case, staff, at(2026, 11, 2, 9))
    assert run_deadlines(now=at(2026, 11, 17, 0, 1)).lapsed == 0
    assert run_deadlines(now=at(2026, 11, 18, 0, 1)).lapsed == 1


def test_a_concluded_case_closes_after_ten_silent_working_days(case, staff):
    concluded(case, staff, at(2026, 11, 2, 9))
    assert run_deadlines(now=at(2026, 11, 16, 12)).closed == 0
    assert run_deadlines(now=at(2026, 11, 17, 1)).closed == 1
    assert Case.objects.get(pk=case.pk).status == S.CLOSED


def test_the_command_applies_expired_deadlines_and_leaves_others(case, staff, category, unit):
    from tests.backoffice.fixtures import make_case

    fresh = make_case(category, unit)
    asked(fresh, staff, timezone.now())
    asked(case, staff, timezone.now() - dt.timedelta(days=40))
    out = StringIO()
    call_command("run_deadlines", stdout=out)
    assert "lapsed: 1" in out.getvalue()
    assert Case.objects.get(pk=case.pk).status == S.REJECTED
    assert Case.objects.get(pk=fresh.pk).status == S.NEEDS_INFO


def test_the_worker_runs_the_sweep_and_queues_its_next_run_once(case, staff):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from pakar.cases.tasks import run_deadlines_task, schedule_deadline_runs

    asked(case, staff, timezone.now() - dt.timedelta(days=40))
    assert run_deadlines_task.call() == {"lapsed": 1, "closed": 0}  # what the worker runs
    assert Case.objects.get(pk=case.pk).status == S.REJECTED
    call_command("run_deadlines", stdout=StringIO())
    queued = DBTaskResult.objects.filter(task_path=run_deadlines_task.module_path, status=TaskResultStatus.READY)
    assert queued.count() == 1  # run twice, queued once
    assert queued.get().run_after > timezone.now()
    assert not schedule_deadline_runs()
