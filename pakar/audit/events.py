"""Audit event types and their display strings.

Codes are stored in the log and hashed into its chain: never renumber or reuse
one. Add new events at the end of their range. The hundreds digit is the area
(1xx cases, 2xx identity reveal, 3xx sign-in, 4xx exports, 5xx administration,
6xx system).
"""

from __future__ import annotations

from enum import IntEnum

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditArea(IntEnum):
    CASE = 1
    IDENTITY = 2
    AUTHENTICATION = 3
    EXPORT = 4
    ADMINISTRATION = 5
    SYSTEM = 6

    @property
    def label(self) -> str:
        return str(AREA_LABELS[self])


class AuditEvent(IntEnum):
    # 1xx: work on a case
    CASE_VIEWED = 101
    CASE_CREATED = 102
    CASE_CHANGED = 103
    CASE_STATUS_CHANGED = 104
    CASE_ASSIGNED = 105
    CASE_UNASSIGNED = 106
    CASE_TRANSFERRED = 107
    MESSAGE_SENT_TO_REPORTER = 108
    MESSAGE_RECEIVED_FROM_REPORTER = 109
    NOTE_ADDED = 110
    CONFLICT_DECLARED = 111
    EVIDENCE_ADDED = 112
    EVIDENCE_DOWNLOADED = 113
    DEADLINE_CHANGED = 114

    # 2xx: the steps of revealing a reporter's identity
    IDENTITY_REVEAL_REQUESTED = 201
    IDENTITY_REVEAL_APPROVED = 202
    IDENTITY_REVEAL_REFUSED = 203
    IDENTITY_REVEAL_WITHDRAWN = 204
    IDENTITY_REVEALED = 205

    # 3xx: staff sign-in and account security
    LOGIN_SUCCEEDED = 301
    LOGIN_FAILED = 302
    LOGGED_OUT = 303
    REAUTHENTICATED = 304
    REAUTHENTICATION_FAILED = 305
    LOGIN_THROTTLED = 306
    PASSWORD_CHANGED = 307
    TWO_FACTOR_ENROLLED = 308
    TWO_FACTOR_RESET = 309
    BACKUP_CODES_GENERATED = 310
    BACKUP_CODE_USED = 311

    # 4xx: data leaving the system
    CASES_EXPORTED = 401
    STATISTICS_EXPORTED = 402
    AUDIT_EXPORTED = 403
    CASE_FILE_EXPORTED = 404

    # 5xx: administration
    USER_CREATED = 501
    USER_CHANGED = 502
    USER_DEACTIVATED = 503
    USER_REACTIVATED = 504
    ROLE_GRANTED = 505
    ROLE_REVOKED = 506
    CATEGORY_CREATED = 507
    CATEGORY_CHANGED = 508
    UNIT_CREATED = 509
    UNIT_CHANGED = 510
    TEAM_CHANGED = 511
    CALENDAR_CHANGED = 512
    SETTINGS_CHANGED = 513

    # 6xx: the system itself
    INSTANCE_KEY_ROTATED = 601
    CASE_PURGED = 602
    STAGED_UPLOADS_PURGED = 603
    AUDIT_HEAD_PUBLISHED = 604

    @property
    def area(self) -> AuditArea:
        return AuditArea(self.value // 100)

    @property
    def label(self) -> str:
        return str(EVENT_LABELS[self])


AREA_LABELS: dict[AuditArea, Promise] = {
    AuditArea.CASE: _("Cases"),
    AuditArea.IDENTITY: _("Identity reveal"),
    AuditArea.AUTHENTICATION: _("Sign-in and account security"),
    AuditArea.EXPORT: _("Exports"),
    AuditArea.ADMINISTRATION: _("Administration"),
    AuditArea.SYSTEM: _("System"),
}

# The one place that says how an event reads on screen and in exports.
EVENT_LABELS: dict[AuditEvent, Promise] = {
    AuditEvent.CASE_VIEWED: _("Case viewed"),
    AuditEvent.CASE_CREATED: _("Case recorded"),
    AuditEvent.CASE_CHANGED: _("Case details changed"),
    AuditEvent.CASE_STATUS_CHANGED: _("Case status changed"),
    AuditEvent.CASE_ASSIGNED: _("Case assigned"),
    AuditEvent.CASE_UNASSIGNED: _("Case assignment removed"),
    AuditEvent.CASE_TRANSFERRED: _("Case transferred to another team"),
    AuditEvent.MESSAGE_SENT_TO_REPORTER: _("Message sent to the reporter"),
    AuditEvent.MESSAGE_RECEIVED_FROM_REPORTER: _("Message received from the reporter"),
    AuditEvent.NOTE_ADDED: _("Internal note added"),
    AuditEvent.CONFLICT_DECLARED: _("Conflict of interest declared"),
    AuditEvent.EVIDENCE_ADDED: _("Evidence added"),
    AuditEvent.EVIDENCE_DOWNLOADED: _("Evidence downloaded"),
    AuditEvent.DEADLINE_CHANGED: _("Deadline changed"),
    AuditEvent.IDENTITY_REVEAL_REQUESTED: _("Identity reveal requested"),
    AuditEvent.IDENTITY_REVEAL_APPROVED: _("Identity reveal approved"),
    AuditEvent.IDENTITY_REVEAL_REFUSED: _("Identity reveal refused"),
    AuditEvent.IDENTITY_REVEAL_WITHDRAWN: _("Identity reveal request withdrawn"),
    AuditEvent.IDENTITY_REVEALED: _("Reporter's identity shown"),
    AuditEvent.LOGIN_SUCCEEDED: _("Signed in"),
    AuditEvent.LOGIN_FAILED: _("Sign-in failed"),
    AuditEvent.LOGGED_OUT: _("Signed out"),
    AuditEvent.REAUTHENTICATED: _("Identity confirmed again"),
    AuditEvent.REAUTHENTICATION_FAILED: _("Confirming identity again failed"),
    AuditEvent.LOGIN_THROTTLED: _("Sign-in attempts paused after too many failures"),
    AuditEvent.PASSWORD_CHANGED: _("Password changed"),
    AuditEvent.TWO_FACTOR_ENROLLED: _("Two-factor authentication set up"),
    AuditEvent.TWO_FACTOR_RESET: _("Two-factor authentication reset"),
    AuditEvent.BACKUP_CODES_GENERATED: _("Backup codes generated"),
    AuditEvent.BACKUP_CODE_USED: _("Backup code used"),
    AuditEvent.CASES_EXPORTED: _("Cases exported"),
    AuditEvent.STATISTICS_EXPORTED: _("Statistics exported"),
    AuditEvent.AUDIT_EXPORTED: _("Audit log exported"),
    AuditEvent.CASE_FILE_EXPORTED: _("Case file exported"),
    AuditEvent.USER_CREATED: _("Staff account created"),
    AuditEvent.USER_CHANGED: _("Staff account changed"),
    AuditEvent.USER_DEACTIVATED: _("Staff account deactivated"),
    AuditEvent.USER_REACTIVATED: _("Staff account reactivated"),
    AuditEvent.ROLE_GRANTED: _("Role granted"),
    AuditEvent.ROLE_REVOKED: _("Role revoked"),
    AuditEvent.CATEGORY_CREATED: _("Category created"),
    AuditEvent.CATEGORY_CHANGED: _("Category changed"),
    AuditEvent.UNIT_CREATED: _("Unit created"),
    AuditEvent.UNIT_CHANGED: _("Unit changed"),
    AuditEvent.TEAM_CHANGED: _("Team changed"),
    AuditEvent.CALENDAR_CHANGED: _("Working-day calendar changed"),
    AuditEvent.SETTINGS_CHANGED: _("Settings changed"),
    AuditEvent.INSTANCE_KEY_ROTATED: _("Instance key rotated"),
    AuditEvent.CASE_PURGED: _("Case purged"),
    AuditEvent.STAGED_UPLOADS_PURGED: _("Unfinished uploads purged"),
    AuditEvent.AUDIT_HEAD_PUBLISHED: _("Audit log head published"),
}


def event_label(code: int) -> str:
    """The display string for a stored event code, even one this version no longer knows."""
    try:
        return AuditEvent(code).label
    except ValueError:
        return gettext("Unknown event (%(code)s)") % {"code": code}
