"""Walk-in, letter and phone reports typed in by an intake officer.

The same form and the same service as the public portal, with the channel the
report came through and the officer as the one who recorded it; the reporter
gets the same case number and access code, on a receipt printed for them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pakar.backoffice.access import intake_required, staff
from pakar.backoffice.pages import render_page
from pakar.cases import filetypes, services
from pakar.cases.files import StagedUpload
from pakar.cases.models import Channel
from pakar.public.forms import ReportForm
from pakar.vault import format_code

OFFICE_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]


class IntakeForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("How did the report reach us?"), choices=OFFICE_CHANNELS, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declaration"].label = _(
            "The reporter declared that the report is true and made in good faith, and was told that a false "
            "report can be prosecuted."
        )
        self.fields["consent"].label = _("The reporter agreed that their personal data is processed (UU 27/2022).")


def _context(form: IntakeForm) -> dict[str, Any]:
    return {
        "form": form,
        "staged": form.staged_files,
        "max_files": settings.PAKAR_MAX_FILES,
        "max_mb": settings.PAKAR_MAX_FILE_BYTES // (1024 * 1024),
        "allowed_types": filetypes.allowed_labels(),
        "accept": ",".join(sorted({t.extension for t in filetypes.ALLOWED.values()} | set(filetypes.ALLOWED))),
    }


@intake_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render_page(request, "backoffice/intake.html", _context(IntakeForm()), section="intake")
    form = IntakeForm(request.POST, request.FILES)
    if services.form_token_used(request.POST.get("form_token", "")):
        for upload in request.FILES.getlist("evidence"):
            if isinstance(upload, StagedUpload):
                upload.staged.discard()
        return render_page(request, "backoffice/intake_replayed.html", {}, section="intake", status=409)
    if not form.is_valid():
        return render_page(request, "backoffice/intake.html", _context(form), section="intake", status=400)
    data = form.cleaned_data
    report = services.ReportInput(
        reporter_type=data["reporter_type"],
        identity_mode=data["identity_mode"],
        identity=form.identity(),
        category=data["category"],
        unit=data["unit"],
        party={"name": data["party_name"], "nip": data["party_nip"], "position": data["party_position"]},
        content={key: data[key] for key in services.CONTENT_FIELDS},
        notice_email=data["notice_email"],
        channel=data["channel"],
        files=form.staged_files,
    )
    try:
        receipt = services.submit_report(report, form_token=data["form_token"], actor=staff(request))
    except services.ReplayedSubmissionError:
        return render_page(request, "backoffice/intake_replayed.html", {}, section="intake", status=409)
    # Shown once, as the answer to this POST: the code is not kept anywhere.
    context = {"case": receipt.case, "code": format_code(receipt.access_code)}
    return render_page(request, "backoffice/intake_receipt.html", context, section="intake")
