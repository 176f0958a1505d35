"""The public statistics: computed from a few grouped queries, suppressed, then cached.

Only aggregates leave this module, already suppressed (see
:mod:`pakar.reports.suppression`); raw small counts never reach the cache,
the page or the downloads. Nothing here reads case content.

Period: the twelve calendar months up to and including the current one, in
the inspectorate's time zone. Received reports and status are about cases
received in the period; conclusions are those concluded in the period, and
ratings those given in the period.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from pakar.cases.deadlines import DEFAULT_CLASS
from pakar.cases.models import Case, CaseDeadline, Category, DeadlineClass, Decision, Status, StatusChange
from pakar.consultations.deadlines import answer_days
from pakar.consultations.models import Consultation
from pakar.reports.suppression import Cell, min_count, protect, publish_one
from pakar.reports.timing import WorkingDayCounter
from pakar.workdays.models import DeadlineSettings

MONTHS = 12
TOTAL = "total"


def period_months(now: dt.datetime, count: int = MONTHS) -> list[dt.date]:
    """The first day of each month of the period, oldest first."""
    month = timezone.localdate(now).replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def compute_statistics(now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    months = period_months(now)
    start = start_of(months[0])
    categories = list(Category.objects.order_by("position", "code"))
    return {
        "generated_at": now.isoformat(),
        "minimum": min_count(),
        "period": {"from": months[0].isoformat(), "to": timezone.localdate(now).isoformat()},
        "months": [m.strftime("%Y-%m") for m in months],
        "categories": [{"code": c.code, "name_id": c.name_id, "name_en": c.name_en} for c in categories],
        "received": _received(start, months, categories),
        "status": _status(start),
        "conclusion": _conclusion(start, now),
        "consultations": _consultations(start, now),
        "satisfaction": _satisfaction(start),
    }


def _json(cells: dict[Any, Cell]) -> dict[str, dict[str, object]]:
    return {str(key): cell.as_json() for key, cell in cells.items()}


def _received(start: dt.datetime, months: list[dt.date], categories: list[Category]) -> dict[str, Any]:
    rows = (
        Case.objects.filter(received_at__gte=start)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    codes = {c.pk: c.code for c in categories}
    month_keys = [m.strftime("%Y-%m") for m in months]
    values: dict[Any, int] = {(m, c.code): 0 for m in month_keys for c in categories}
    for row in rows:
        month = timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        values[(month.strftime("%Y-%m"), codes[row["category_id"]])] += row["n"]
    for m in month_keys:
        values[(m, TOTAL)] = sum(values[(m, c.code)] for c in categories)
    for c in categories:
        values[(TOTAL, c.code)] = sum(values[(m, c.code)] for m in month_keys)
    values[(TOTAL, TOTAL)] = sum(values[(m, TOTAL)] for m in month_keys)
    columns = [c.code for c in categories] + [TOTAL]
    groups = [[(m, col) for col in columns] for m in [*month_keys, TOTAL]]
    groups += [[(m, col) for m in [*month_keys, TOTAL]] for col in columns]
    cells = protect(values, groups)
    return {
        "cells": {m: {col: cells[(m, col)].as_json() for col in columns} for m in [*month_keys, TOTAL]},
    }


def _status(start: dt.datetime) -> dict[str, Any]:
    rows = Case.objects.filter(received_at__gte=start).values("status").annotate(n=Count("id")).order_by()
    found = Counter({row["status"]: row["n"] for row in rows})
    values: dict[Any, int] = {s.value: found.get(s.value, 0) for s in Status}
    values[TOTAL] = sum(found.values())
    return {"cells": _json(protect(values, [list(values)]))}


def _conclusion(start: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    """Cases whose first conclusion falls in the period: how long it took, and whether
    it came within the case's own deadlines."""
    concluded = (
        StatusChange.objects.filter(to_status=Status.CONCLUDED)
        .values("case_id")
        .annotate(concluded_at=Min("at"))
        .filter(concluded_at__gte=start)
    )
    rows = list(concluded.values_list("case_id", "case__received_at", "case__deadline_class", "concluded_at"))
    counter = WorkingDayCounter.spanning([moment for row in rows for moment in (row[1], row[3])], now)
    days = {case_id: counter.between(received, at) for case_id, received, _class, at in rows}
    clocks = _clocks_until_conclusion(concluded.values("case_id"), {row[0]: row[3] for row in rows})
    limits = _fallback_limits()
    on_time = [
        all(clocks[case_id]) if case_id in clocks else days[case_id] <= limits[deadline_class or DEFAULT_CLASS]
        for case_id, _received, deadline_class, _at in rows
    ]
    enough = len(rows) >= min_count()
    return {
        "concluded": publish_one(len(rows)).as_json(),
        "median_working_days": float(statistics.median(days.values())) if enough else None,
        "share_within_deadline": round(100 * sum(on_time) / len(on_time), 1) if enough else None,
    }


def _clocks_until_conclusion(case_ids: Any, concluded_at: dict[int, dt.datetime]) -> dict[int, list[bool]]:
    """For each case, whether each verification and handling clock that ended by its
    first conclusion ended in time. The clocks already leave out the time the case
    waited for the reporter (pakar.cases.deadlines)."""
    found: dict[int, list[bool]] = {}
    clocks = CaseDeadline.objects.filter(
        case_id__in=case_ids,
        kind__in=[CaseDeadline.Kind.VERIFICATION, CaseDeadline.Kind.HANDLING],
        state=CaseDeadline.State.MET,
        stopped_at__isnull=False,
    ).values_list("case_id", "stopped_at", "due_at")
    for case_id, stopped_at, due_at in clocks:
        if stopped_at is not None and stopped_at <= concluded_at[case_id]:
            found.setdefault(case_id, []).append(stopped_at <= due_at)
    return found


def _fallback_limits() -> dict[str, int]:
    """For a case concluded without clocks (recorded before they existed): verification
    plus its handling class, in working days, from the live deadline settings."""
    current = DeadlineSettings.current()
    return {c.value: int(current.verification_days + current.class_days(c.value)) for c in DeadlineClass}


RATINGS = ("1", "2", "3", "4", "5")


def _satisfaction(start: dt.datetime) -> dict[str, Any]:
    """Ratings (1 to 5) reporters gave to a conclusion in the period."""
    rows = (
        Decision.objects.filter(kind=Decision.Kind.RATING, created_at__gte=start, rating__isnull=False)
        .values("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    found = {str(row["rating"]): row["n"] for row in rows}
    values: dict[Any, int] = {key: found.get(key, 0) for key in RATINGS}
    values[TOTAL] = sum(values.values())
    enough = values[TOTAL] >= min_count()
    average = sum(int(key) * values[key] for key in RATINGS) / values[TOTAL] if enough else None
    return {
        "cells": _json(protect(values, [list(values)])),
        "average": round(average, 2) if average is not None else None,
        "scale": len(RATINGS),
    }


def _consultations(start: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    rows = list(Consultation.objects.filter(received_at__gte=start).values_list("received_at", "first_answered_at"))
    answered = [(received, answer) for received, answer in rows if answer is not None]
    counter = WorkingDayCounter.spanning([moment for row in answered for moment in row], now)
    days = [counter.between(received, answer) for received, answer in answered]
    limit = answer_days()
    return {
        "received": publish_one(len(rows)).as_json(),
        "answered": publish_one(len(answered)).as_json(),
        "deadline_days": limit,
        **_timeliness(days, limit),
    }


def _timeliness(days: list[int], limit: int) -> dict[str, float | None]:
    """Median and share within the limit, shown only when enough cases stand behind them."""
    if len(days) < min_count():
        return {"median_working_days": None, "share_within_deadline": None}
    return {
        "median_working_days": float(statistics.median(days)),
        "share_within_deadline": round(100 * sum(1 for d in days if d <= limit) / len(days), 1),
    }
