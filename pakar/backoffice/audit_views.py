"""The audit log in the back office: a case's history on its page, the whole
log searchable by the inspector and the administrator, CSV export (after a
fresh confirmation of identity) and the published head on the admin page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from pakar.accounts import two_factor
from pakar.accounts.models import Role, User
from pakar.accounts.reauth import require_recent_auth
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.search import export_entries, search_entries
from pakar.audit.services import head
from pakar.backoffice.access import admin_required, roles_required, staff
from pakar.backoffice.pages import render_page
from pakar.cases.models import Case

PAGE_SIZE = 50
CASE_HISTORY_LIMIT = 200

auditor_required = roles_required(Role.INSPECTOR, Role.ADMINISTRATOR)


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.order_by("username"), required=False, to_field_name="username"
    )
    event = forms.TypedChoiceField(label=_("Event"), required=False, coerce=int, empty_value=None)
    case = forms.RegexField(label=_("Case number"), regex=r"^\s*[A-Za-z]{3}-\d{4}-\d{5,}\s*$", required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("All events"))]
        choices += [(int(event), f"{int(event)} — {event.label}") for event in AuditEvent]
        event_field = self.fields["event"]
        assert isinstance(event_field, forms.TypedChoiceField)
        event_field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        event = data.get("event")
        return {
            "user": data.get("user"),
            "event": AuditEvent(event) if event is not None else None,
            "case_number": (data.get("case") or "").strip().upper() or None,
            "since": data.get("since"),
            "until": data.get("until"),
        }


def case_history(case: Case) -> QuerySet[AuditEntry]:
    """The newest entries about one case, for its page."""
    return AuditEntry.objects.filter(case_id=case.pk).select_related("actor").order_by("-sequence")[:CASE_HISTORY_LIMIT]


@auditor_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries: QuerySet[AuditEntry] | None = None
    if not form.is_bound:
        entries = search_entries()
    elif form.is_valid():
        entries = search_entries(**form.filters())
    page = Paginator(entries.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page")) if entries else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "head": head()}
    status = 400 if form.is_bound and form.errors else 200
    return render_page(request, "backoffice/audit/log.html", context, section="audit", status=status)


@auditor_required
@require_recent_auth
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "page": None, "query": "", "head": head()}
        return render_page(request, "backoffice/audit/log.html", context, section="audit", status=400)
    lines = export_entries(actor=staff(request), **form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pakar-audit-{stamp}.csv"'
    return response


@admin_required
@require_recent_auth
@require_POST
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator removes a person's authenticator and backup codes (audited)."""
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    two_factor.reset_two_factor(person, actor=staff(request))
    messages.success(request, _("Two-factor authentication was reset. The person sets it up again at next sign-in."))
    return redirect("backoffice:admin_user", pk=person.pk)
