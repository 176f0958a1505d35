"""Personas and helpers for the consultation track."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English msgids; Indonesian (the default) is tested where it matters."""
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topics(db):
    """The default topics (a transactional test's flush removes the migration's rows)."""
    from pakar.consultations.models import Topic
    from pakar.consultations.topics import DEFAULT_TOPICS

    for position, data in enumerate(DEFAULT_TOPICS):
        Topic.objects.get_or_create(code=data["code"], defaults={**data, "position": position})
    return {t.code: t for t in Topic.objects.all()}


def make_staff(username: str, *roles: str):
    from pakar.accounts.models import RoleGrant, User

    user = User.objects.create_user(username=username, password="a long enough password 1", full_name=username.title())
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def officer(db):
    """Sari answers consultations."""
    from pakar.accounts.models import Role

    return make_staff("sari", Role.CONSULTATION)


@pytest.fixture
def verifier(db):
    """Bima verifies reports; consultations are not his business."""
    from pakar.accounts.models import Role

    return make_staff("bima", Role.VERIFIER)


@pytest.fixture
def ask(topics):
    """Store a question through the service and return its receipt."""
    from pakar.cases.models import ReporterType
    from pakar.consultations import services

    def _ask(question: str = "Bolehkah saya menerima parsel lebaran dari rekanan?", **overrides):
        data = {
            "topic": topics["gratification"],
            "asker_type": ReporterType.ASN,
            "subject": "Parsel lebaran",
            "question": question,
            "identity": {},
            "notice_email": "",
            "publish_consent": True,
        }
        data.update(overrides)
        return services.ask_question(services.QuestionInput(**data))

    return _ask
