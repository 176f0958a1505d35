"""The reporter's side: no login, every step works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pakar.cases import services
from pakar.cases.models import Case, Category, Message
from pakar.common.throttle import allow
from pakar.public import pagecache
from pakar.public.forms import AccessCodeForm, ReplyForm, ReportForm
from pakar.vault import format_code

FOLLOWUP_SESSION_KEY = "followup_case"


def no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.no_store = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def home(request: HttpRequest) -> HttpResponse:
    categories = Category.objects.filter(is_active=True)
    return render(request, "public/home.html", {"categories": categories})


def _empty_report_context() -> dict[str, Any]:
    return ReportForm(initial={"form_token": pagecache.form_token_placeholder()}).evidence_context()


@no_store
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        if request.GET:
            return render(request, "public/report_form.html", ReportForm().evidence_context())
        page = pagecache.render_empty_form(request, "public/report_form.html", _empty_report_context)
        return HttpResponse(page)
    form = ReportForm(request.POST, request.FILES)
    if services.form_token_used(request.POST.get("form_token", "")):
        # Checked before validation: a second copy of a sent form must say
        # "already sent", not complain that its files (already filed) are gone.
        form.discard_new_uploads()
        return render(request, "public/replayed.html", status=409)
    if not form.is_valid():
        return render(request, "public/report_form.html", form.evidence_context(), status=400)
    try:
        receipt = services.submit_report(form.to_input(), form_token=form.cleaned_data["form_token"])
    except services.ReplayedSubmissionError:
        for staged in form.staged_files:
            staged.discard()
        return render(request, "public/replayed.html", status=409)
    except FileNotFoundError:
        form.forget_vanished_files()
        return render(request, "public/report_form.html", form.evidence_context(), status=400)
    # The receipt is the response to the POST itself: the code is never stored
    # (not even in a session) and a reload cannot show it again.
    return render(request, "public/receipt.html", {"case": receipt.case, "code": format_code(receipt.access_code)})


@no_store
@require_http_methods(["GET", "POST"])
def followup_login(request: HttpRequest) -> HttpResponse:
    form = AccessCodeForm(request.POST or None)
    if request.method == "POST":
        if not allow("code", request, limit=settings.PAKAR_CODE_ATTEMPTS, window=settings.PAKAR_CODE_WINDOW_SECONDS):
            form.add_error(None, _("Too many attempts. Wait 15 minutes and try again."))
            return render(request, "public/followup_login.html", {"form": form}, status=429)
        if form.is_valid():
            case = services.find_case_by_code(form.cleaned_data["code"])
            if case is not None:
                request.session.cycle_key()
                request.session[FOLLOWUP_SESSION_KEY] = case.pk
                return redirect("public:followup")
            form.add_error("code", _("This access code does not open any report. Check the digits and try again."))
        return render(request, "public/followup_login.html", {"form": form}, status=400)
    return render(request, "public/followup_login.html", {"form": form})


def _followup_case(request: HttpRequest) -> Case | None:
    case_id = request.session.get(FOLLOWUP_SESSION_KEY)
    if case_id is None:
        return None
    return Case.objects.select_related("category", "unit").filter(pk=case_id).first()


@no_store
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    case = _followup_case(request)
    if case is None:
        return redirect("public:followup_login")
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_reporter_reply(case, text=form.cleaned_data["text"], files=form.staged_files)
            except FileNotFoundError:
                form.forget_vanished_files()
                return render(request, "public/followup.html", _followup_context(case, form), status=400)
            messages.success(request, _("Thank you. Your message has been sent to the handling team."))
            return redirect("public:followup")
        status = 400
    else:
        status = 200
    return render(request, "public/followup.html", _followup_context(case, form), status=status)


def _followup_context(case: Case, form: ReplyForm) -> dict[str, Any]:
    content = case.read_content()
    thread = [
        {"from_reporter": m.direction == Message.Direction.FROM_REPORTER, "at": m.created_at, "text": m.read_body()}
        for m in case.messages.all()
    ]
    evidence = [e.read_meta() | {"at": e.created_at} for e in case.evidence.all()]
    return {
        "case": case,
        "title": content.get("title", ""),
        "timeline": case.status_changes.all(),
        "thread": thread,
        "evidence": evidence,
        **form.evidence_context(),
    }


@require_POST
def followup_logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("public:home")
