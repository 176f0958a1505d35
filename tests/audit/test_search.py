"""Searching the log by user, event, case and period, and exporting it as CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
import types

import pytest
from django.utils import timezone, translation

from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.search import csv_lines, export_entries, search_entries
from pakar.audit.services import record

pytestmark = pytest.mark.django_db


def sequences(entries) -> list[int]:
    return [entry.sequence for entry in entries]


def test_without_filters_every_entry_is_listed_newest_first(written_chain):
    assert sequences(search_entries()) == list(range(10, 0, -1))


def test_entries_can_be_found_by_user(written_chain, bob):
    assert sequences(search_entries(user=bob)) == [7, 6, 5]


def test_entries_can_be_found_by_event(written_chain):
    assert sequences(search_entries(event=AuditEvent.CASE_VIEWED)) == [10, 6, 2]


def test_entries_can_be_found_by_case_number_as_typed(written_chain, a_case):
    typed = f"  {a_case.number.lower()} "

    assert sequences(search_entries(case_number=typed)) == [10, 7, 6, 4, 3, 2]
    assert sequences(search_entries(case_number="PKR-1999-99999")) == []


def test_filters_combine(written_chain, alice, a_case):
    assert sequences(search_entries(user=alice, event=AuditEvent.CASE_VIEWED, case_number=a_case.number)) == [10, 2]


def test_entries_can_be_found_by_period(alice):
    first = record(AuditEvent.LOGIN_SUCCEEDED, actor=alice)
    second = record(AuditEvent.LOGGED_OUT, actor=alice)
    today = timezone.localdate(second.at)

    assert sequences(search_entries(since=second.at)) == [second.sequence]
    assert sequences(search_entries(until=second.at)) == [first.sequence]
    assert sequences(search_entries(since=today, until=today)) == [second.sequence, first.sequence]
    assert sequences(search_entries(until=today - datetime.timedelta(days=1))) == []
    assert sequences(search_entries(since=today + datetime.timedelta(days=1))) == []


def read_csv(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


def test_the_export_has_a_header_and_one_row_per_entry(written_chain, a_case):
    with translation.override("en"):
        rows = read_csv(csv_lines(search_entries(case_number=a_case.number)))

    assert rows[0][:4] == ["Number", "Time", "Event code", "Event"]
    assert [row[0] for row in rows[1:]] == ["10", "7", "6", "4", "3", "2"]
    status_change = next(row for row in rows if row[0] == "3")
    assert status_change[3] == "Case status changed"
    assert status_change[5] == "alice"
    assert status_change[7] == a_case.number
    assert json.loads(status_change[8]) == {"old": "received", "new": "verification"}
    assert status_change[10] == written_chain[2].digest
    assert datetime.datetime.fromisoformat(status_change[1]) == written_chain[2].at


def test_the_export_is_streamed_not_built_in_memory(written_chain, django_assert_num_queries):
    with django_assert_num_queries(0):
        lines = csv_lines(search_entries(), chunk_size=3)
        header = next(lines)

    assert isinstance(lines, types.GeneratorType)
    assert header.startswith(("Number", "Nomor"))
    assert len(list(lines)) == 10


def test_the_export_disarms_cells_a_spreadsheet_would_run(db, django_user_model):
    mallory = django_user_model.objects.create_user(username="=HYPERLINK(1)", password="not-used-here-1234")
    record(AuditEvent.LOGIN_SUCCEEDED, actor=mallory)

    rows = read_csv(csv_lines(search_entries()))

    assert rows[1][5] == "'=HYPERLINK(1)"


def test_exporting_is_itself_recorded_with_its_filters(written_chain, alice, bob):
    lines = export_entries(actor=alice, user=bob, since=datetime.date(2025, 1, 1))

    exported = AuditEntry.objects.get(event=AuditEvent.AUDIT_EXPORTED)
    assert exported.actor == alice
    assert exported.data == {
        "filters": {"user_id": bob.pk, "event": None, "case_number": None, "since": "2025-01-01", "until": None}
    }
    assert [row[0] for row in read_csv(lines)[1:]] == ["7", "6", "5"]
