"""The consultation officer's side: queue, answer, propose a report, close, FAQ."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pakar.backoffice.pages import render_page
from pakar.consultations import services
from pakar.consultations.access import (
    acting_officer,
    consultation_for,
    faq_entry_for,
    officer_required,
    topic_editor_required,
)
from pakar.consultations.forms import AnswerForm, FaqForm, ProposeReportForm, TopicForm
from pakar.consultations.models import AWAITING_OFFICER, Consultation, ConsultationStatus, FaqEntry, Topic

PAGE_SIZE = 25
SECTION = "consultations"  # the back-office menu entry these pages belong to
VIEWS = {
    "awaiting": gettext_lazy("Awaiting an answer"),
    "answered": gettext_lazy("Answered"),
    "closed": gettext_lazy("Closed or turned into a report"),
    "all": gettext_lazy("All"),
}
RACE_MESSAGE = gettext_lazy(
    "This consultation changed before your action was saved (someone else acted first). Check it and try again."
)


def _queue(view: str) -> QuerySet[Consultation]:
    found = Consultation.objects.select_related("topic")
    if view == "awaiting":
        return found.filter(status__in=AWAITING_OFFICER).order_by("due_at", "received_at")
    if view == "answered":
        return found.filter(status=ConsultationStatus.ANSWERED).order_by("-received_at")
    if view == "closed":
        return found.filter(status__in=[ConsultationStatus.CLOSED, ConsultationStatus.CONVERTED]).order_by(
            "-received_at"
        )
    return found.order_by("-received_at")


@officer_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("tampil", "awaiting")
    if view not in VIEWS:
        view = "awaiting"
    page = Paginator(_queue(view), PAGE_SIZE).get_page(request.GET.get("hal"))
    rows = [{"c": c, "subject": c.read_content().get("subject", "")} for c in page.object_list]
    context = {"page": page, "rows": rows, "view": view, "views": VIEWS.items()}
    return render_page(request, "consultations/staff/queue.html", context, section=SECTION)


@officer_required
@require_GET
def detail(request: HttpRequest, number: str) -> HttpResponse:
    consultation = consultation_for(request.user, number)
    return _detail_page(request, consultation)


def _detail_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    answer_form: AnswerForm | None = None,
    propose_form: ProposeReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    content = consultation.read_content()
    thread = [
        {"mine": not m.from_asker, "at": m.created_at, "text": m.read_body(), "author": m.author}
        for m in consultation.messages.select_related("author")
    ]
    context: dict[str, Any] = {
        "consultation": consultation,
        "content": content,
        # The name the asker chose to give; the notice e-mail is never shown here.
        "identity": consultation.read_identity(),
        "thread": thread,
        "answer_form": answer_form or AnswerForm(),
        "propose_form": propose_form or ProposeReportForm(),
        "faq_entries": consultation.faq_entries.all(),
    }
    return render_page(request, "consultations/staff/detail.html", context, status=status, section=SECTION)


@officer_required
@require_POST
def answer(request: HttpRequest, number: str) -> HttpResponse:
    consultation = consultation_for(request.user, number)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, consultation, answer_form=form, status=400)
    try:
        services.answer_consultation(consultation, text=form.cleaned_data["text"], actor=acting_officer(request))
    except services.NotAllowedError:
        messages.error(request, str(RACE_MESSAGE))
        return redirect("consultations:staff_detail", number=number)
    messages.success(request, _("Your answer has been sent. The asker sees it on their follow-up page."))
    return redirect("consultations:staff_detail", number=number)


@officer_required
@require_POST
def propose_report(request: HttpRequest, number: str) -> HttpResponse:
    consultation = consultation_for(request.user, number)
    form = ProposeReportForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, consultation, propose_form=form, status=400)
    data = form.cleaned_data
    try:
        services.propose_report(
            consultation,
            category=data["category"],
            unit=data["unit"],
            party={"name": data["party_name"], "position": data["party_position"]},
            explanation=data["explanation"],
            actor=acting_officer(request),
        )
    except services.NotAllowedError:
        messages.error(request, str(RACE_MESSAGE))
        return redirect("consultations:staff_detail", number=number)
    messages.success(request, _("The proposal has been sent. Nothing becomes a report until the asker agrees."))
    return redirect("consultations:staff_detail", number=number)


@officer_required
@require_POST
def close(request: HttpRequest, number: str) -> HttpResponse:
    consultation = consultation_for(request.user, number)
    try:
        services.close_consultation(consultation, actor=acting_officer(request))
    except services.NotAllowedError:
        messages.error(request, str(RACE_MESSAGE))
        return redirect("consultations:staff_detail", number=number)
    messages.success(request, _("The consultation has been closed."))
    return redirect("consultations:staff_queue")


# --- FAQ curation -------------------------------------------------------------------


@officer_required
@require_GET
def faq_list(request: HttpRequest) -> HttpResponse:
    entries = FaqEntry.objects.select_related("topic", "source").order_by("is_published", "-updated_at")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render_page(request, "consultations/staff/faq_list.html", {"page": page}, section=SECTION)


@officer_required
@require_http_methods(["GET", "POST"])
def faq_new(request: HttpRequest) -> HttpResponse:
    source_number = request.GET.get("dari", "") or request.POST.get("source", "")
    source = consultation_for(request.user, source_number) if source_number else None
    if source is not None and not source.publish_consent:
        messages.error(
            request, _("The asker did not agree to publication, so this consultation cannot become an FAQ entry.")
        )
        return redirect("consultations:staff_detail", number=source.number)
    # The form starts empty on purpose: an officer writes the public text, nothing is copied.
    form = FaqForm(request.POST or None, source=source, initial={"topic": source.topic if source else None})
    if request.method == "POST" and form.is_valid():
        data = services.FaqInput(
            topic=form.cleaned_data["topic"], question=form.cleaned_data["question"], answer=form.cleaned_data["answer"]
        )
        entry = services.create_faq_entry(data, source=source, actor=acting_officer(request))
        if "publish" in request.POST:
            services.publish_faq_entry(entry, actor=acting_officer(request))
            messages.success(request, _("The entry has been published in the FAQ."))
        else:
            messages.success(request, _("The entry has been saved as a draft."))
        return redirect("consultations:staff_faq_edit", pk=entry.pk)
    return _faq_form_page(request, form, source=source, entry=None)


@officer_required
@require_http_methods(["GET", "POST"])
def faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = faq_entry_for(request.user, pk)
    initial = {"topic": entry.topic, "question": entry.question, "answer": entry.answer}
    form = FaqForm(request.POST or None, source=entry.source, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.FaqInput(
            topic=form.cleaned_data["topic"], question=form.cleaned_data["question"], answer=form.cleaned_data["answer"]
        )
        services.edit_faq_entry(entry, data, actor=acting_officer(request))
        if "publish" in request.POST:
            services.publish_faq_entry(entry, actor=acting_officer(request))
        messages.success(request, _("The entry has been saved."))
        return redirect("consultations:staff_faq_edit", pk=entry.pk)
    return _faq_form_page(request, form, source=entry.source, entry=entry)


def _faq_form_page(
    request: HttpRequest, form: FaqForm, *, source: Consultation | None, entry: FaqEntry | None
) -> HttpResponse:
    context = {
        "form": form,
        "entry": entry,
        "source": source,
        # Shown beside the form for reference only, never copied into it.
        "original": source.read_content() if source is not None else None,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render_page(request, "consultations/staff/faq_form.html", context, status=status, section=SECTION)


@officer_required
@require_POST
def faq_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    entry = faq_entry_for(request.user, pk)
    services.unpublish_faq_entry(entry, actor=acting_officer(request))
    messages.success(request, _("The entry has been withdrawn from the public FAQ."))
    return redirect("consultations:staff_faq_edit", pk=entry.pk)


# --- topics --------------------------------------------------------------------------


@topic_editor_required
@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    return render_page(request, "consultations/staff/topics.html", {"topics": Topic.objects.all()}, section=SECTION)


@topic_editor_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    topic = Topic.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and topic is None:
        raise Http404
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        services.save_topic(topic, values=form.cleaned_data, actor=acting_officer(request))
        messages.success(request, _("Saved."))
        return redirect("consultations:staff_topics")
    title = _("Edit topic") if topic else _("New topic")
    context = {"form": form, "title": title, "back": "consultations:staff_topics"}
    # The back office's generic edit page: a form, its errors, a way back.
    return render_page(
        request, "backoffice/admin/edit.html", context, section=SECTION, status=400 if form.errors else 200
    )
