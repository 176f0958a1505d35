"""The vocabulary of a case: statuses, channels, reporter types, identity modes."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFICATION = "verification", _("Administrative verification")
    NEEDS_INFO = "needs_info", _("Needs more information")
    REFERRED = "referred", _("Referred to another authority")
    REJECTED = "rejected", _("Cannot be followed up")
    ASSESSMENT = "assessment", _("Assessment")
    CLARIFICATION = "clarification", _("Clarification")
    INVESTIGATION = "investigation", _("Investigation")
    CONCLUDED = "concluded", _("Concluded")
    FOLLOW_UP = "follow_up", _("Monitoring of the recommendation")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Objection — reopened")
    MERGED = "merged", _("Merged into another case")

    @property
    def public_label(self) -> Promise:
        """The plain-language label a reporter sees on the follow-up page."""
        return PUBLIC_LABELS[self]


PUBLIC_LABELS: dict[Status, Promise] = {
    Status.RECEIVED: _("Your report has been received"),
    Status.VERIFICATION: _("Your report is being checked for completeness"),
    Status.NEEDS_INFO: _("We need more information from you"),
    Status.REFERRED: _("Referred to the competent authority"),
    Status.REJECTED: _("Your report cannot be followed up"),
    Status.ASSESSMENT: _("Your report is being assessed"),
    Status.CLARIFICATION: _("Clarification with the parties concerned"),
    Status.INVESTIGATION: _("Under investigation"),
    Status.CONCLUDED: _("Handling concluded"),
    Status.FOLLOW_UP: _("The recommendation's follow-up is being monitored"),
    Status.CLOSED: _("Closed"),
    Status.REOPENED: _("Reopened after your objection"),
    Status.MERGED: _("Merged with another report on the same matter"),
}


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("Walk-in at the office")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")


class ReporterType(models.TextChoices):
    PUBLIC = "public", _("Member of the public")
    ASN = "asn", _("Civil servant (ASN)")


class IdentityMode(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential")
    ANONYMOUS = "anonymous", _("Anonymous")
    OPEN = "open", _("Open")
