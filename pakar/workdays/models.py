"""The working-day calendar's local changes and the configurable deadlines.

National holidays come from the ``holidays`` package; only what an
administrator changes is stored: an extra day off (cuti bersama, a local
holiday) or a day that is worked although the package calls it a holiday.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Tick when the office works on this date although it is normally a holiday."),
        default=False,
    )
    name = models.CharField(_("description"), max_length=150)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class DeadlineSettings(models.Model):
    """One row (pk=1) holding every period the workflow uses, editable by an administrator.

    Defaults come from domain-rules.md.
    """

    verification_days = models.PositiveSmallIntegerField(_("administrative verification (working days)"), default=3)
    information_days = models.PositiveSmallIntegerField(_("information request (working days)"), default=5)
    complaint_days = models.PositiveSmallIntegerField(
        _("complaint without oversight content (working days)"), default=14
    )
    oversight_days = models.PositiveSmallIntegerField(
        _("oversight matter needing audit or investigation (working days)"), default=60
    )
    needs_info_wait_days = models.PositiveSmallIntegerField(
        _("wait for the reporter's answer before the report lapses (working days)"), default=10
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close after conclusion when the reporter does not respond (working days)"), default=10
    )
    monitoring_days = models.PositiveSmallIntegerField(
        _("monitoring of the recommendation's follow-up (working days)"), default=60
    )
    warning_percent = models.PositiveSmallIntegerField(_("warn when this share of a period has passed (%)"), default=80)
    include_cuti_bersama = models.BooleanField(
        _("count the national cuti bersama days as holidays"),
        default=True,
        help_text=_("The joint leave days the government announces each year, as known to PAKAR's holiday list."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("deadline settings")
        verbose_name_plural = _("deadline settings")

    def __str__(self) -> str:
        return "deadline settings"

    @classmethod
    def current(cls) -> DeadlineSettings:
        found, _created = cls.objects.get_or_create(pk=1)
        return found

    def class_days(self, deadline_class: str) -> int:
        """Working days for a deadline class chosen at assessment (``cases.DeadlineClass``)."""
        days: dict[str, int] = {
            "information": self.information_days,
            "complaint": self.complaint_days,
            "oversight": self.oversight_days,
        }
        return days[deadline_class]
