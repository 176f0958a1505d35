"""Forms of the consultation track. They validate; services write."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from pakar.cases.models import Category, IdentityMode, ReporterType
from pakar.consultations.models import Consultation, Topic
from pakar.org.models import Unit
from pakar.public.forms import readable_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def text_field(
    label: StrOrPromise, *, required: bool = True, long: bool = False, max_length: int = 200, **kw: Any
) -> forms.CharField:
    """Text that must arrive readable; long text is capped by ``PAKAR_MAX_TEXT_CHARS``."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=settings.PAKAR_MAX_TEXT_CHARS if long else max_length,
        validators=[readable_text],
        widget=forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput(),
        **kw,
    )


_PHONE = RegexValidator(r"^\+?[\d\s\-]{6,20}$", _("Enter a telephone number of digits only."))


def _new_token(form: forms.Form) -> None:
    if not form.is_bound:
        form.initial.setdefault("form_token", secrets.token_urlsafe(24))


class QuestionForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.filter(is_active=True), empty_label=None, widget=forms.RadioSelect
    )
    asker_type = forms.ChoiceField(
        label=_("You are"), choices=ReporterType.choices, widget=forms.RadioSelect, initial=ReporterType.PUBLIC
    )
    subject = text_field(_("Subject of your question"))
    question = text_field(
        _("Your question"),
        long=True,
        help_text=_("Describe the situation in general terms. You do not need to name anyone to ask a question."),
    )
    name = text_field(_("Your name (optional)"), required=False)
    institution = text_field(_("Your institution or position (optional)"), required=False)
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        required=False,
        validators=[_PHONE],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the personal data I give is processed to answer my question (UU 27/2022)."),
        required=False,
    )
    notice_email = forms.EmailField(
        label=_("E-mail for update notices (optional)"),
        required=False,
        help_text=_(
            "We only send “your consultation has an update” with no details. The server can read this address "
            "in order to send mail; consultation officers never see it."
        ),
    )
    publish_consent = forms.BooleanField(
        label=_(
            "The inspectorate may publish my question and its answer in the public FAQ, rewritten "
            "so that nobody can be identified."
        ),
        required=False,
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_token(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        gave_identity = any(data.get(k) for k in ("name", "institution", "phone"))
        if gave_identity and not data.get("consent"):
            self.add_error("consent", _("Your consent is needed to process the personal data you give."))
        return data

    def identity(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in ("name", "institution", "phone")}


class AskerReplyForm(forms.Form):
    text = text_field(_("Your message"), long=True)


class ConversionConsentForm(forms.Form):
    """The asker agrees to turn the consultation into a report, on the follow-up page."""

    identity_mode = forms.ChoiceField(
        label=_("How should your identity be treated in the report?"),
        choices=[
            (
                IdentityMode.CONFIDENTIAL,
                _("Confidential — I give my identity; it is sealed and only opened with a custodian's approval"),
            ),
            (IdentityMode.ANONYMOUS, _("Anonymous — I give no identity at all")),
        ],
        widget=forms.RadioSelect,
        initial=IdentityMode.CONFIDENTIAL,
    )
    name = text_field(_("Full name"), required=False)
    phone = forms.CharField(
        label=_("Telephone / WhatsApp"),
        required=False,
        validators=[_PHONE],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail (part of your identity)"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that my personal data is processed to handle this report (UU 27/2022)."), required=False
    )
    declaration = forms.BooleanField(
        label=_(
            "I declare that this report is true and made in good faith, and I understand that a false report can be prosecuted."
        ),
        error_messages={"required": _("Please confirm the declaration before sending.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        _new_token(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("identity_mode")
        category = self.consultation.proposed_category
        if mode == IdentityMode.ANONYMOUS and category is not None and not category.anonymous_allowed:
            self.add_error(
                "identity_mode",
                _(
                    "Reports in the category “%(category)s” cannot be anonymous. Choose confidential: your identity stays sealed."
                )
                % {"category": category.name},
            )
        if mode == IdentityMode.CONFIDENTIAL:
            if not data.get("name"):
                self.add_error("name", _("Give your name, or choose to report anonymously."))
            if not (data.get("phone") or data.get("email")):
                self.add_error("phone", _("Give at least one way to reach you: telephone or e-mail."))
            if not data.get("consent"):
                self.add_error("consent", _("Your consent is needed to process the identity you give."))
        return data

    def identity(self) -> dict[str, str]:
        data = self.cleaned_data
        return {"name": data["name"], "phone": data["phone"], "email": data["email"]}


# --- officers -----------------------------------------------------------------------


class AnswerForm(forms.Form):
    text = text_field(_("Answer to the asker"), long=True)


class ProposeReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category of the report"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("— choose a category —"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (OPD) concerned"),
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("— choose a unit —"),
    )
    party_name = text_field(_("Name of the official, if the asker gave it"), required=False)
    party_position = text_field(_("Position of the official"), required=False)
    explanation = text_field(
        _("Explanation to the asker"),
        long=True,
        help_text=_(
            "Explain why this looks like a report and what happens if they agree. They decide on their follow-up page."
        ),
    )


class TopicForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Topic
        fields = ["code", "name_id", "name_en", "description_id", "description_en", "is_active", "position"]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_LONG_NUMBER = re.compile(r"\d(?:[\s.\-]?\d){7,}")
_SPACES = re.compile(r"\s+")


def _normalised(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


class FaqForm(forms.Form):
    """An officer's rewritten question and answer. Text that still carries personal
    details, or that is the asker's original wording, is refused."""

    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.filter(is_active=True), empty_label=_("— choose a topic —")
    )
    question = text_field(_("Question, rewritten in general terms"), long=True)
    answer = text_field(_("Answer"), long=True)

    def __init__(self, *args: Any, source: Consultation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("question", "answer"):
            text = data.get(name) or ""
            if _EMAIL.search(text) or _LONG_NUMBER.search(text):
                self.add_error(
                    name, _("Remove e-mail addresses and long numbers (NIK, NIP, telephone) before publishing.")
                )
            for detail in self._source_details():
                if detail and _normalised(detail) in _normalised(text):
                    self.add_error(name, _("Remove the asker's name and the consultation number before publishing."))
                    break
        if self.source is not None and data.get("question"):
            original = self.source.read_content().get("question", "")
            if _normalised(original) == _normalised(data["question"]):
                raise ValidationError(
                    _("Rewrite the question in general terms: the asker's original text is not published.")
                )
        return data

    def _source_details(self) -> list[str]:
        if self.source is None:
            return []
        identity = self.source.read_identity()
        return [self.source.number, *(v for v in (identity.get("name"), identity.get("phone")) if v and len(v) >= 3)]
