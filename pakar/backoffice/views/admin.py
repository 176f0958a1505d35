"""Administration: users and roles, units, teams, categories, the working-day
calendar and the deadline settings. The administrator reads no case here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pakar.accounts import staff as staff_accounts
from pakar.accounts.models import User
from pakar.accounts.reauth import require_recent_auth
from pakar.accounts.two_factor import has_two_factor
from pakar.audit.events import AuditEvent
from pakar.audit.services import head as audit_head
from pakar.audit.services import record
from pakar.backoffice import admin_forms
from pakar.backoffice.access import admin_required, staff
from pakar.backoffice.pages import render_page
from pakar.cases.category_services import save_category
from pakar.cases.models import Category
from pakar.org import services as org_services
from pakar.org.models import Team, Unit
from pakar.workdays import services as workday_services
from pakar.workdays.calendar import national_holidays
from pakar.workdays.models import CalendarDay, DeadlineSettings


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render_page(request, f"backoffice/admin/{template}", context, section="admin", status=status)


def _object(model: type[Model], pk: int | None) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@admin_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "index.html", {"head": audit_head()})


# --- users ---------------------------------------------------------------------


@admin_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    people = User.objects.select_related("team").prefetch_related("role_grants").order_by("username")
    return _page(request, "users.html", {"people": people})


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person: User | None = _object(User, pk)
    initial = {}
    if person is not None:
        initial = {
            "username": person.username,
            "full_name": person.full_name,
            "team": person.team_id,
            "roles": sorted(person.roles()),
            "is_active": person.is_active,
        }
    form = admin_forms.UserForm(request.POST or None, user=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_user(person, form.cleaned_data, staff(request))
        except ValidationError as exc:
            form.add_error("password", exc)
        except staff_accounts.StaffChangeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("backoffice:admin_users")
    context = {"form": form, "person": person, "person_has_two_factor": person and has_two_factor(person)}
    return _page(request, "user_form.html", context, status=400 if form.errors else 200)


def _save_user(person: User | None, data: dict[str, Any], actor: User) -> None:
    if person is None:
        staff_accounts.create_staff_user(
            username=data["username"],
            full_name=data["full_name"],
            team=data["team"],
            roles=data["roles"],
            password=data["password"],
            actor=actor,
        )
    else:
        staff_accounts.update_staff_user(
            person,
            full_name=data["full_name"],
            team=data["team"],
            roles=data["roles"],
            is_active=data["is_active"],
            password=data["password"],
            actor=actor,
        )


# --- units, teams, categories ----------------------------------------------------------


def _edit(
    request: HttpRequest,
    *,
    form_class: type[forms.ModelForm],  # type: ignore[type-arg]
    instance: Any,
    save: Any,
    back: str,
    title: str,
    events: tuple[AuditEvent, AuditEvent],
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the change and its audit entry commit together
            saved = save(instance, form.cleaned_data, staff(request))
            event = events[1] if instance is not None else events[0]
            record(event, actor=staff(request), data={"object_id": saved.pk, "fields": sorted(form.changed_data)})
        messages.success(request, _("Saved."))
        return redirect(back)
    context = {"form": form, "title": title, "back": back}
    return _page(request, "edit.html", context, status=400 if form.errors else 200)


@admin_required
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    return _page(request, "units.html", {"units": Unit.objects.all()})


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    def save(unit: Unit | None, data: dict[str, Any], actor: User) -> Unit:
        return org_services.save_unit(
            unit, name=data["name"], short_name=data["short_name"], is_active=data["is_active"], actor=actor
        )

    unit = _object(Unit, pk)
    title = _("Edit unit") if unit else _("New unit")
    return _edit(
        request,
        form_class=admin_forms.UnitForm,
        instance=unit,
        save=save,
        back="backoffice:admin_units",
        title=title,
        events=(AuditEvent.UNIT_CREATED, AuditEvent.UNIT_CHANGED),
    )


@admin_required
@require_GET
def teams(request: HttpRequest) -> HttpResponse:
    return _page(request, "teams.html", {"teams": Team.objects.prefetch_related("units", "members")})


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    def save(team: Team | None, data: dict[str, Any], actor: User) -> Team:
        return org_services.save_team(team, name=data["name"], units=data["units"], actor=actor)

    team = _object(Team, pk)
    title = _("Edit team") if team else _("New team")
    return _edit(
        request,
        form_class=admin_forms.TeamForm,
        instance=team,
        save=save,
        back="backoffice:admin_teams",
        title=title,
        events=(AuditEvent.TEAM_CHANGED, AuditEvent.TEAM_CHANGED),
    )


@admin_required
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    return _page(request, "categories.html", {"categories": Category.objects.all()})


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    def save(category: Category | None, data: dict[str, Any], actor: User) -> Category:
        return save_category(category, values=data, actor=actor)

    category = _object(Category, pk)
    title = _("Edit category") if category else _("New category")
    return _edit(
        request,
        form_class=admin_forms.CategoryForm,
        instance=category,
        save=save,
        back="backoffice:admin_categories",
        title=title,
        events=(AuditEvent.CATEGORY_CREATED, AuditEvent.CATEGORY_CHANGED),
    )


# --- calendar and deadlines ------------------------------------------------------------


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    form = admin_forms.CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            workday_services.set_calendar_day(
                data["date"], is_working_day=data["is_working_day"], name=data["name"], actor=staff(request)
            )
            change = {"date": data["date"], "working_day": data["is_working_day"], "change": "set"}
            record(AuditEvent.CALENDAR_CHANGED, actor=staff(request), data=change)
        messages.success(request, _("The calendar has been changed."))
        return redirect(f"{request.path}?tahun={data['date'].year}")
    settings_row = DeadlineSettings.current()
    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "holidays": sorted(national_holidays(year, settings_row.include_cuti_bersama).items()),
        "changes": CalendarDay.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)),
        "form": form,
    }
    return _page(request, "calendar.html", context, status=400 if form.errors else 200)


@admin_required
@require_recent_auth
@require_POST
def calendar_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry: CalendarDay = _object(CalendarDay, pk)
    with transaction.atomic():
        workday_services.remove_calendar_day(entry, actor=staff(request))
        change = {"date": entry.date, "working_day": entry.is_working_day, "change": "removed"}
        record(AuditEvent.CALENDAR_CHANGED, actor=staff(request), data=change)
    messages.success(request, _("The change has been removed; the national calendar applies again."))
    return redirect(f"{reverse('backoffice:admin_calendar')}?tahun={entry.date.year}")


@admin_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def deadline_settings(request: HttpRequest) -> HttpResponse:
    current = DeadlineSettings.current()
    old = {name: getattr(current, name) for name in workday_services.SETTING_FIELDS}
    form = admin_forms.DeadlineSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = workday_services.update_deadline_settings(form.cleaned_data, actor=staff(request))
            new = {name: getattr(saved, name) for name in workday_services.SETTING_FIELDS}
            changes = {name: {"old": old[name], "new": new[name]} for name in new if old[name] != new[name]}
            record(AuditEvent.SETTINGS_CHANGED, actor=staff(request), data={"deadlines": changes})
        messages.success(
            request, _("The deadline settings have been saved. They apply to deadlines started from now on.")
        )
        return redirect("backoffice:admin_deadlines")
    return _page(request, "deadlines.html", {"form": form}, status=400 if form.errors else 200)
