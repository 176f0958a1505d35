"""The reporter's answers to a concluded case: a satisfaction rating (which closes
it) or an objection, keberatan (which reopens it). Both need the follow-up session
opened with the access code, and both work without JavaScript."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pakar.cases import handling
from pakar.cases.models import Case
from pakar.cases.workflow import WorkflowError
from pakar.public.forms import readable_text
from pakar.public.views import FOLLOWUP_SESSION_KEY, no_store

RATINGS = [
    ("5", gettext_lazy("5 — very satisfied")),
    ("4", gettext_lazy("4 — satisfied")),
    ("3", gettext_lazy("3 — neither satisfied nor dissatisfied")),
    ("2", gettext_lazy("2 — dissatisfied")),
    ("1", gettext_lazy("1 — very dissatisfied")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the handling of your report?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=2000,
        validators=[readable_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    prefix = "rating"


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Why do you object to the outcome?"),
        max_length=settings.PAKAR_MAX_TEXT_CHARS,
        validators=[readable_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    prefix = "objection"


def _session_case(request: HttpRequest) -> Case | None:
    case_id = request.session.get(FOLLOWUP_SESSION_KEY)
    return Case.objects.filter(pk=case_id).first() if case_id is not None else None


def _back() -> HttpResponse:
    return redirect("public:followup")


@no_store
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    case = _session_case(request)
    if case is None:
        return redirect("public:followup_login")
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied you are, from 1 to 5, and send again."))
        return _back()
    try:
        handling.rate_outcome(case, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return _back()
    messages.success(request, _("Thank you for your rating."))
    return _back()


@no_store
@require_POST
def object_to_outcome(request: HttpRequest) -> HttpResponse:
    case = _session_case(request)
    if case is None:
        return redirect("public:followup_login")
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why you object to the outcome, then send again."))
        return _back()
    try:
        handling.object_to_outcome(case, text=form.cleaned_data["text"])
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return _back()
    messages.success(request, _("Your objection has been received. The report has been reopened."))
    return _back()
