"""Forms of identity custody. They validate; pakar.identity services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MIN_PASSPHRASE = 12


def passphrase_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, strip=False, max_length=200, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class EnrolForm(forms.Form):
    passphrase = passphrase_field(_("Custodian passphrase"))
    again = passphrase_field(_("The passphrase again"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        passphrase = data.get("passphrase") or ""
        if passphrase and len(passphrase) < MIN_PASSPHRASE:
            self.add_error("passphrase", _("Use at least %(count)d characters.") % {"count": MIN_PASSPHRASE})
        elif passphrase and data.get("again") != passphrase:
            self.add_error("again", _("The two passphrases differ."))
        return data


class PassphraseForm(forms.Form):
    passphrase = passphrase_field(_("Your custodian passphrase"))


class DecisionForm(PassphraseForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: the investigator may see the identity")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )


class RevealRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the reporter's identity needed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A custodian reads this before deciding. It is kept with the case and audited."),
    )
