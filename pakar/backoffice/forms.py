"""Forms of the case page. They validate input; pakar.cases services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import User
from pakar.cases.models import DeadlineClass, Outcome, ReferralTarget, RejectionReason, SanctionClass
from pakar.cases.workflow import Move
from pakar.org.models import Team


def long_text(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=settings.PAKAR_MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class VersionedForm(forms.Form):
    """Carries the case version the page was showing, so a change made meanwhile is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _move_field(name: str) -> forms.Field:
    fields: dict[str, forms.Field] = {
        "question": long_text(
            _("Question for the reporter"), help_text=_("The reporter reads this on the follow-up page.")
        ),
        "reason": forms.ChoiceField(
            label=_("Reason"),
            choices=[c for c in RejectionReason.choices if c[0] != RejectionReason.LAPSED],
            widget=forms.RadioSelect,
        ),
        "explanation": long_text(
            _("Explanation for the reporter"), help_text=_("The reporter reads this on the follow-up page.")
        ),
        "referral_target": forms.ChoiceField(
            label=_("Referred to"), choices=ReferralTarget.choices, widget=forms.RadioSelect
        ),
        "letter_number": forms.CharField(label=_("Number of the referral letter"), max_length=80),
        "destination": forms.CharField(
            label=_("Receiving office"),
            max_length=200,
            required=False,
            help_text=_("Required when referring to another unit or agency."),
        ),
        "deadline_class": forms.ChoiceField(
            label=_("Deadline class"), choices=DeadlineClass.choices, widget=forms.RadioSelect
        ),
        "merge_into": forms.CharField(
            label=_("Number of the main case"), max_length=20, help_text=_("For example PKR-2026-00042.")
        ),
        "comment": long_text(_("Comment (internal)")),
    }
    return fields[name]


class MoveForm(VersionedForm):
    """The data one workflow move requires, built from the transition table."""

    def __init__(self, move: Move, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"move-{move.target}")
        super().__init__(*args, **kwargs)
        self.move = move
        for name in move.fields:
            field = _move_field(name)
            field.required = name in move.required
            self.fields[name] = field


class NoteForm(VersionedForm):
    text = long_text(_("Internal note"), help_text=_("Only staff see notes; the reporter never does."))
    prefix = "note"


class MessageForm(VersionedForm):
    text = long_text(_("Message to the reporter"), help_text=_("The reporter reads this on the follow-up page."))
    prefix = "message"


class AssignForm(VersionedForm):
    prefix = "assign"
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    officer = forms.ChoiceField(label=_("Investigator"), required=False)

    def __init__(self, *args: Any, officers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {str(u.pk): u for u in officers}
        field = self.fields["officer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— nobody —"))] + [
            (pk, f"{u} ({u.team})" if u.team else str(u)) for pk, u in self.officers.items()
        ]

    def chosen_officer(self) -> User | None:
        return self.officers.get(self.cleaned_data.get("officer") or "")


class ProposalForm(VersionedForm):
    prefix = "proposal"
    findings = long_text(_("Findings (internal)"))
    outcome = forms.ChoiceField(label=_("Result"), choices=Outcome.choices, widget=forms.RadioSelect)
    sanction = forms.ChoiceField(
        label=_("Recommended sanction (PP 94/2021)"), choices=SanctionClass.choices, widget=forms.RadioSelect
    )
    summary = long_text(
        _("What the reporter is told"), help_text=_("Shown on the follow-up page once the inspector approves.")
    )


class ReturnForm(VersionedForm):
    prefix = "return"
    comment = long_text(_("What needs more work"))


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest in this case?"),
        choices=[
            ("no", _("No: I have no personal, family, financial or work tie to the people involved")),
            ("yes", _("Yes: I have such a tie, and will not handle this case")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("The tie, briefly (optional, only if yes)"), required=False, max_length=500, widget=forms.TextInput
    )
