"""Forms of the reporter's side. They validate; services in pakar.cases write."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pakar.cases import files as case_files
from pakar.cases import filetypes, services
from pakar.cases.models import Category, Channel, IdentityMode, ReporterType
from pakar.org.models import Unit
from pakar.vault import normalise_code
from pakar.vault.scrub import MESSAGES as REFUSALS
from pakar.vault.scrub import RefusedFile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_UNREADABLE = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def readable_text(value: str) -> None:
    """Refuse text that arrived garbled (invalid UTF-8 becomes U+FFFD) or with control characters."""
    if _UNREADABLE.search(value or ""):
        raise ValidationError(
            _("The text contains characters that could not be read. Please retype it."), code="unreadable"
        )


def text_field(
    label: StrOrPromise, *, required: bool = True, long: bool = False, max_length: int = 200, **kw: Any
) -> forms.CharField:
    limit = settings.PAKAR_MAX_TEXT_CHARS if long else max_length
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        validators=[readable_text],
        widget=forms.Textarea(attrs={"rows": 5 if long else 2}) if long else forms.TextInput(),
        **kw,
    )


FILE_ERRORS = {
    "too_large": _("“%(name)s” is larger than %(limit)s MB."),
    "empty": _("“%(name)s” is empty."),
    "type": _("“%(name)s” is not an allowed file type. Allowed: %(types)s."),
    "damaged": _("“%(name)s” is damaged and cannot be opened. Please upload an intact copy."),
    "infected": _(
        "“%(name)s” was found to contain a virus. It has been set aside and will not be attached. "
        "Please check your device and send a clean copy."
    ),
    "scan_failed": _("“%(name)s” could not be checked for viruses just now. Please try again in a few minutes."),
    # Refusals of the metadata cleaner: the file's name, then RefusedFile.message.
    "refused": _("“%(name)s”: %(reason)s"),
}


def file_error(item: case_files.StagedFile) -> str:
    """The reporter-facing sentence for a refused file, naming it."""
    values = {
        "name": item.name,
        "limit": settings.PAKAR_MAX_FILE_BYTES // (1024 * 1024),
        "types": filetypes.allowed_labels(),
    }
    refusal = "too_large" if item.error == "too_large_to_check" else item.error
    if refusal in REFUSALS and item.error not in FILE_ERRORS:
        values["reason"] = RefusedFile(refusal, **item.error_params).message
        return str(FILE_ERRORS["refused"]) % values
    return str(FILE_ERRORS.get(item.error, FILE_ERRORS["damaged"])) % values


class EvidenceMixin:
    """Files a reporter attaches: new uploads plus those kept from an earlier attempt.

    Files from a submission that failed validation stay staged (encrypted) and
    are carried in the form as tokens, so nothing uploaded is ever lost.
    """

    files: MultiValueDict[str, Any]
    data: Mapping[str, Any]
    staged_files: list[case_files.StagedFile]

    def evidence_context(self) -> dict[str, Any]:
        """What the file part of the form (common/_files.html) shows."""
        return {
            "form": self,
            "staged": self.staged_files,
            "max_files": settings.PAKAR_MAX_FILES,
            "max_mb": settings.PAKAR_MAX_FILE_BYTES // (1024 * 1024),
            "allowed_types": filetypes.allowed_labels(),
            "accept": ",".join(sorted({t.extension for t in filetypes.ALLOWED.values()} | set(filetypes.ALLOWED))),
        }

    def forget_vanished_files(self) -> None:
        """A kept file left staging (it expired, or a double submission took it)
        between the form's checks and saving. The service put the other files
        back, so the form carries those again and asks for the missing one."""
        kept = []
        for staged in self.staged_files:
            if staged.path.exists():
                kept.append(staged)
            else:
                staged.discard()  # its metadata alone is of no use
        self.staged_files = kept
        cast(forms.Form, self).add_error(None, _("One of your files is no longer available. Please attach it again."))

    def discard_new_uploads(self) -> None:
        """Drop what this request uploaded (a replayed form: the first copy was filed)."""
        for upload in self.files.getlist("evidence"):
            if isinstance(upload, case_files.StagedUpload):
                upload.staged.discard()

    def collect_files(self) -> tuple[list[case_files.StagedFile], list[str]]:
        posted = cast(QueryDict, self.data)  # a bound form's data is the request's QueryDict
        removed = set(posted.getlist("remove_staged"))
        staged: list[case_files.StagedFile] = []
        for token in posted.getlist("staged"):
            if token in removed:
                continue
            found = case_files.load_staged(token)
            if found is not None and found.token not in {s.token for s in staged}:
                staged.append(found)
        for upload in self.files.getlist("evidence"):
            if isinstance(upload, case_files.StagedUpload):
                staged.append(upload.staged)
        errors: list[str] = []
        good: list[case_files.StagedFile] = []
        for item in staged:
            case_files.check_staged(item)
            if item.error:
                errors.append(file_error(item))
                item.discard()
            else:
                good.append(item)
        if len(good) > settings.PAKAR_MAX_FILES:
            errors.append(
                ngettext(
                    "At most %(count)d file can be attached.",
                    "At most %(count)d files can be attached.",
                    settings.PAKAR_MAX_FILES,
                )
                % {"count": settings.PAKAR_MAX_FILES}
            )
        return good, errors


class ReportForm(EvidenceMixin, forms.Form):
    reporter_type = forms.ChoiceField(
        label=_("You are"), choices=ReporterType.choices, widget=forms.RadioSelect, initial=ReporterType.PUBLIC
    )
    identity_mode = forms.ChoiceField(
        label=_("How should your identity be treated?"),
        choices=[
            (
                IdentityMode.CONFIDENTIAL,
                _("Confidential — I give my identity; it is sealed and only opened with a custodian's approval"),
            ),
            (IdentityMode.ANONYMOUS, _("Anonymous — I give no identity at all")),
            (IdentityMode.OPEN, _("Open — the handling team may see who I am")),
        ],
        widget=forms.RadioSelect,
        initial=IdentityMode.CONFIDENTIAL,
    )
    name = text_field(_("Full name"), required=False)
    nik = forms.CharField(
        label=_("National identity number (NIK)"),
        required=False,
        validators=[RegexValidator(r"^\d{16}$", _("A NIK has exactly 16 digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = text_field(_("Address"), required=False, max_length=500)
    occupation = text_field(_("Occupation"), required=False)
    phone = forms.CharField(
        label=_("Telephone / WhatsApp"),
        required=False,
        validators=[RegexValidator(r"^\+?[\d\s\-]{6,20}$", _("Enter a telephone number of digits only."))],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    identity_email = forms.EmailField(label=_("E-mail (part of your identity)"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that my personal data is processed to handle this report (UU 27/2022)."),
        required=False,
    )

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=None, widget=forms.RadioSelect
    )
    party_name = text_field(_("Name of the official reported"))
    party_nip = forms.CharField(
        label=_("NIP of the official (if known)"),
        required=False,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has exactly 18 digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    party_position = text_field(_("Position of the official"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit (OPD) where the official works"), queryset=Unit.objects.none(), empty_label=_("— choose a unit —")
    )

    title = text_field(_("Subject of the report"))
    what = text_field(_("What happened (chronology)"), long=True)
    where = text_field(_("Where did it happen?"), max_length=500)
    when = text_field(_("When did it happen?"))
    how = text_field(_("How did it happen?"), long=True)
    witnesses = text_field(_("Who else knows about it (witnesses)?"), required=False, long=True)
    why = text_field(_("Why do you think it happened? (optional)"), required=False, long=True)
    loss = text_field(_("Estimated loss, if any (optional)"), required=False)
    remedy = text_field(_("What do you ask for? (optional)"), required=False, long=True)

    declaration = forms.BooleanField(
        label=_(
            "I declare that this report is true and made in good faith, and I understand that a false report can be prosecuted."
        ),
        error_messages={"required": _("Please confirm the declaration before sending.")},
    )
    notice_email = forms.EmailField(
        label=_("E-mail for update notices (optional)"),
        required=False,
        help_text=_(
            "We only send “your report has an update” with no details. The server can read this address "
            "in order to send mail; handlers never see it."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Category]", self.fields["category"]).queryset = Category.objects.filter(
            is_active=True
        )
        cast("forms.ModelChoiceField[Unit]", self.fields["unit"]).queryset = Unit.objects.filter(is_active=True)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))
        self.staged_files: list[case_files.StagedFile] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("identity_mode")
        category = data.get("category")
        if mode in (IdentityMode.CONFIDENTIAL, IdentityMode.OPEN):
            if not data.get("name"):
                self.add_error("name", _("Give your name, or choose to report anonymously."))
            if not (data.get("phone") or data.get("identity_email") or data.get("address")):
                self.add_error("phone", _("Give at least one way to reach you: telephone, e-mail or address."))
            if not data.get("consent"):
                self.add_error("consent", _("Your consent is needed to process the identity you give."))
        if mode == IdentityMode.ANONYMOUS and category is not None and not category.anonymous_allowed:
            self.add_error(
                "identity_mode",
                _(
                    "Reports in the category “%(category)s” cannot be anonymous. Choose confidential: your identity stays sealed."
                )
                % {"category": category.name},
            )
        self.staged_files, file_errors = self.collect_files()
        for error in file_errors:
            self.add_error(None, error)
        if category is not None and category.evidence_required and not self.staged_files and not file_errors:
            self.add_error(None, _("Attach at least one supporting document for this category."))
        return data

    def to_input(self, *, channel: str = Channel.ONLINE) -> services.ReportInput:
        """The validated report, as the case service takes it."""
        data = self.cleaned_data
        return services.ReportInput(
            reporter_type=data["reporter_type"],
            identity_mode=data["identity_mode"],
            identity=self.identity(),
            category=data["category"],
            unit=data["unit"],
            party={"name": data["party_name"], "nip": data["party_nip"], "position": data["party_position"]},
            content={key: data[key] for key in services.CONTENT_FIELDS},
            notice_email=data["notice_email"],
            channel=channel,
            files=self.staged_files,
        )

    def identity(self) -> dict[str, str] | None:
        if self.cleaned_data["identity_mode"] == IdentityMode.ANONYMOUS:
            return None
        data = self.cleaned_data
        return {
            "name": data["name"],
            "nik": data["nik"],
            "address": data["address"],
            "occupation": data["occupation"],
            "phone": data["phone"],
            "email": data["identity_email"],
        }


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Access code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The 16 digits on your receipt. Spaces are fine."),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(_("An access code has exactly 16 digits."), code="format")
        return code


class ReplyForm(EvidenceMixin, forms.Form):
    text = text_field(_("Your message"), required=False, long=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staged_files: list[case_files.StagedFile] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.staged_files, file_errors = self.collect_files()
        for error in file_errors:
            self.add_error(None, error)
        if not file_errors and not data.get("text", "").strip() and not self.staged_files:
            self.add_error("text", _("Write a message or attach a file."))
        return data
