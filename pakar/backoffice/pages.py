"""Rendering back-office pages with the staff menu each person's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pakar.accounts.models import Role
from pakar.backoffice.access import staff
from pakar.cases.access import CASE_ROLES


def nav_items(request: HttpRequest) -> list[dict[str, str]]:
    user = staff(request)
    items = []
    if user.has_role(*CASE_ROLES):
        items.append({"key": "inbox", "label": _("Cases"), "url": reverse("backoffice:inbox")})
    if user.has_role(Role.INTAKE):
        items.append({"key": "intake", "label": _("Record a report"), "url": reverse("backoffice:intake")})
    if user.has_role(Role.CONSULTATION):
        items.append({"key": "consultations", "label": _("Consultations"), "url": reverse("consultations:staff_queue")})
    if user.has_role(Role.CUSTODIAN):
        items.append({"key": "identity", "label": _("Identity custody"), "url": reverse("identity:custodians")})
    if user.has_role(Role.INSPECTOR, Role.ADMINISTRATOR):
        items.append({"key": "audit", "label": _("Audit log"), "url": reverse("backoffice:audit")})
    if user.has_role(Role.ADMINISTRATOR):
        items.append({"key": "admin", "label": _("Administration"), "url": reverse("backoffice:admin_index")})
    return items


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, section: str = "", status: int = 200
) -> HttpResponse:
    context = {**context, "nav_items": nav_items(request), "section": section}
    return render(request, template, context, status=status)
