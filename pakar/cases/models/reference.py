"""Categories of report, bilingual and editable by an administrator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar.common.models import BilingualReference


class Severity(models.TextChoices):
    NONE = "", _("Not applicable")
    LIGHT = "light", _("Light")
    MEDIUM = "medium", _("Medium")
    HEAVY = "heavy", _("Heavy")


class Category(BilingualReference):
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True, default="")
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    anonymous_allowed = models.BooleanField(_("anonymous reports allowed"), default=True)

    class Meta(BilingualReference.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
