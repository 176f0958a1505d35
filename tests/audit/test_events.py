"""Event codes: typed, grouped by area, each with one translated display string."""

from __future__ import annotations

from django.utils import translation

from pakar.audit.events import AREA_LABELS, EVENT_LABELS, AuditArea, AuditEvent, event_label


def test_every_event_has_a_display_string():
    assert set(EVENT_LABELS) == set(AuditEvent)
    assert all(str(label).strip() for label in EVENT_LABELS.values())


def test_display_strings_are_distinct_so_a_reader_can_tell_events_apart():
    labels = [str(label) for label in EVENT_LABELS.values()]
    assert len(labels) == len(set(labels))


def test_every_event_falls_in_a_known_area():
    assert set(AREA_LABELS) == set(AuditArea)
    for event in AuditEvent:
        assert event.area in AuditArea
        assert 1 <= event.value % 100 <= 99


def test_areas_follow_the_numbering_scheme():
    assert AuditEvent.CASE_VIEWED.area is AuditArea.CASE
    assert AuditEvent.EVIDENCE_DOWNLOADED.area is AuditArea.CASE
    assert AuditEvent.IDENTITY_REVEALED.area is AuditArea.IDENTITY
    assert AuditEvent.LOGIN_FAILED.area is AuditArea.AUTHENTICATION
    assert AuditEvent.TWO_FACTOR_RESET.area is AuditArea.AUTHENTICATION
    assert AuditEvent.CASES_EXPORTED.area is AuditArea.EXPORT
    assert AuditEvent.ROLE_GRANTED.area is AuditArea.ADMINISTRATION
    assert AuditEvent.CALENDAR_CHANGED.area is AuditArea.ADMINISTRATION
    assert AuditEvent.INSTANCE_KEY_ROTATED.area is AuditArea.SYSTEM
    assert AuditEvent.CASE_PURGED.area is AuditArea.SYSTEM


def test_stored_codes_never_change():
    """Codes are hashed into the chain: renumbering one would break every old entry's meaning."""
    assert AuditEvent.CASE_VIEWED == 101
    assert AuditEvent.IDENTITY_REVEAL_REQUESTED == 201
    assert AuditEvent.LOGIN_SUCCEEDED == 301
    assert AuditEvent.LOGIN_FAILED == 302
    assert AuditEvent.CASES_EXPORTED == 401
    assert AuditEvent.USER_CREATED == 501
    assert AuditEvent.INSTANCE_KEY_ROTATED == 601


def test_labels_follow_the_active_language():
    with translation.override("en"):
        assert AuditEvent.LOGIN_FAILED.label == "Sign-in failed"
        assert AuditArea.EXPORT.label == "Exports"


def test_an_unknown_stored_code_still_has_a_display_string():
    with translation.override("en"):
        assert event_label(199) == "Unknown event (199)"
        assert event_label(302) == "Sign-in failed"
