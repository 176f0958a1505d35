"""Walk-in, letter and phone reports typed in by an intake officer.

The same form and the same service as the public portal, with the channel the
report came through and the officer as the one who recorded it; the reporter
gets the same case number and access code, on a receipt printed for them.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pakar.backoffice.access import intake_required, staff
from pakar.backoffice.pages import render_page
from pakar.cases import services
from pakar.cases.models import Channel, IdentityMode
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
        # The officer types in someone else's report: the labels speak of the reporter.
        self.fields["reporter_type"].label = _("The reporter is")
        self.fields["identity_mode"].label = _("How does the reporter want their identity treated?")
        cast(forms.ChoiceField, self.fields["identity_mode"]).choices = [
            (
                IdentityMode.CONFIDENTIAL,
                _(
                    "Confidential — the reporter gives their identity; it is sealed and opened only with a custodian's approval"
                ),
            ),
            (IdentityMode.ANONYMOUS, _("Anonymous — the reporter gives no identity at all")),
            (IdentityMode.OPEN, _("Open — the handling team may see who the reporter is")),
        ]
        self.fields["name"].label = _("Reporter's full name")
        self.fields["identity_email"].label = _("Reporter's e-mail (part of their identity)")
        self.fields["notice_email"].label = _("Reporter's e-mail for update notices (optional)")
        self.fields["notice_email"].help_text = _(
            "Only “your report has an update” is sent, with no details. Handlers never see this address."
        )


@intake_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render_page(request, "backoffice/intake.html", IntakeForm().evidence_context(), section="intake")
    form = IntakeForm(request.POST, request.FILES)
    if services.form_token_used(request.POST.get("form_token", "")):
        form.discard_new_uploads()
        return render_page(request, "backoffice/intake_replayed.html", {}, section="intake", status=409)
    if not form.is_valid():
        return render_page(request, "backoffice/intake.html", form.evidence_context(), section="intake", status=400)
    try:
        receipt = services.submit_report(
            form.to_input(channel=form.cleaned_data["channel"]),
            form_token=form.cleaned_data["form_token"],
            actor=staff(request),
        )
    except services.ReplayedSubmissionError:
        return render_page(request, "backoffice/intake_replayed.html", {}, section="intake", status=409)
    except FileNotFoundError:
        form.forget_vanished_files()
        return render_page(request, "backoffice/intake.html", form.evidence_context(), section="intake", status=400)
    # Shown once, as the answer to this POST: the code is not kept anywhere.
    context = {"case": receipt.case, "code": format_code(receipt.access_code)}
    return render_page(request, "backoffice/intake_receipt.html", context, section="intake")
