"""Finding audit entries and exporting them as CSV.

Who may search is decided by the views (inspector and administrator); these
functions only filter and format. Exporting is itself an audited event, so
views call :func:`export_entries`, which records it, rather than
:func:`csv_lines` directly.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pakar.audit.events import AuditEvent, event_label
from pakar.audit.models import AuditEntry
from pakar.audit.services import record

if TYPE_CHECKING:
    from pakar.accounts.models import User

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def search_entries(
    *,
    user: User | None = None,
    event: AuditEvent | None = None,
    case_number: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every given filter, newest first.

    ``since`` is inclusive and ``until`` exclusive; a plain date means the
    whole day in the server's time zone (so ``until=date`` includes that day).
    """
    entries = AuditEntry.objects.order_by("-sequence")
    if user is not None:
        entries = entries.filter(actor_id=user.pk)
    if event is not None:
        entries = entries.filter(event=int(AuditEvent(event)))
    if case_number:
        # Case numbers are stored upper case (PKR-2025-00001); exact keeps the index usable.
        entries = entries.filter(case_number=case_number.strip().upper())
    if since is not None:
        entries = entries.filter(at__gte=_moment(since, end_of_day=False))
    if until is not None:
        entries = entries.filter(at__lt=_moment(until, end_of_day=True))
    return entries


def _moment(value: datetime.date, *, end_of_day: bool) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    day = value + datetime.timedelta(days=1) if end_of_day else value
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _Line:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, text: str) -> str:
        return text


def csv_header() -> list[str]:
    return [
        _("Number"),
        _("Time"),
        _("Event code"),
        _("Event"),
        _("User id"),
        _("Username"),
        _("Case id"),
        _("Case number"),
        _("Details"),
        _("Previous digest"),
        _("Digest"),
    ]


def csv_lines(entries: QuerySet[AuditEntry], *, chunk_size: int = 2000) -> Iterator[str]:
    """The entries as CSV lines, read in chunks (constant memory for any size).

    Header and event names are translated now, in the caller's language, not
    later when a streaming response happens to be consumed.
    """
    header = csv_header()
    labels = {int(event): event.label for event in AuditEvent}
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=chunk_size):
            yield writer.writerow([_cell(value) for value in _csv_row(entry, labels)])

    return lines()


def _csv_row(entry: AuditEntry, labels: dict[int, str]) -> list[Any]:
    return [
        entry.sequence,
        timezone.localtime(entry.at).isoformat(),
        entry.event,
        labels.get(entry.event) or event_label(entry.event),
        entry.actor_id,
        entry.actor_username,
        entry.case_id,
        entry.case_number,
        json.dumps(entry.data, sort_keys=True, ensure_ascii=False),
        entry.prev_digest,
        entry.digest,
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def export_entries(
    *,
    actor: User,
    user: User | None = None,
    event: AuditEvent | None = None,
    case_number: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Iterator[str]:
    """Record the export (with its filters), then stream the matching entries as CSV."""
    filters = {
        "user_id": user.pk if user is not None else None,
        "event": int(event) if event is not None else None,
        "case_number": case_number or None,
        "since": since,
        "until": until,
    }
    record(AuditEvent.AUDIT_EXPORTED, actor=actor, data={"filters": filters})
    entries = search_entries(user=user, event=event, case_number=case_number, since=since, until=until)
    return csv_lines(entries)
