"""The FAQ: officers publish rewritten, anonymised questions; the public searches them."""

from __future__ import annotations

import pytest

from pakar.consultations import services
from pakar.consultations.models import FaqEntry

pytestmark = pytest.mark.django_db

NEW = "/staff/konsultasi/faq/baru/"
ORIGINAL = "Saya Rahmat dari Dinas PU, rekanan CV Maju mengirim parsel ke rumah saya. Bolehkah saya menerimanya?"


@pytest.fixture
def source(ask):
    return ask(question=ORIGINAL, identity={"name": "Rahmat Hidayat"}).consultation


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def faq_data(topics, **overrides):
    data = {
        "topic": str(topics["gratification"].pk),
        "question": "Bolehkah pegawai menerima parsel hari raya dari rekanan kantor?",
        "answer": "Tidak. Tolak dengan sopan, atau laporkan ke UPG dalam 30 hari kerja.",
    }
    data.update(overrides)
    return data


def test_the_faq_form_starts_empty_and_shows_the_original_only_for_reference(officer_client, source):
    page = officer_client.get(f"{NEW}?dari={source.number}").content.decode()
    assert ORIGINAL in page  # beside the form, to read
    textareas = page[page.index('<form method="post" novalidate>') :]
    assert ORIGINAL not in textareas
    assert "Rahmat" not in textareas


def test_the_original_wording_cannot_be_published(officer_client, source, topics):
    response = officer_client.post(NEW, {**faq_data(topics, question=ORIGINAL), "source": source.number})
    assert response.status_code == 400
    assert not FaqEntry.objects.exists()


@pytest.mark.parametrize(
    "leak",
    [
        "Tanya dari Rahmat Hidayat: bolehkah menerima parsel?",
        "Hubungi rahmat@example.id untuk detailnya.",
        "NIP 198703152010011002 bertanya soal parsel.",
        "Telepon 0812-3456-7890 soal parsel.",
    ],
)
def test_text_with_personal_details_is_refused(officer_client, source, topics, leak):
    response = officer_client.post(NEW, {**faq_data(topics, question=leak), "source": source.number})
    assert response.status_code == 400
    assert not FaqEntry.objects.exists()


def test_the_consultation_number_is_refused_too(officer_client, source, topics):
    answer = f"Seperti dijawab pada {source.number}, tidak boleh."
    response = officer_client.post(NEW, {**faq_data(topics, answer=answer), "source": source.number})
    assert response.status_code == 400


def test_without_the_askers_consent_no_entry_comes_from_the_consultation(officer_client, ask, topics):
    private = ask(publish_consent=False).consultation
    response = officer_client.get(f"{NEW}?dari={private.number}")
    assert response.status_code == 302
    officer_client.post(NEW, {**faq_data(topics), "source": private.number})
    assert not FaqEntry.objects.exists()
    with pytest.raises(services.NotAllowedError):
        services.create_faq_entry(
            services.FaqInput(topic=topics["other"], question="q", answer="a"), source=private, actor=None
        )


def test_a_draft_is_not_public_until_published(officer_client, client, source, topics):
    officer_client.post(NEW, {**faq_data(topics), "source": source.number, "save": "1"})
    entry = FaqEntry.objects.get()
    assert entry.source == source and not entry.is_published
    client.logout()
    assert "parsel hari raya" not in client.get("/faq/").content.decode()
    officer_client.force_login(entry.created_by)
    officer_client.post(f"/staff/konsultasi/faq/{entry.pk}/", {**faq_data(topics), "publish": "1"})
    officer_client.logout()
    assert "parsel hari raya" in officer_client.get("/faq/").content.decode()


def test_a_published_entry_can_be_withdrawn(officer_client, topics, officer):
    entry = services.create_faq_entry(
        services.FaqInput(topic=topics["procurement"], question="Batas pengadaan langsung?", answer="Lihat Perpres."),
        source=None,
        actor=officer,
    )
    services.publish_faq_entry(entry, actor=officer)
    officer_client.post(f"/staff/konsultasi/faq/{entry.pk}/tarik/")
    entry.refresh_from_db()
    assert not entry.is_published


def published(topics, officer, topic: str, question: str, answer: str) -> FaqEntry:
    entry = services.create_faq_entry(
        services.FaqInput(topic=topics[topic], question=question, answer=answer), source=None, actor=officer
    )
    services.publish_faq_entry(entry, actor=officer)
    return entry


def test_the_public_faq_is_grouped_by_topic(client, topics, officer):
    published(topics, officer, "gratification", "Bolehkah menerima parsel?", "Tidak.")
    published(topics, officer, "procurement", "Berapa batas pengadaan langsung?", "Sesuai Perpres.")
    page = client.get("/faq/").content.decode()
    gratification = page.index(topics["gratification"].name_en)
    procurement = page.index(topics["procurement"].name_en)
    assert gratification < page.index("Bolehkah menerima parsel?") < procurement
    assert procurement < page.index("Berapa batas pengadaan langsung?")
    assert topics["asn-discipline"].name_en not in page  # empty topics are not listed


def test_the_search_finds_entries_with_every_word_in_question_or_answer(client, topics, officer):
    published(topics, officer, "gratification", "Bolehkah menerima parsel?", "Tidak, laporkan ke UPG.")
    published(topics, officer, "procurement", "Berapa batas pengadaan langsung?", "Sesuai Perpres.")
    page = client.get("/faq/", {"q": "parsel UPG"}).content.decode()
    assert "Bolehkah menerima parsel?" in page
    assert "Berapa batas pengadaan langsung?" not in page
    assert "1 entry found" in page
    nothing = client.get("/faq/", {"q": "narkoba"}).content.decode()
    assert "0 entries found" in nothing


def test_a_garbled_search_does_not_break_the_page(client, topics):
    response = client.get("/faq/?q=%C3%28%00" + "x" * 5000)
    assert response.status_code == 200
