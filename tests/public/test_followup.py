"""The reporter's follow-up: the access code opens the case, wrong and unknown
codes look the same and cost the same, attempts are throttled without
remembering who the client is, and messages flow both ways."""

from __future__ import annotations

import pickle
import re
import threading
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client

from pakar.accounts.models import User
from pakar.cases import services
from pakar.cases.models import Evidence, Message
from pakar.vault import codes, format_code, new_access_code
from tests.cases.support import report_input
from tests.public.conftest import real_upload, upload

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


@pytest.fixture
def receipt(category, unit):
    return services.submit_report(report_input(category, unit, title="Pungli di loket KTP"))


@pytest.fixture
def kdf_runs(monkeypatch):
    """How many times Argon2id ran (the real function still runs)."""
    runs = {"count": 0}
    real = codes.hash_secret_raw

    def counting(**kwargs):
        runs["count"] += 1
        return real(**kwargs)

    monkeypatch.setattr(codes, "hash_secret_raw", counting)
    return runs


@pytest.fixture
def staff(db):
    return User.objects.create_user(username="verifikator", password="kata sandi yang panjang 1")


def login(client, code: str, **meta: str):
    """Post a code; ``meta`` sets WSGI environ keys such as REMOTE_ADDR."""
    return client.post("/pantau/masuk/", {"code": code}, headers=EN, **meta)


def wrong_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize("style", ["plain", "spaced", "dashed", "padded"])
def test_the_access_code_opens_the_case_typed_with_or_without_spaces(client, receipt, style):
    code = receipt.access_code
    typed = {
        "plain": code,
        "spaced": format_code(code),
        "dashed": format_code(code).replace(" ", "-"),
        "padded": f"  {format_code(code)}  ",
    }[style]
    response = login(client, typed)
    assert response.status_code == 302
    assert response["Location"] == "/pantau/"

    page = client.get("/pantau/", headers=EN)
    assert page.status_code == 200
    assert receipt.case.number in page.content.decode()
    assert "Pungli di loket KTP" in page.content.decode()
    assert "Your report has been received" in page.content.decode()


def test_the_follow_up_page_needs_a_code_first(client):
    response = client.get("/pantau/")
    assert response.status_code == 302
    assert response["Location"] == "/pantau/masuk/"


def test_logging_in_starts_a_new_session(client, receipt):
    client.get("/pantau/masuk/")
    client.cookies["sessionid"] = "attacker-fixed-session-id"
    login(client, receipt.access_code)
    assert client.cookies["sessionid"].value != "attacker-fixed-session-id"


def normalised(response) -> str:
    """The page without what legitimately differs per request: CSRF tokens, CSP nonces, the typed code."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", page)
    page = re.sub(r'nonce="[^"]*"', "NONCE", page)
    return re.sub(r'(name="code"[^>]*?) value="[^"]*"', r"\1", page)


def test_a_wrong_code_and_an_unknown_code_get_the_same_answer_and_one_argon2id_run_each(client, receipt, kdf_runs):
    kdf_runs["count"] = 0
    wrong = login(client, wrong_digit(receipt.access_code))
    assert kdf_runs["count"] == 1

    kdf_runs["count"] = 0
    unknown = login(Client(), new_access_code())
    assert kdf_runs["count"] == 1

    assert wrong.status_code == unknown.status_code == 400
    assert normalised(wrong) == normalised(unknown)
    assert "This access code does not open any report." in wrong.content.decode()
    assert receipt.case.number not in wrong.content.decode()


def test_the_right_code_also_costs_exactly_one_argon2id_run(client, receipt, kdf_runs):
    kdf_runs["count"] = 0
    assert login(client, receipt.access_code).status_code == 302
    assert kdf_runs["count"] == 1


def test_a_malformed_code_is_explained_without_running_argon2id(client, kdf_runs):
    kdf_runs["count"] = 0
    response = login(client, "1234 5678")
    assert response.status_code == 400
    assert "An access code has exactly 16 digits." in response.content.decode()
    assert kdf_runs["count"] == 0


def test_the_typed_code_is_not_stored_in_the_session_or_database(client, receipt):
    from django.contrib.sessions.models import Session

    login(client, receipt.access_code)
    for session in Session.objects.all():
        assert receipt.access_code not in session.session_data
        assert receipt.access_code not in str(session.get_decoded())


@pytest.fixture
def throttle(settings):
    settings.PAKAR_CODE_ATTEMPTS = 4
    # One window for the whole test: a bucket boundary cannot reset the count half-way.
    settings.PAKAR_CODE_WINDOW_SECONDS = 10**9
    return settings.PAKAR_CODE_ATTEMPTS


def test_attempts_beyond_the_limit_are_refused_with_429(client, receipt, throttle, kdf_runs):
    for _ in range(throttle):
        assert login(client, new_access_code(), REMOTE_ADDR="198.51.100.7").status_code == 400
    kdf_runs["count"] = 0

    refused = login(client, receipt.access_code, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Too many attempts." in refused.content.decode()
    assert kdf_runs["count"] == 0, "a throttled attempt must not cost an Argon2id run"
    assert login(Client(), receipt.access_code, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_another_client_address_is_not_affected(client, receipt, throttle):
    for _ in range(throttle + 2):
        login(client, new_access_code(), REMOTE_ADDR="198.51.100.7")
    assert login(Client(), new_access_code(), REMOTE_ADDR="198.51.100.8").status_code == 400
    assert login(Client(), receipt.access_code, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_the_throttle_follows_the_configured_proxy_header(client, receipt, throttle, settings):
    settings.PAKAR_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for _ in range(throttle):
        login(client, new_access_code(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    assert (
        login(client, new_access_code(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    )
    # Another visitor behind the same proxy is still let through.
    response = login(Client(), receipt.access_code, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 302


def cache_contents() -> list[bytes]:
    """Every file in the cache folder as stored, plus each entry's decompressed value."""
    location = Path(settings.CACHES["default"]["LOCATION"])
    blobs = []
    for path in location.rglob("*"):
        if path.is_file():
            blobs.append(path.name.encode() + b"\0" + path.read_bytes())
            if path.suffix == ".djcache":
                with path.open("rb") as handle:
                    pickle.load(handle)  # noqa: S301 - the expiry header of our own cache file
                    blobs.append(zlib.decompress(handle.read()))
    return blobs


def test_the_cache_holds_no_client_address(client, throttle):
    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    address = "198.51.100.77"
    for _ in range(throttle + 1):
        login(client, new_access_code(), REMOTE_ADDR=address)

    blobs = cache_contents()
    assert blobs, "the throttle stored nothing: the test would prove nothing"
    forms = [address.encode(), address.replace(".", "").encode(), address.encode("utf-16-le")]
    for blob in blobs:
        for form in forms:
            assert form not in blob
    # And the key it counts under does not contain the address either.
    from django.test import RequestFactory

    from pakar.common.throttle import client_tag

    tag = client_tag(RequestFactory().get("/", REMOTE_ADDR=address), settings.PAKAR_CODE_WINDOW_SECONDS)
    key = f"throttle:code:{tag}"
    assert address not in key
    assert cache.get(key) == throttle + 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_attempts_gets_no_more_than_the_limit_through(throttle):
    burst = 24
    barrier = threading.Barrier(burst)
    statuses: list[int] = []

    def attempt() -> None:
        try:
            visitor = Client()
            barrier.wait(timeout=60)
            statuses.append(login(visitor, new_access_code(), REMOTE_ADDR="198.51.100.50").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == burst
    assert statuses.count(400) == throttle
    assert statuses.count(429) == burst - throttle


def test_the_count_lasts_the_whole_window_not_the_cache_default(client, settings):
    settings.PAKAR_CODE_ATTEMPTS = 10
    settings.PAKAR_CODE_WINDOW_SECONDS = 10**9  # far longer than the cache's 300-second default
    for _ in range(3):
        login(client, new_access_code(), REMOTE_ADDR="198.51.100.7")
    location = Path(settings.CACHES["default"]["LOCATION"])
    (entry,) = list(location.glob("*.djcache"))
    with entry.open("rb") as handle:
        expiry = pickle.load(handle)  # noqa: S301 - the expiry header of our own cache file
    assert expiry > time.time() + 10**8


def test_the_reporter_reply_and_added_evidence_appear_on_the_follow_up_page(client, receipt, evidence_file):
    login(client, receipt.access_code)
    response = client.post(
        "/pantau/",
        {"text": "Ini foto kuitansinya, Pak.", "evidence": [real_upload(evidence_file("dirty.jpg"), "kuitansi.jpg")]},
        headers=EN,
    )
    assert response.status_code == 302

    page = client.get("/pantau/", headers=EN).content.decode()
    assert "Thank you. Your message has been sent to the handling team." in page
    assert "Ini foto kuitansinya, Pak." in page
    assert "kuitansi.jpg" in page
    reply = Message.objects.get(case=receipt.case)
    assert reply.direction == Message.Direction.FROM_REPORTER
    assert Evidence.objects.get(case=receipt.case).source == Evidence.Source.FOLLOW_UP


def test_a_message_from_staff_appears_on_the_follow_up_page(client, receipt, staff):
    services.send_message_to_reporter(receipt.case, text="Mohon kirim foto kuitansinya.", actor=staff)
    login(client, receipt.access_code)
    page = client.get("/pantau/", headers=EN).content.decode()
    assert "Mohon kirim foto kuitansinya." in page
    assert "Handling team" in page


def test_the_thread_shows_both_sides_in_order(client, receipt, staff):
    services.send_message_to_reporter(receipt.case, text="Pertanyaan pertama dari tim.", actor=staff)
    login(client, receipt.access_code)
    client.post("/pantau/", {"text": "Jawaban dari pelapor."})
    services.send_message_to_reporter(receipt.case, text="Terima kasih, kami proses.", actor=staff)
    page = client.get("/pantau/").content.decode()
    positions = [page.index(t) for t in ("Pertanyaan pertama", "Jawaban dari pelapor", "Terima kasih, kami proses")]
    assert positions == sorted(positions)


def test_an_empty_reply_is_refused_with_a_message(client, receipt):
    login(client, receipt.access_code)
    response = client.post("/pantau/", {"text": "   "}, headers=EN)
    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    assert not Message.objects.exists()


def test_a_refused_file_in_a_reply_keeps_the_typed_message_and_saves_nothing(client, receipt, evidence_file):
    login(client, receipt.access_code)
    response = client.post(
        "/pantau/",
        {"text": "Pesan saya yang panjang.", "evidence": [upload("virus.pdf", Path("/bin/ls").read_bytes())]},
        headers=EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“virus.pdf” is not an allowed file type." in page
    assert "Pesan saya yang panjang." in page
    assert not Message.objects.exists()
    assert not Evidence.objects.exists()


def test_closing_the_report_ends_the_session(client, receipt):
    login(client, receipt.access_code)
    assert client.post("/pantau/keluar/").status_code == 302
    assert client.get("/pantau/")["Location"] == "/pantau/masuk/"


def test_follow_up_pages_are_never_cached(client, receipt):
    assert client.get("/pantau/masuk/")["Cache-Control"] == "no-store"
    login(client, receipt.access_code)
    assert client.get("/pantau/")["Cache-Control"] == "no-store"


def test_a_reply_file_that_left_staging_before_saving_is_asked_for_again(client, receipt, evidence_file, monkeypatch):
    real_reply = services.add_reporter_reply

    def purged_meanwhile(case, *, text, files):
        files[0].path.unlink()
        return real_reply(case, text=text, files=files)

    monkeypatch.setattr(services, "add_reporter_reply", purged_meanwhile)
    login(client, receipt.access_code)
    response = client.post(
        "/pantau/", {"text": "Pesan saya.", "evidence": [real_upload(evidence_file("dirty.pdf"))]}, headers=EN
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "One of your files is no longer available. Please attach it again." in page
    assert "Pesan saya." in page
    assert not Message.objects.exists()
    assert not Evidence.objects.exists()
