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


# No further move is possible from these (a referred case is still tracked until closed).
TERMINAL_STATUSES = frozenset({Status.REJECTED, Status.CLOSED, Status.MERGED})

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


class DeadlineClass(models.TextChoices):
    """The handling period chosen at assessment; the days come from the deadline settings."""

    INFORMATION = "information", _("Information request (5 working days)")
    COMPLAINT = "complaint", _("Complaint without oversight content (14 working days)")
    OVERSIGHT = "oversight", _("Oversight matter needing audit or investigation (60 working days)")


class RejectionReason(models.TextChoices):
    TOO_GENERAL = "too_general", _("Too general: who, what, where or when is missing")
    NOT_OFFICIALS = "not_officials", _("Not about government officials or services")
    NO_EVIDENCE = "no_evidence", _("No supporting evidence")
    DUPLICATE = "duplicate", _("Already reported and handled")
    ALREADY_IN_COURT = "in_court", _("Already before a court or law enforcement")
    LAPSED = "lapsed", _("The information asked for was not given in time")
    OTHER = "other", _("Other reason")


class ReferralTarget(models.TextChoices):
    KPK = "kpk", _("Corruption Eradication Commission (KPK)")
    LAW_ENFORCEMENT = "police", _("Police or public prosecutor")
    BKN = "bkn", _("National Civil Service Agency (BKN)")
    OMBUDSMAN = "ombudsman", _("Ombudsman of the Republic of Indonesia")
    OTHER_UNIT = "other_unit", _("Another government unit (OPD) or agency")


class Outcome(models.TextChoices):
    PROVEN = "proven", _("Proven")
    NOT_PROVEN = "not_proven", _("Not proven")
    PARTLY = "partly", _("Partly proven")


class SanctionClass(models.TextChoices):
    """Recommended discipline class per PP 94/2021 art. 8."""

    NONE = "none", _("No sanction")
    LIGHT = "light", _("Light: oral or written reprimand, written statement of dissatisfaction")
    # xgettext:no-python-format
    MEDIUM = "medium", _("Medium: performance allowance cut of 25% for 6, 9 or 12 months")
    HEAVY = "heavy", _("Heavy: demotion, non-managerial post, or dismissal")


class ActorKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("PAKAR (automatic)")
    REPORTER = "reporter", _("Reporter")
