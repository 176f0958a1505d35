"""End to end: the committed change enqueues the send, and the real database worker mails it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from pakar.cases import services
from pakar.notify.models import Notice
from tests.backoffice.fixtures import *  # noqa: F403
from tests.notify.test_reporter_notices import ADDRESS, STAFF_TEXT, reported

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_database_worker_sends_the_notice_queued_by_a_committed_message(smtp, category, unit, staff):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    assert [mail.recipients for mail in smtp.mails] == [[ADDRESS]]
    assert Notice.objects.get(case=case).status == Notice.State.SENT


def test_the_database_refuses_a_second_pending_notice_for_one_case(category, unit, staff):
    case = reported(category, unit)
    services.send_message_to_reporter(case, text=STAFF_TEXT, actor=staff["verifier"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(kind=Notice.Kind.REPORTER_UPDATE, case=case, created_at=timezone.now())
