"""Units (OPD) of the local government and the inspectorate's teams."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A government unit (Organisasi Perangkat Daerah) a reported official works in."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit (OPD)")
        verbose_name_plural = _("units (OPD)")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of the inspectorate, e.g. Inspektur Pembantu I."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="teams", verbose_name=_("units covered"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
