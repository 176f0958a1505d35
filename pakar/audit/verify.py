"""Checking the chain and naming the first entry that was tampered with.

The walk reads the table in sequence order, a batch at a time (keyset on the
primary key: constant memory however long the log). For each entry it checks
that the number follows the previous one, that the digest matches the
contents, and that the entry names the previous entry's digest. When a check
fails it looks a little further to say what happened:

- a number missing: deleted;
- contents not matching the digest while the link is right: edited in place,
  unless the next entry skips over it (it links to the entry before), which
  means it was inserted;
- a link naming another entry in the log: reordered;
- a link naming nothing, but the digest matches under a later number: earlier
  entries deleted and the rest renumbered;
- a link naming nothing and a valid digest: inserted (forged with the key).

Deleting entries from the end leaves a valid, shorter chain: only a head
published earlier shows it (``expect_head``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from django.utils.translation import gettext as _

from pakar.audit.chain import GENESIS, ChainFields, Hasher
from pakar.audit.models import CHAIN_COLUMNS, AuditEntry
from pakar.audit.services import Head

# How far ahead to look for the number an entry was written under, when the
# entries before it were deleted and the rest renumbered.
RENUMBER_SEARCH = 64
_HEAD_PATTERN = re.compile(r"^(?:(?P<sequence>\d+):)?(?P<digest>[0-9a-f]{64})$")


class Tampering(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"


@dataclass(frozen=True)
class Problem:
    kind: Tampering
    sequence: int
    message: str


@dataclass(frozen=True)
class PublishedHead:
    sequence: int | None
    digest: str


@dataclass(frozen=True)
class Verification:
    entries: int
    head: Head
    problem: Problem | None = None
    published_at: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Row(NamedTuple):
    fields: ChainFields
    digest: str


def parse_head(text: str) -> PublishedHead:
    """A published head, as ``SEQUENCE:DIGEST`` (what ``head()`` prints) or a bare digest."""
    match = _HEAD_PATTERN.match(text.strip().lower())
    if match is None:
        raise ValueError(_("A head is 64 hexadecimal characters, optionally preceded by its number and a colon."))
    sequence = match.group("sequence")
    return PublishedHead(int(sequence) if sequence is not None else None, match.group("digest"))


def verify_chain(*, expect_head: PublishedHead | None = None, batch_size: int = 5000) -> Verification:
    """Walk the whole chain; stop at the first problem. The core of ``manage.py verify_audit``."""
    hasher = Hasher()
    previous = Head(0, GENESIS)
    count = 0
    published_at = 0 if expect_head is not None and expect_head.digest == GENESIS else None
    for batch in _batches(batch_size):
        for index, row in enumerate(batch):
            problem = _check(row, previous, hasher, partial(_successor, batch, index))
            if problem is not None:
                return Verification(count, previous, problem)
            if expect_head is not None and row.digest == expect_head.digest:
                published_at = row.fields.sequence
            previous = Head(row.fields.sequence, row.digest, row.fields.at)
            count += 1
    problem = _check_published(expect_head, published_at, previous) if expect_head is not None else None
    return Verification(count, previous, problem, published_at)


def _batches(size: int) -> Iterator[list[_Row]]:
    after: int | None = None
    while True:
        rows = _rows_after(after, size)
        if not rows:
            return
        yield rows
        after = rows[-1].fields.sequence


def _rows_after(sequence: int | None, limit: int) -> list[_Row]:
    entries = AuditEntry.objects.order_by("sequence")
    if sequence is not None:
        entries = entries.filter(sequence__gt=sequence)
    values = entries.values_list(*CHAIN_COLUMNS, "digest")[:limit]
    return [_Row(ChainFields(*row[:-1]), row[-1]) for row in values]


def _successor(batch: list[_Row], index: int) -> _Row | None:
    if index + 1 < len(batch):
        return batch[index + 1]
    following = _rows_after(batch[index].fields.sequence, 1)
    return following[0] if following else None


def _check(row: _Row, previous: Head, hasher: Hasher, successor: Callable[[], _Row | None]) -> Problem | None:
    sequence, expected = row.fields.sequence, previous.sequence + 1
    if sequence > expected:
        return _missing(expected, sequence - 1)
    if sequence < expected:
        message = _("Entry #%(n)s was inserted: numbers start at 1 and only go up.") % {"n": sequence}
        return Problem(Tampering.INSERTED, sequence, message)
    content_ok = hasher.digest(row.fields) == row.digest
    link_ok = row.fields.prev_digest == previous.digest
    if content_ok and link_ok:
        return None
    if link_ok:
        return _edited_or_inserted(row, previous, successor())
    return _broken_link(row, previous, hasher, content_ok)


def _missing(first: int, last: int) -> Problem:
    values = {"n": first, "last": last, "before": first - 1, "after": last + 1}
    if first == 1 and first == last:
        message = _("Entry #%(n)s was deleted: the log starts at #%(after)s.")
    elif first == 1:
        message = _("Entries #%(n)s to #%(last)s were deleted: the log starts at #%(after)s.")
    elif first == last:
        message = _("Entry #%(n)s was deleted: the log jumps from #%(before)s to #%(after)s.")
    else:
        message = _("Entries #%(n)s to #%(last)s were deleted: the log jumps from #%(before)s to #%(after)s.")
    return Problem(Tampering.DELETED, first, message % values)


def _edited_or_inserted(row: _Row, previous: Head, following: _Row | None) -> Problem:
    sequence = row.fields.sequence
    # An entry edited in place keeps the digest the next entry links to; an
    # inserted one is skipped over: the next entry links to the one before.
    if following is not None and following.fields.prev_digest == previous.digest:
        message = _(
            "Entry #%(n)s was inserted: it does not match its digest and the entry after it follows #%(before)s."
        )
        return Problem(Tampering.INSERTED, sequence, message % {"n": sequence, "before": previous.sequence})
    if following is None:
        message = _("Entry #%(n)s, the last one, does not match its digest: it was edited, or forged and appended.")
    else:
        message = _("Entry #%(n)s was edited: its contents no longer match its digest.")
    return Problem(Tampering.EDITED, sequence, message % {"n": sequence})


def _broken_link(row: _Row, previous: Head, hasher: Hasher, content_ok: bool) -> Problem:
    sequence = row.fields.sequence
    values = {"n": sequence, "before": previous.sequence}
    if row.fields.prev_digest == GENESIS:
        message = _("Entry #%(n)s is out of order: it was written as the first entry of the log.")
        return Problem(Tampering.REORDERED, sequence, message % values)
    origin = AuditEntry.objects.filter(digest=row.fields.prev_digest).values_list("sequence", flat=True).first()
    if origin is not None:
        message = _("Entry #%(n)s is out of order: it was written after the entry now numbered #%(origin)s.")
        return Problem(Tampering.REORDERED, sequence, message % {**values, "origin": origin})
    written_as = _written_as(row, hasher)
    if written_as is not None:
        message = _(
            "Entries before #%(n)s were deleted and the later ones renumbered: #%(n)s was written as #%(original)s."
        )
        return Problem(Tampering.DELETED, sequence, message % {**values, "original": written_as})
    if content_ok:
        message = _("Entry #%(n)s was inserted: it does not follow #%(before)s and its predecessor is not in the log.")
        return Problem(Tampering.INSERTED, sequence, message % values)
    message = _("Entry #%(n)s was edited: its link to #%(before)s was changed.")
    return Problem(Tampering.EDITED, sequence, message % values)


def _written_as(row: _Row, hasher: Hasher) -> int | None:
    sequence = row.fields.sequence
    for original in range(sequence + 1, sequence + 1 + RENUMBER_SEARCH):
        if hasher.digest(row.fields._replace(sequence=original)) == row.digest:
            return original
    return None


def _check_published(expected: PublishedHead, found_at: int | None, last: Head) -> Problem | None:
    values = {"published": expected.sequence, "last": last.sequence, "next": last.sequence + 1}
    if expected.sequence is None:
        if found_at is not None:
            return None
        message = _(
            "The published head is not in the log, which ends at #%(last)s: entries were removed "
            "from the end or the log was rewritten."
        )
        return Problem(Tampering.TRUNCATED, last.sequence + 1, message % values)
    if found_at == expected.sequence:
        return None
    if expected.sequence > last.sequence:
        message = _(
            "The log ends at #%(last)s but the published head is #%(published)s: "
            "entries #%(next)s to #%(published)s were removed."
        )
        return Problem(Tampering.TRUNCATED, last.sequence + 1, message % values)
    message = _("Entry #%(published)s does not have the published digest: the log was rewritten.")
    return Problem(Tampering.EDITED, expected.sequence, message % values)
