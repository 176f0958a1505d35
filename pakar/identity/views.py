"""Back-office pages of identity custody, under /staff/identity/.

- Custodians: enrol (recovery key shown once), the list with what still needs
  re-sealing, re-seal, remove another custodian.
- Investigators: ask for a case's identity with a reason; see it while a grant lives.
- Custodians: decide pending requests with their passphrase.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pakar.accounts.models import Role
from pakar.accounts.reauth import require_recent_auth
from pakar.backoffice.access import case_for, roles_required, staff
from pakar.backoffice.pages import render_page
from pakar.cases.models import IdentityMode
from pakar.identity import reveal, services
from pakar.identity.forms import DecisionForm, EnrolForm, PassphraseForm, RevealRequestForm
from pakar.identity.models import Custodian, RevealRequest

custodian_required = roles_required(Role.CUSTODIAN)
investigator_required = roles_required(Role.INVESTIGATOR)


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data, even when empty (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def _own_custodian(request: HttpRequest) -> Custodian | None:
    return Custodian.objects.filter(user=staff(request)).first()


@custodian_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if _own_custodian(request) is not None:
        return redirect("identity:custodians")
    form = EnrolForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            _custodian, recovery = services.enrol_custodian(
                staff(request), form.cleaned_data["passphrase"], actor=staff(request)
            )
        except services.CustodyError as exc:
            form.add_error(None, exc.message)
        else:
            # Shown in the response to the POST only: never stored, a reload cannot show it again.
            return render_page(request, "identity/recovery.html", {"recovery": recovery}, section="identity")
    status = 400 if form.errors else 200
    return render_page(request, "identity/enrol.html", {"form": form}, section="identity", status=status)


@custodian_required
@require_http_methods(["GET", "POST"])
def custodians(request: HttpRequest) -> HttpResponse:
    me = _own_custodian(request)
    if me is None:
        return redirect("identity:enrol")
    form = PassphraseForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                progress = services.reseal_all(services.unlock(me, form.cleaned_data["passphrase"]))
            except services.CustodyError as exc:
                form.add_error("passphrase", exc.message)
            else:
                messages.success(
                    request,
                    _("Re-sealed %(identities)d identities and %(originals)d original files.")
                    % {"identities": progress.identities, "originals": progress.originals},
                )
                return redirect("identity:custodians")
        status = 400
    context = {
        "custodians": Custodian.objects.select_related("user").order_by("enrolled_at"),
        "pending": services.pending_reseal_count(),
        "form": form,
        "me": me,
        "requests": RevealRequest.objects.filter(state=RevealRequest.State.PENDING).select_related(
            "case", "requested_by"
        ),
    }
    return render_page(request, "identity/custodians.html", context, section="identity", status=status)


@custodian_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    me = _own_custodian(request)
    target = get_object_or_404(Custodian, pk=pk)
    form = PassphraseForm(request.POST)
    if me is None or not form.is_valid():
        messages.error(request, _("Enter your passphrase to remove a custodian."))
        return redirect("identity:custodians")
    try:
        services.remove_custodian(
            target, actor=staff(request), private_key=services.unlock(me, form.cleaned_data["passphrase"])
        )
    except services.CustodyError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The custodian was removed and identities were re-sealed without them."))
    return redirect("identity:custodians")


@custodian_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    if _own_custodian(request) is None:
        return redirect("identity:enrol")
    found = RevealRequest.objects.select_related("case", "requested_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid() and found.state == RevealRequest.State.PENDING:
        try:
            reveal.decide_reveal(
                found,
                actor=staff(request),
                passphrase=form.cleaned_data["passphrase"],
                approve=form.cleaned_data["decision"] == "approve",
            )
        except services.CustodyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your decision was recorded."))
            return redirect("identity:custodians")
    context = {"reveal": found, "reason": reveal.read_reason(found), "form": form, "reveal_days": reveal.reveal_days()}
    status = 400 if form.errors else 200
    return render_page(request, "identity/decide.html", context, section="identity", status=status)


@investigator_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def case_identity(request: HttpRequest, number: str) -> HttpResponse:
    """The investigator's page for a case's sealed identity: ask, wait, or see it (audited)."""
    case = case_for(request, number)
    if case.identity_mode != IdentityMode.CONFIDENTIAL or case.identity is None:
        raise Http404
    user = staff(request)
    form = RevealRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reveal.request_reveal(case, actor=user, reason=form.cleaned_data["reason"])
        except services.CustodyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request was sent to the identity custodians."))
            return redirect("identity:case", number=case.number)
    identity = reveal.view_identity(case, actor=user)
    context = {
        "case": case,
        "identity": identity,
        "grant": services.active_grant(case, user) if identity else None,
        "pending": RevealRequest.objects.filter(
            case=case, requested_by=user, state=RevealRequest.State.PENDING
        ).exists(),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render_page(request, "identity/case.html", context, section="inbox", status=status)
