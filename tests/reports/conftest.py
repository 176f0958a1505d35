"""Helpers for statistics tests: cases placed at chosen dates and statuses."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

JAKARTA = ZoneInfo("Asia/Jakarta")
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English msgids; Indonesian (the default) is tested where it matters."""
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def _fresh_statistics(settings):
    """Figures are cached; every test starts from none and never serves an old result."""
    settings.PAKAR_STATS_MIN_AGE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_case(categories, unit):
    """A case received at ``received`` in ``category`` with ``status``; ``concluded`` adds
    the status change a conclusion leaves behind. Content is encrypted as usual."""
    from pakar import vault
    from pakar.cases.models import Case, Status, StatusChange

    def _make(
        received: dt.datetime,
        category: str,
        status: str = Status.RECEIVED,
        concluded: dt.datetime | None = None,
        deadline_class: str = "",
    ):
        key = vault.new_case_key()
        case = Case.objects.create(
            number=f"PKR-{received.year}-{next(_numbers):05d}",
            status=status,
            reporter_type="public",
            identity_mode="anonymous",
            category=categories[category],
            unit=unit,
            received_at=received,
            deadline_class=deadline_class,
            wrapped_key=vault.wrap_key(key),
            content=vault.encrypt_json(key, {"title": "t"}, purpose="case.content"),
            access_lookup=secrets.token_hex(32),
            reporter_public_key=b"\0" * 32,
        )
        StatusChange.objects.create(case=case, to_status=Status.RECEIVED, at=received)
        if concluded is not None:
            StatusChange.objects.create(
                case=case, from_status=Status.INVESTIGATION, to_status=Status.CONCLUDED, at=concluded
            )
        return case

    return _make


@pytest.fixture
def make_consultation(db):
    from pakar import vault
    from pakar.consultations.models import Consultation, Topic
    from pakar.consultations.topics import DEFAULT_TOPICS

    def _make(received: dt.datetime, answered: dt.datetime | None = None):
        topic, _ = Topic.objects.get_or_create(code=DEFAULT_TOPICS[0]["code"], defaults=DEFAULT_TOPICS[0])
        key = vault.new_case_key()
        return Consultation.objects.create(
            number=f"KON-{received.year}-{next(_numbers):05d}",
            topic=topic,
            asker_type="public",
            status="answered" if answered else "new",
            received_at=received,
            first_answered_at=answered,
            wrapped_key=vault.wrap_key(key),
            content=vault.encrypt_json(key, {"subject": "s", "question": "q"}, purpose="consultation.content"),
            access_lookup=secrets.token_hex(32),
            asker_public_key=b"\0" * 32,
        )

    return _make
