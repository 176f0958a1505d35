"""Reveal: asked with a reason, decided with a passphrase, seen by one investigator
for a limited time, every step audited, the reporter told."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from pakar.accounts.models import Role
from pakar.audit.events import AuditEvent
from pakar.audit.models import AuditEntry
from pakar.cases import services as case_services
from pakar.identity import reveal, services
from pakar.identity.models import RevealGrant, RevealRequest
from tests.cases.support import report_input
from tests.identity.conftest import PASSPHRASE, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(category, unit, custodian):
    return case_services.submit_report(report_input(category, unit)).case


def events(case) -> list[int]:
    """The identity-reveal steps recorded for a case (its filing entry aside)."""
    entries = AuditEntry.objects.filter(case_id=case.pk).exclude(event=AuditEvent.CASE_CREATED)
    return list(entries.order_by("sequence").values_list("event", flat=True))


def test_an_approved_reveal_shows_the_identity_to_that_investigator_only_until_it_expires(
    case, custodian, investigator, settings
):
    settings.PAKAR_REVEAL_DAYS = 30
    other = staff_user("penyidik2", Role.INVESTIGATOR)
    request = reveal.request_reveal(case, actor=investigator, reason="Saksi kunci perlu dihubungi.")
    assert reveal.view_identity(case, actor=investigator) is None
    assert reveal.read_reason(request) == "Saksi kunci perlu dihubungi."

    reveal.decide_reveal(request, actor=custodian.user, passphrase=PASSPHRASE, approve=True)

    assert reveal.view_identity(case, actor=investigator)["name"] == "Siti Aminah"
    assert reveal.view_identity(case, actor=other) is None
    assert reveal.identity_disclosed(case)
    assert events(case) == [
        AuditEvent.IDENTITY_REVEAL_REQUESTED,
        AuditEvent.IDENTITY_REVEAL_APPROVED,
        AuditEvent.IDENTITY_REVEALED,
    ]
    grant = RevealGrant.objects.get()
    assert grant.expires_at - timezone.now() > datetime.timedelta(days=29)

    RevealGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert reveal.view_identity(case, actor=investigator) is None
    assert not RevealGrant.objects.exists(), "an expired grant is deleted with its key"


def test_a_denied_reveal_shows_nothing_and_is_audited(case, custodian, investigator):
    request = reveal.request_reveal(case, actor=investigator, reason="Perlu klarifikasi.")
    reveal.decide_reveal(request, actor=custodian.user, passphrase=PASSPHRASE, approve=False)

    assert RevealRequest.objects.get().state == RevealRequest.State.DENIED
    assert reveal.view_identity(case, actor=investigator) is None
    assert not reveal.identity_disclosed(case)
    assert events(case)[-1] == AuditEvent.IDENTITY_REVEAL_REFUSED


def test_a_wrong_passphrase_decides_nothing(case, custodian, investigator):
    request = reveal.request_reveal(case, actor=investigator, reason="Perlu klarifikasi.")
    with translation.override("en"), pytest.raises(services.CustodyError, match="not correct"):
        reveal.decide_reveal(request, actor=custodian.user, passphrase="salah", approve=True)
    assert RevealRequest.objects.get().state == RevealRequest.State.PENDING
    assert not RevealGrant.objects.exists()


def test_a_request_needs_a_reason_and_an_investigator(case, custodian, investigator):
    with pytest.raises(services.CustodyError):
        reveal.request_reveal(case, actor=investigator, reason="  ")
    with pytest.raises(services.CustodyError):
        reveal.request_reveal(case, actor=staff_user("verif", Role.VERIFIER), reason="Perlu.")
    assert not RevealRequest.objects.exists()


def test_the_reporter_is_not_told_when_the_setting_is_off(case, custodian, investigator, settings):
    settings.PAKAR_REVEAL_TELL_REPORTER = False
    request = reveal.request_reveal(case, actor=investigator, reason="Perlu.")
    reveal.decide_reveal(request, actor=custodian.user, passphrase=PASSPHRASE, approve=True)
    assert not reveal.identity_disclosed(case)
