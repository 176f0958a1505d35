"""Every action in the back office leaves an entry in the audit log, and the
log can be read where it should be: on the case page, in the search page of
the inspector and the administrator, and as a CSV export."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.urls import reverse

from pakar.accounts.reauth import SESSION_KEY
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.audit.services import head
from pakar.audit.verify import verify_chain
from pakar.cases import handling
from pakar.cases.models import Status
from pakar.cases.workflow import transition_case
from tests.accounts.otp_support import current_code, verified_device
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD, declare

pytestmark = pytest.mark.django_db


def events_of(case=None, **filters):
    entries = AuditEntry.objects.order_by("sequence")
    if case is not None:
        entries = entries.filter(case_id=case.pk)
    return [AuditEvent(e) for e in entries.filter(**filters).values_list("event", flat=True)]


def test_opening_a_case_page_writes_a_case_viewed_entry_naming_the_person(client, case, staff):
    declare(case, staff["verifier"])
    client.force_login(staff["verifier"])
    client.get(reverse("backoffice:case", args=[case.number]))
    entry = AuditEntry.objects.filter(event=AuditEvent.CASE_VIEWED).get()
    assert (entry.actor, entry.case_number) == (staff["verifier"], case.number)


def test_notes_messages_assignment_and_declarations_are_audited_without_their_text(case, staff, team):
    declare(case, staff["inspector"])
    handling.add_internal_note(case, text="Rahasia: saksi kunci Budi", actor=staff["inspector"])
    handling.send_message(case, text="Mohon kirim foto kuitansi", actor=staff["inspector"])
    handling.assign_case(case, team=team, officer=None, actor=staff["inspector"])
    handling.declare_conflict(case, actor=staff["verifier"], has_conflict=True, reason="Saudara kandung")
    assert events_of(case)[-5:] == [
        AuditEvent.CONFLICT_DECLARED,
        AuditEvent.NOTE_ADDED,
        AuditEvent.MESSAGE_SENT_TO_REPORTER,
        AuditEvent.CASE_ASSIGNED,
        AuditEvent.CONFLICT_DECLARED,
    ]
    stored = str(list(AuditEntry.objects.values_list("data", flat=True)))
    for secret in ("Rahasia", "Budi", "kuitansi", "Saudara"):
        assert secret not in stored
    note = AuditEntry.objects.get(event=AuditEvent.NOTE_ADDED)
    assert note.data["object"] == "note" and isinstance(note.data["object_id"], int)
    declared = AuditEntry.objects.filter(event=AuditEvent.CONFLICT_DECLARED).order_by("sequence")
    assert [e.data["has_conflict"] for e in declared] == [False, True]


def test_a_status_move_is_audited_with_the_old_and_new_status(case, staff):
    declare(case, staff["verifier"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    entry = AuditEntry.objects.get(event=AuditEvent.CASE_STATUS_CHANGED)
    assert entry.data["from"] == Status.RECEIVED and entry.data["to"] == Status.VERIFICATION
    assert entry.actor == staff["verifier"] and entry.case_id == case.pk
    assert verify_chain().ok


def test_downloading_evidence_is_audited(client, category, unit, staff, evidence_file):
    from pakar.cases import services
    from tests.cases.support import report_input, stage

    pdf = stage("surat.pdf", evidence_file("dirty.pdf").read_bytes())
    case = services.submit_report(report_input(category, unit, files=[pdf])).case
    declare(case, staff["verifier"])
    client.force_login(staff["verifier"])
    item = case.evidence.get()
    response = client.get(reverse("backoffice:evidence", args=[case.number, item.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(event=AuditEvent.EVIDENCE_DOWNLOADED)
    assert entry.data["object_id"] == item.pk and entry.actor == staff["verifier"]


def test_signing_in_and_failing_to_are_audited_with_a_hashed_client_only(client, staff):
    client.post(reverse("accounts:login"), {"username": "vera", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "x"}, REMOTE_ADDR="10.1.2.3")
    failed = list(AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).order_by("sequence"))
    assert [f.actor for f in failed] == [staff["verifier"], None]
    assert [f.data["known_account"] for f in failed] == [True, False]
    assert "nobody" not in str(failed[1].data)
    assert "10.1.2.3" not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert failed[0].data["client"] == failed[1].data["client"]


def test_administrative_changes_are_audited_with_what_changed(client, staff, team):
    admin = staff["administrator"]
    client.force_login(admin)
    client.post(
        reverse("backoffice:admin_user", args=[staff["verifier"].pk]),
        {
            "username": "vera",
            "full_name": "Vera",
            "team": team.pk,
            "roles": ["verifier", "inspector"],
            "is_active": "on",
        },
    )
    assert AuditEvent.ROLE_GRANTED in events_of(actor=admin)
    granted = AuditEntry.objects.get(event=AuditEvent.ROLE_GRANTED)
    assert granted.data["role"] == "inspector" and granted.data["user_id"] == staff["verifier"].pk
    changed = AuditEntry.objects.get(event=AuditEvent.USER_CHANGED)
    assert changed.data["changes"]["team"] == {"old": None, "new": team.pk}
    client.post(
        reverse("backoffice:admin_unit_new"), {"name": "Dinas Pendidikan", "short_name": "Disdik", "is_active": "on"}
    )
    client.post(
        reverse("backoffice:admin_calendar"), {"date": "2026-12-24", "is_working_day": "off", "name": "Cuti bersama"}
    )
    assert {AuditEvent.UNIT_CREATED, AuditEvent.CALENDAR_CHANGED} <= set(events_of(actor=admin))
    assert verify_chain().ok


def test_changing_deadline_settings_records_old_and_new_values(client, staff):
    from pakar.workdays.models import DeadlineSettings
    from pakar.workdays.services import SETTING_FIELDS

    client.force_login(staff["administrator"])
    values = {name: getattr(DeadlineSettings.current(), name) for name in SETTING_FIELDS}
    values = {k: v for k, v in values.items() if v is not False}
    values["verification_days"] = 4
    response = client.post(reverse("backoffice:admin_deadlines"), values)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=AuditEvent.SETTINGS_CHANGED)
    assert entry.data["deadlines"]["verification_days"] == {"old": 3, "new": 4}


def test_the_case_page_shows_the_case_audit_history(client, case, staff):
    declare(case, staff["verifier"])
    client.force_login(staff["verifier"])
    page = client.get(reverse("backoffice:case", args=[case.number])).text
    assert "Audit history" in page and "Case viewed" in page


def test_the_inspector_searches_the_log_by_event_and_case(client, case, staff, category, unit):
    from tests.backoffice.fixtures import make_case

    other = make_case(category, unit)
    declare(case, staff["inspector"])
    declare(other, staff["inspector"])
    client.force_login(staff["inspector"])
    client.get(reverse("backoffice:case", args=[case.number]))
    client.get(reverse("backoffice:case", args=[other.number]))
    page = client.get(reverse("backoffice:audit"), {"event": int(AuditEvent.CASE_VIEWED), "case": case.number})
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    assert [r.case_number for r in rows] == [case.number]
    bad = client.get(reverse("backoffice:audit"), {"since": "2026-12-10", "until": "2026-12-01"})
    assert bad.status_code == 400 and "before its start" in bad.text


def test_export_asks_for_a_fresh_confirmation_then_streams_csv_and_is_itself_audited(client, staff):
    inspector = staff["inspector"]
    client.force_login(inspector)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 11 * 60
    session.save()
    url = reverse("backoffice:audit_export") + f"?event={int(AuditEvent.LOGIN_SUCCEEDED)}"
    first = client.get(url)
    assert first.status_code == 302 and first["Location"].startswith(reverse("accounts:reauth"))
    wrong = client.post(reverse("accounts:reauth"), {"password": "nope", "otp_token": "123456", "next": url})
    assert wrong.status_code == 400
    code = current_code(verified_device(inspector))
    confirmed = client.post(reverse("accounts:reauth"), {"password": PASSWORD, "otp_token": code, "next": url})
    assert confirmed.status_code == 302 and confirmed["Location"] == url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Number" and len(rows) >= 1
    assert {AuditEvent.REAUTHENTICATION_FAILED, AuditEvent.REAUTHENTICATED, AuditEvent.AUDIT_EXPORTED} <= set(
        events_of(actor=inspector)
    )


def test_the_administrator_page_shows_the_current_head_digest(client, staff):
    client.force_login(staff["administrator"])
    page = client.get(reverse("backoffice:admin_index")).text
    assert str(head()) in page


def test_a_reporter_reply_is_audited_without_naming_anyone_or_keeping_its_text(case):
    from pakar.cases import services

    message = services.add_reporter_reply(case, text="Kuitansi ada pada saya", files=[])
    entry = AuditEntry.objects.get(event=AuditEvent.MESSAGE_RECEIVED_FROM_REPORTER)
    assert entry.actor is None and entry.case_id == case.pk and entry.data == {"object_id": message.pk}
    assert "Kuitansi" not in str(entry.data)
