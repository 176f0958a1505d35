"""The case page and every action taken from it.

Each action is a POST that calls one service and redirects back to the page;
when the service refuses, the page is shown again with the form and a clear
message, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pakar import vault
from pakar.accounts.models import Role
from pakar.accounts.reauth import require_recent_auth
from pakar.backoffice import audit_views, casefile
from pakar.backoffice.access import case_for, case_roles_required, roles_required, staff
from pakar.backoffice.forms import (
    AssignForm,
    ConflictForm,
    MessageForm,
    MoveForm,
    NoteForm,
    ProposalForm,
    ReturnForm,
)
from pakar.backoffice.pages import render_page
from pakar.cases import access, handling
from pakar.cases.events import record_case_event, record_case_view
from pakar.cases.files import evidence_path
from pakar.cases.models import Case, CaseEvent, Status
from pakar.cases.workflow import (
    MOVES,
    ConcurrentChangeError,
    InvalidMoveDataError,
    WorkflowError,
    moves_for,
    transition_case,
)


def _declared_case(request: HttpRequest, number: str) -> Case:
    """A case the person may see and has declared no conflict on; else 404."""
    case = case_for(request, number)
    if not access.has_declared_no_conflict(staff(request), case):
        raise Http404
    return case


def _forms(request: HttpRequest, case: Case, bound: forms.Form | None) -> dict[str, Any]:
    """Every form the person may use on this case now; ``bound`` replaces its blank twin."""
    user = staff(request)
    initial = {"version": case.version}
    found: dict[str, Any] = {"moves": [MoveForm(m, initial=initial) for m in moves_for(case, user)]}
    found["note"] = NoteForm(initial=initial)
    found["message"] = MessageForm(initial=initial)
    if user.has_role(Role.INSPECTOR):
        found["assign"] = AssignForm(
            initial={**initial, "team": case.assigned_team_id, "officer": case.assignee_id},
            officers=handling.assignable_officers(case),
        )
    proposal = casefile.pending_proposal(case)
    if user.has_role(Role.INVESTIGATOR, Role.INSPECTOR) and case.status in handling.PROPOSAL_STATUSES and not proposal:
        found["proposal"] = ProposalForm(initial=initial)
    if user.has_role(Role.INSPECTOR) and proposal:
        found["return"] = ReturnForm(initial=initial)
    if bound is not None:
        if isinstance(bound, MoveForm):
            found["moves"] = [bound if f.move == bound.move else f for f in found["moves"]]
        else:
            found[bound.prefix or ""] = bound
    return found


def _render(request: HttpRequest, case: Case, *, bound: forms.Form | None = None, status: int = 200) -> HttpResponse:
    context = {
        "case": case,
        "content": casefile.content(case),
        "identity": casefile.identity(case),
        "evidence": casefile.evidence(case),
        "thread": casefile.thread(case),
        "notes": casefile.notes(case),
        "timeline": casefile.timeline(case),
        "decisions": casefile.decisions(case),
        "deadlines": case.deadlines.all(),
        "viewers": casefile.viewers(case),
        "audit_history": audit_views.case_history(case),
        "proposal": casefile.pending_proposal(case),
        "forms": _forms(request, case, bound),
        "bound": bound,
    }
    return render_page(request, "backoffice/case.html", context, section="inbox", status=status)


@case_roles_required
@require_GET
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request, number)
    if not access.has_declared_no_conflict(staff(request), case):
        return redirect("backoffice:declare", number=case.number)
    record_case_view(case, actor=staff(request))
    return _render(request, case)


@case_roles_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, number: str) -> HttpResponse:
    """Before first opening a case: the conflict-of-interest declaration."""
    case = case_for(request, number)
    user = staff(request)
    if access.has_declared_no_conflict(user, case):
        return redirect("backoffice:case", number=case.number)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        has_conflict = form.cleaned_data["has_conflict"]
        try:
            handling.declare_conflict(case, actor=user, has_conflict=has_conflict, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:inbox")
        if has_conflict:
            messages.success(request, _("Thank you. The case has been handed back for reassignment."))
            return redirect("backoffice:inbox")
        return redirect("backoffice:case", number=case.number)
    party = case.read_content().get("party", {})
    context = {"case": case, "form": form, "party": party}
    status = 400 if form.is_bound else 200
    return render_page(request, "backoffice/declare.html", context, section="inbox", status=status)


def _act(request: HttpRequest, case: Case, form: forms.Form, action: Any, done: str) -> HttpResponse:
    """Run ``action(form)`` for a valid form; show the page again with what went wrong otherwise."""
    if not form.is_valid():
        return _render(request, case, bound=form, status=400)
    try:
        action(form)
    except InvalidMoveDataError as exc:
        for name, error in exc.errors.items():
            form.add_error(name if name in form.fields else None, error)
        return _render(request, case, bound=form, status=400)
    except ConcurrentChangeError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:case", number=case.number)
    except WorkflowError as exc:
        form.add_error(None, exc.message)
        return _render(request, case, bound=form, status=409)
    messages.success(request, done)
    return redirect("backoffice:case", number=case.number)


@case_roles_required
@require_POST
def move(request: HttpRequest, number: str, to: str) -> HttpResponse:
    case = _declared_case(request, number)
    step = MOVES.get((case.status, to))
    if step is None:
        messages.error(request, _("This step is not possible from the case's current status."))
        return redirect("backoffice:case", number=case.number)
    form = MoveForm(step, request.POST)

    def act(f: forms.Form) -> None:
        data = {name: f.cleaned_data.get(name) for name in step.fields}
        transition_case(case, to, actor=staff(request), data=data, expected_version=f.cleaned_data["version"])

    return _act(request, case, form, act, _("Done: the case is now “%(status)s”.") % {"status": Status(to).label})


@case_roles_required
@require_POST
def add_note(request: HttpRequest, number: str) -> HttpResponse:
    case = _declared_case(request, number)

    def act(f: forms.Form) -> None:
        handling.add_internal_note(case, text=f.cleaned_data["text"], actor=staff(request))

    return _act(request, case, NoteForm(request.POST), act, _("Note added."))


@case_roles_required
@require_POST
def send_message(request: HttpRequest, number: str) -> HttpResponse:
    case = _declared_case(request, number)

    def act(f: forms.Form) -> None:
        handling.send_message(case, text=f.cleaned_data["text"], actor=staff(request))

    return _act(request, case, MessageForm(request.POST), act, _("Message sent to the reporter."))


@roles_required(Role.INSPECTOR)
@require_POST
def assign(request: HttpRequest, number: str) -> HttpResponse:
    case = _declared_case(request, number)
    form = AssignForm(request.POST, officers=handling.assignable_officers(case))

    def act(f: forms.Form) -> None:
        assert isinstance(f, AssignForm)
        handling.assign_case(
            case,
            team=f.cleaned_data["team"],
            officer=f.chosen_officer(),
            actor=staff(request),
            expected_version=f.cleaned_data["version"],
        )

    return _act(request, case, form, act, _("Assignment saved."))


@roles_required(Role.INVESTIGATOR, Role.INSPECTOR)
@require_POST
def propose(request: HttpRequest, number: str) -> HttpResponse:
    case = _declared_case(request, number)

    def act(f: forms.Form) -> None:
        data = f.cleaned_data
        handling.propose_conclusion(
            case,
            actor=staff(request),
            findings=data["findings"],
            outcome=data["outcome"],
            sanction=data["sanction"],
            summary=data["summary"],
            expected_version=data["version"],
        )

    return _act(request, case, ProposalForm(request.POST), act, _("Conclusion sent to the inspector for approval."))


@roles_required(Role.INSPECTOR)
@require_POST
def return_proposal(request: HttpRequest, number: str) -> HttpResponse:
    case = _declared_case(request, number)

    def act(f: forms.Form) -> None:
        handling.return_conclusion(
            case, actor=staff(request), comment=f.cleaned_data["comment"], expected_version=f.cleaned_data["version"]
        )

    return _act(request, case, ReturnForm(request.POST), act, _("The conclusion was returned with your comment."))


@case_roles_required
@require_recent_auth
@require_GET
def download_evidence(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Stream one evidence file, decrypted, as a download — never shown inline."""
    case = _declared_case(request, number)
    item = case.evidence.filter(pk=pk).first()
    if item is None:
        raise Http404
    item.case = case  # the case key is already unwrapped on this object
    meta = item.read_meta()
    try:
        reader = vault.EncryptedReader(evidence_path(item.storage_name), item.file_key())
    except (OSError, vault.DecryptionError) as exc:
        raise Http404 from exc
    record_case_event(case, CaseEvent.Kind.EVIDENCE_DOWNLOADED, actor=staff(request), data={"evidence": item.pk})
    response = FileResponse(
        reader, as_attachment=True, filename=meta.get("name") or "bukti", content_type=meta.get("mime") or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
