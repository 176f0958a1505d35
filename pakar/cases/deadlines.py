"""The clocks of a case, kept in step with its status.

Each status has at most one clock running (``STATUS_CLOCK``). Moving into
``needs_info`` pauses every running clock and starts the wait for the
reporter; moving out of it cancels the wait and resumes what was paused with
exactly the time it had left. ``Case.next_deadline`` always mirrors the nearest
running clock so the inbox can sort and filter without joins.
"""

from __future__ import annotations

import datetime as dt

from pakar.cases.models import Case, CaseDeadline, DeadlineClass, Status
from pakar.workdays.calendar import WorkingCalendar
from pakar.workdays.models import DeadlineSettings
from pakar.workdays.periods import Period, PeriodUnit, remaining_at, resumed_schedule, schedule

Kind = CaseDeadline.Kind
State = CaseDeadline.State

STATUS_CLOCK: dict[str, str] = {
    Status.RECEIVED: Kind.VERIFICATION,
    Status.VERIFICATION: Kind.VERIFICATION,
    Status.NEEDS_INFO: Kind.WAIT,
    Status.ASSESSMENT: Kind.HANDLING,
    Status.CLARIFICATION: Kind.HANDLING,
    Status.INVESTIGATION: Kind.HANDLING,
    Status.REOPENED: Kind.HANDLING,
    Status.CONCLUDED: Kind.AUTO_CLOSE,
    Status.FOLLOW_UP: Kind.MONITORING,
}
DEFAULT_CLASS = DeadlineClass.COMPLAINT


class Clocks:
    """The settings and calendar one status change works with (loaded once)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.settings = DeadlineSettings.current()
        self.calendar = WorkingCalendar.load(now.date())

    def days_for(self, kind: str, case: Case) -> int:
        s = self.settings
        if kind == Kind.HANDLING:
            return s.class_days(case.deadline_class or DEFAULT_CLASS)
        days: dict[str, int] = {
            Kind.VERIFICATION: s.verification_days,
            Kind.WAIT: s.needs_info_wait_days,
            Kind.AUTO_CLOSE: s.auto_close_days,
            Kind.MONITORING: s.monitoring_days,
        }
        return days[kind]

    def start(self, case: Case, kind: str, start: dt.datetime) -> CaseDeadline:
        period = Period(self.days_for(kind, case), PeriodUnit.WORKING_DAYS)
        plan = schedule(start, period, self.settings.warning_percent, self.calendar)
        return CaseDeadline.objects.create(
            case=case,
            kind=kind,
            unit=period.unit,
            amount=period.amount,
            started_at=start,
            due_at=plan.due_at,
            warn_at=plan.warn_at,
        )


def start_first_clock(case: Case, *, now: dt.datetime) -> None:
    """A new case: verification runs from its receipt."""
    clocks = Clocks(now)
    clocks.start(case, Kind.VERIFICATION, case.received_at)
    sync_next_deadline(case)


def follow_status(case: Case, old: str, new: str, *, now: dt.datetime, reclassified: bool = False) -> None:
    """Stop, pause, resume, start or re-plan clocks after ``case`` moved from ``old`` to ``new``."""
    clocks = Clocks(now)
    running = list(case.deadlines.filter(state__in=[State.RUNNING, State.PAUSED]))
    if new == Status.NEEDS_INFO:
        for clock in running:
            if clock.state == State.RUNNING:
                _pause(clock, clocks)
    wanted = STATUS_CLOCK.get(new)
    if old == Status.NEEDS_INFO and new != Status.NEEDS_INFO:
        for clock in running:
            if clock.kind == Kind.WAIT:
                _stop(clock, State.EXPIRED if now > clock.due_at else State.CANCELLED, now)
            elif clock.state == State.PAUSED and clock.kind == wanted:
                _resume(clock, clocks)
    live = [c for c in running if c.state in (State.RUNNING, State.PAUSED)]
    for clock in live:
        if clock.kind != wanted and clock.state == State.RUNNING:
            _stop(clock, State.MET, now)
        elif clock.kind != wanted and new != Status.NEEDS_INFO:
            _stop(clock, State.CANCELLED, now)
    if wanted and not any(c.kind == wanted and c.state in (State.RUNNING, State.PAUSED) for c in live):
        clocks.start(case, wanted, now)
    elif wanted == Kind.HANDLING and reclassified:
        for clock in live:
            if clock.kind == Kind.HANDLING and clock.state == State.RUNNING:
                _replan(clock, case, clocks)
    sync_next_deadline(case)


def _pause(clock: CaseDeadline, clocks: Clocks) -> None:
    clock.remaining = remaining_at(clocks.now, clock.due_at, clock.unit, clocks.calendar)
    clock.paused_at = clocks.now
    clock.state = State.PAUSED
    clock.save(update_fields=["remaining", "paused_at", "state"])


def _resume(clock: CaseDeadline, clocks: Clocks) -> None:
    plan = resumed_schedule(
        clocks.now,
        clock.remaining or 0,
        Period(clock.amount, clock.unit),
        clocks.settings.warning_percent,
        clocks.calendar,
    )
    clock.due_at, clock.warn_at = plan.due_at, plan.warn_at
    clock.state, clock.paused_at, clock.remaining = State.RUNNING, None, None
    clock.save(update_fields=["due_at", "warn_at", "state", "paused_at", "remaining"])


def _replan(clock: CaseDeadline, case: Case, clocks: Clocks) -> None:
    """The class chosen at assessment sets the handling period, counted from when it began."""
    amount = clocks.days_for(Kind.HANDLING, case)
    plan = schedule(clock.started_at, Period(amount, clock.unit), clocks.settings.warning_percent, clocks.calendar)
    clock.amount, clock.due_at, clock.warn_at = amount, plan.due_at, plan.warn_at
    clock.save(update_fields=["amount", "due_at", "warn_at"])


def _stop(clock: CaseDeadline, state: str, now: dt.datetime) -> None:
    clock.state, clock.stopped_at = state, now
    clock.save(update_fields=["state", "stopped_at"])


def sync_next_deadline(case: Case) -> None:
    """Mirror the nearest running clock onto the case row (the caller holds the case)."""
    nearest = case.deadlines.filter(state=State.RUNNING).order_by("due_at").first()
    due = nearest.due_at if nearest else None
    warn = nearest.warn_at if nearest else None
    Case.objects.filter(pk=case.pk).update(next_deadline=due, deadline_warn_at=warn)
    case.next_deadline, case.deadline_warn_at = due, warn
