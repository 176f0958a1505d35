"""The asker's side: ask, receipt, follow-up with the access code, the public FAQ.

No login; every step works without JavaScript. The access code is never
stored, not even in a session: only the consultation's id is, after one
Argon2id run has found it.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pakar.cases import services as case_services
from pakar.common.throttle import allow
from pakar.consultations import services
from pakar.consultations.deadlines import answer_days
from pakar.consultations.forms import AskerReplyForm, ConversionConsentForm, QuestionForm
from pakar.consultations.models import Consultation, FaqEntry, Topic
from pakar.public.forms import AccessCodeForm
from pakar.public.views import no_store
from pakar.vault import format_code

SESSION_KEY = "consultation_followup"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HOUR = 3600


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@no_store
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _ask_page(request, QuestionForm())
    form = QuestionForm(request.POST)
    if not allow("consultation-ask", request, limit=_limit("PAKAR_CONSULTATION_ASK_LIMIT", 10), window=HOUR):
        form.add_error(None, _("Too many questions from this connection. Please try again in an hour."))
        return _ask_page(request, form, status=429)
    if not form.is_valid():
        return _ask_page(request, form, status=400)
    data = form.cleaned_data
    question = services.QuestionInput(
        topic=data["topic"],
        asker_type=data["asker_type"],
        subject=data["subject"],
        question=data["question"],
        identity=form.identity(),
        notice_email=data["notice_email"],
        publish_consent=data["publish_consent"],
    )
    try:
        receipt = services.ask_question(question, form_token=data["form_token"])
    except services.ReplayedSubmissionError:
        return render(request, "consultations/replayed.html", status=409)
    context = {"consultation": receipt.consultation, "code": format_code(receipt.access_code)}
    return render(request, "consultations/receipt.html", context)


def _ask_page(request: HttpRequest, form: QuestionForm, *, status: int = 200) -> HttpResponse:
    return render(request, "consultations/ask.html", {"form": form, "answer_days": answer_days()}, status=status)


@no_store
@require_http_methods(["GET", "POST"])
def followup_login(request: HttpRequest) -> HttpResponse:
    form = AccessCodeForm(request.POST or None)
    if request.method != "POST":
        return render(request, "consultations/followup_login.html", {"form": form})
    # The same budget as the report follow-up: switching forms buys no extra guesses.
    if not allow("code", request, limit=settings.PAKAR_CODE_ATTEMPTS, window=settings.PAKAR_CODE_WINDOW_SECONDS):
        form.add_error(None, _("Too many attempts. Wait 15 minutes and try again."))
        return render(request, "consultations/followup_login.html", {"form": form}, status=429)
    if form.is_valid():
        consultation = services.find_consultation_by_code(form.cleaned_data["code"])
        if consultation is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = consultation.pk
            return redirect("consultations:followup")
        form.add_error("code", _("This access code does not open any consultation. Check the digits and try again."))
    return render(request, "consultations/followup_login.html", {"form": form}, status=400)


def _session_consultation(request: HttpRequest) -> Consultation | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return (
        Consultation.objects.select_related("topic", "proposed_category", "proposed_unit", "converted_case")
        .filter(pk=pk)
        .first()
    )


@no_store
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    consultation = _session_consultation(request)
    if consultation is None:
        return redirect("consultations:followup_login")
    form = AskerReplyForm(request.POST or None)
    if request.method != "POST":
        return _followup_page(request, consultation, reply_form=form)
    if not allow("consultation-reply", request, limit=_limit("PAKAR_CONSULTATION_REPLY_LIMIT", 30), window=HOUR):
        form.add_error(None, _("Too many messages from this connection. Please try again in an hour."))
        return _followup_page(request, consultation, reply_form=form, status=429)
    if not consultation.is_open:
        form.add_error(None, _("This consultation is closed. Ask a new question if you need more help."))
        return _followup_page(request, consultation, reply_form=form, status=400)
    if not form.is_valid():
        return _followup_page(request, consultation, reply_form=form, status=400)
    try:
        services.add_asker_reply(consultation, text=form.cleaned_data["text"])
    except services.NotAllowedError:
        form.add_error(None, _("This consultation is closed. Ask a new question if you need more help."))
        return _followup_page(request, consultation, reply_form=form, status=409)
    messages.success(request, _("Thank you. Your message has been sent to the consultation officer."))
    return redirect("consultations:followup")


@no_store
@require_POST
def consent_to_report(request: HttpRequest) -> HttpResponse:
    """The asker agrees to turn the consultation into a report. The new case's
    access code is shown in this response only, like any receipt."""
    consultation = _session_consultation(request)
    if consultation is None:
        return redirect("consultations:followup_login")
    form = ConversionConsentForm(request.POST, consultation=consultation)
    if not consultation.conversion_pending:
        return _followup_page(request, consultation, status=409)
    if not form.is_valid():
        return _followup_page(request, consultation, consent_form=form, status=400)
    data = services.ConversionInput(identity_mode=form.cleaned_data["identity_mode"], identity=form.identity())
    try:
        receipt = services.convert_to_report(consultation, data, form_token=form.cleaned_data["form_token"])
    except (services.NotAllowedError, case_services.ReplayedSubmissionError):
        consultation.refresh_from_db()
        return _followup_page(request, consultation, status=409)
    new_case = {"number": receipt.case.number, "code": format_code(receipt.access_code)}
    return _followup_page(request, consultation, new_case=new_case)


def _followup_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    reply_form: AskerReplyForm | None = None,
    consent_form: ConversionConsentForm | None = None,
    new_case: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    content = consultation.read_content()
    thread = [{"mine": m.from_asker, "at": m.created_at, "text": m.read_body()} for m in consultation.messages.all()]
    context: dict[str, Any] = {
        "consultation": consultation,
        "subject": content.get("subject", ""),
        "question": content.get("question", ""),
        "thread": thread,
        "reply_form": reply_form or AskerReplyForm(),
        "consent_form": consent_form or ConversionConsentForm(consultation=consultation),
        "proposed_party": consultation.read_proposed_party() if consultation.conversion_pending else {},
        "new_case": new_case,
    }
    return render(request, "consultations/followup.html", context, status=status)


@require_POST
def followup_logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("public:home")


# --- the public FAQ -------------------------------------------------------------


def search_faq(query: str) -> QuerySet[FaqEntry]:
    """Published entries containing every word of the query, in the question or the answer."""
    entries = FaqEntry.objects.filter(is_published=True).select_related("topic")
    for word in query.split()[:8]:
        entries = entries.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return entries


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    # Control characters (a NUL byte is refused by PostgreSQL) never match any text.
    query = _CONTROL.sub(" ", request.GET.get("q", "")).strip()[:200]
    entries = list(search_faq(query))
    groups = []
    for topic in Topic.objects.all():
        items = [e for e in entries if e.topic_id == topic.pk]
        if items:
            groups.append({"topic": topic, "entries": items})
    return render(request, "consultations/faq.html", {"groups": groups, "query": query, "count": len(entries)})
