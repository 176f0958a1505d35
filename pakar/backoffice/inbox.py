"""The inbox query: filters, search and sort over the cases a person may see.

Every filter maps to an indexed column of the case row (``status``, ``unit``,
``category``, ``assigned_team``, ``assignee``, ``next_deadline``) and the page
is read with one count and one select however many cases there are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import Role, User
from pakar.cases.access import visible_cases
from pakar.cases.models import TERMINAL_STATUSES, Case, Category, Channel, Status
from pakar.org.models import Team, Unit
from pakar.workdays.periods import DeadlineState, state_at

PAGE_SIZE = 25
LIST_FIELDS = (
    "number",
    "status",
    "channel",
    "received_at",
    "next_deadline",
    "deadline_warn_at",
    "category_id",
    "unit_id",
    "assigned_team_id",
    "assignee__username",
    "assignee__full_name",
)

SCOPES = [("open", _("Open cases")), ("closed", _("Finished cases")), ("all", _("All cases"))]
SORTS = [("deadline", _("Next deadline first")), ("newest", _("Newest first")), ("oldest", _("Oldest first"))]
DEADLINE_FILTERS = [(s.value, s.label) for s in DeadlineState if s != DeadlineState.NONE]


@dataclass(frozen=True)
class Choices:
    """The options of the filter form, each read with one query."""

    categories: list[tuple[str, str]]
    units: list[tuple[str, str]]
    teams: list[tuple[str, str]]
    officers: list[tuple[str, str]]

    @classmethod
    def load(cls) -> Choices:
        return cls(
            categories=[(str(c.pk), c.name) for c in Category.objects.all()],
            units=[
                (str(pk), short or name) for pk, name, short in Unit.objects.values_list("pk", "name", "short_name")
            ],
            teams=[(str(pk), name) for pk, name in Team.objects.values_list("pk", "name")],
            officers=[
                (str(u.pk), str(u))
                for u in User.objects.filter(is_active=True, role_grants__role=Role.INVESTIGATOR)
                .only("username", "full_name")
                .order_by("full_name", "username")
                .distinct()
            ],
        )


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Case number, unit or category"))
    scope = forms.ChoiceField(label=_("Show"), choices=SCOPES, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    unit = forms.ChoiceField(label=_("Unit (OPD)"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    assignee = forms.ChoiceField(label=_("Handler"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_: list[tuple[str, Any]] = [("", _("Any"))]
        options: dict[str, list[tuple[str, Any]]] = {
            "status": list(Status.choices),
            "deadline": DEADLINE_FILTERS,
            "category": choices.categories,
            "unit": choices.units,
            "team": choices.teams,
            "assignee": [("me", _("Me")), ("none", _("Nobody yet")), *choices.officers],
        }
        for name, values in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = any_ + values


def select_filters(form: InboxFilterForm) -> list[dict[str, Any]]:
    """The filter selects as plain data: rendering Django's select widget option by
    option costs more than the whole database work of the page."""
    chosen = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    found = []
    for name, field in form.fields.items():
        if name == "q":
            continue
        assert isinstance(field, forms.ChoiceField)
        current = str(chosen.get(name) or form.data.get(name) or "")
        choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
        options = [(str(value), label, str(value) == current) for value, label in choices]
        found.append({"name": name, "id": f"id_{name}", "label": field.label, "options": options})
    return found


def filtered_cases(user: User, params: dict[str, str], now: dt.datetime) -> QuerySet[Case]:
    cases = visible_cases(user)
    cases = _scope(cases, params.get("scope") or "open")
    columns = {"status": "status", "category": "category_id", "unit": "unit_id", "team": "assigned_team_id"}
    for name, column in columns.items():
        if params.get(name):
            cases = cases.filter(**{column: params[name]})
    cases = _assignee(cases, params.get("assignee") or "", user)
    cases = _deadline(cases, params.get("deadline") or "", now)
    if params.get("q"):
        cases = _search(cases, params["q"])
    return _sorted(cases, params.get("sort") or "deadline")


def page_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("assignee").only(*LIST_FIELDS)


def table_rows(cases: list[Case], choices: Choices, now: dt.datetime) -> list[dict[str, Any]]:
    """The page's rows as plain values: names come from the filter options already
    read, labels are looked up once, so a row costs the template next to nothing."""
    categories, units, teams = dict(choices.categories), dict(choices.units), dict(choices.teams)
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    badges = {state.value: str(state.label) for state in DeadlineState}
    link = reverse("backoffice:case", args=["PKR-0000-00000"]).replace("PKR-0000-00000", "{}")
    rows = []
    for case in cases:
        paused = case.status == Status.NEEDS_INFO and case.next_deadline is not None
        state = str(DeadlineState.PAUSED) if paused else state_at(now, case.next_deadline, case.deadline_warn_at)
        rows.append(
            {
                "number": case.number,
                "url": link.format(case.number),
                "received": case.received_at,
                "channel": channels.get(case.channel, case.channel),
                "category": categories.get(str(case.category_id), ""),
                "unit": units.get(str(case.unit_id), ""),
                "status": statuses.get(case.status, case.status),
                "handler": str(case.assignee) if case.assignee_id else "",
                "team": teams.get(str(case.assigned_team_id), "") if case.assigned_team_id else "",
                "due": case.next_deadline,
                "state": state,
                "badge": badges[state],
            }
        )
    return rows


def _scope(cases: QuerySet[Case], scope: str) -> QuerySet[Case]:
    if scope == "open":
        return cases.exclude(status__in=TERMINAL_STATUSES)
    if scope == "closed":
        return cases.filter(status__in=TERMINAL_STATUSES)
    return cases


def _assignee(cases: QuerySet[Case], value: str, user: User) -> QuerySet[Case]:
    if value == "me":
        return cases.filter(assignee=user)
    if value == "none":
        return cases.filter(assignee__isnull=True)
    if value:
        return cases.filter(assignee_id=int(value))
    return cases


def _deadline(cases: QuerySet[Case], state: str, now: dt.datetime) -> QuerySet[Case]:
    running = cases.exclude(status=Status.NEEDS_INFO)
    if state == DeadlineState.OVERDUE:
        return running.filter(next_deadline__lt=now)
    if state == DeadlineState.WARNING:
        return running.filter(deadline_warn_at__lte=now, next_deadline__gte=now)
    if state == DeadlineState.ON_TIME:
        return running.filter(deadline_warn_at__gt=now)
    if state == DeadlineState.PAUSED:
        return cases.filter(status=Status.NEEDS_INFO)
    return cases


_FULL_NUMBER = re.compile(r"^PKR-\d{4}-\d{5,}$")
_NUMBER_START = re.compile(r"^PKR(-[\d-]*)?$")


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """A case number (whole or its beginning) through the number's index; digits
    anywhere in the number; otherwise the names of units and categories, which
    are few, so the case table is searched through their indexed keys."""
    text = text.strip()
    upper = text.upper()
    if _FULL_NUMBER.match(upper):
        return cases.filter(number=upper)
    if _NUMBER_START.match(upper):
        # A range on the unique index instead of LIKE, which SQLite cannot index.
        return cases.filter(number__gte=upper, number__lt=upper + "\uffff")
    if text.isdigit():
        return cases.filter(number__contains=text)
    units = Unit.objects.filter(Q(name__icontains=text) | Q(short_name__icontains=text)).values("pk")
    categories = Category.objects.filter(Q(name_id__icontains=text) | Q(name_en__icontains=text)).values("pk")
    return cases.filter(Q(unit__in=units) | Q(category__in=categories))


def _sorted(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    if sort == "newest":
        return cases.order_by("-received_at", "-id")
    if sort == "oldest":
        return cases.order_by("received_at", "id")
    # Cases without a running clock (finished ones) come last.
    return cases.order_by(F("next_deadline").asc(nulls_last=True), "id")
