"""Consultation topics are reference data an administrator (or an officer) edits."""

from __future__ import annotations

import pytest

from pakar.accounts.models import Role
from pakar.consultations.models import Topic
from tests.consultations.conftest import make_staff

pytestmark = pytest.mark.django_db

LIST = "/staff/konsultasi/topik/"
NEW = "/staff/konsultasi/topik/baru/"

TOPIC = {
    "code": "village-funds",
    "name_id": "Dana desa",
    "name_en": "Village funds",
    "description_id": "Contoh: penggunaan dana desa untuk kegiatan.",
    "description_en": "For example: spending village funds on an activity.",
    "is_active": "on",
    "position": "9",
}


def test_an_administrator_adds_a_topic_that_the_form_then_offers(client, topics):
    client.force_login(make_staff("admin", Role.ADMINISTRATOR))
    assert client.get(LIST).status_code == 200
    response = client.post(NEW, TOPIC)
    assert response.status_code == 302
    client.logout()  # also forgets the language cookie: the page is in Indonesian
    assert "Dana desa" in client.get("/konsultasi/").content.decode()


def test_a_deactivated_topic_is_no_longer_offered(client, topics, officer):
    client.force_login(officer)
    topic = topics["procurement"]
    data = {**TOPIC, "code": topic.code, "name_en": topic.name_en, "is_active": ""}
    assert client.post(f"{LIST}{topic.pk}/", data).status_code == 302
    topic.refresh_from_db()
    assert not topic.is_active
    client.logout()
    assert topic.name_id not in client.get("/konsultasi/").content.decode()


def test_a_duplicate_code_is_explained_and_nothing_is_saved(client, topics, officer):
    client.force_login(officer)
    response = client.post(NEW, {**TOPIC, "code": "gratification"})
    assert response.status_code == 400
    assert Topic.objects.filter(code="gratification").count() == 1


def test_other_staff_cannot_edit_topics(client, topics, verifier):
    client.force_login(verifier)
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, TOPIC).status_code == 403
    assert not Topic.objects.filter(code="village-funds").exists()


def test_an_unknown_topic_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get(f"{LIST}999999/").status_code == 404
