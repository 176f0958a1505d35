"""Forms of the administration pages; they validate, services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import Role, User
from pakar.cases.models import Category
from pakar.org.models import Team, Unit
from pakar.workdays.models import DeadlineSettings
from pakar.workdays.services import SETTING_FIELDS


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$", help_text=_("Letters, digits and . @ + - _ only.")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("— no team —")
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("At least 12 characters. Leave empty to keep the current password."),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("At least 12 characters.")

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"])
        if self.user is None and User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This username is taken."))
        return name


class UnitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Unit
        fields = ["name", "short_name", "is_active"]


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["name", "units"]
        widgets = {"units": forms.CheckboxSelectMultiple}


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = [
            "code",
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "severity",
            "evidence_required",
            "anonymous_allowed",
            "is_active",
            "position",
        ]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("This day is"),
        choices=[("off", _("A day off (cuti bersama, local holiday)")), ("work", _("A working day after all"))],
        coerce=lambda value: value == "work",
        widget=forms.RadioSelect,
        initial="off",
    )
    name = forms.CharField(label=_("Description"), max_length=150)

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return day


class DeadlineSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DeadlineSettings
        fields = list(SETTING_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in SETTING_FIELDS:
            value = data.get(name)
            if name != "include_cuti_bersama" and isinstance(value, int):
                if name == "warning_percent" and not 1 <= value <= 99:
                    self.add_error(name, _("Choose a share between 1 and 99%."))
                elif name != "warning_percent" and not 1 <= value <= 365:
                    self.add_error(name, _("Choose between 1 and 365 days."))
        return data
