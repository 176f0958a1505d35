"""No visitor's address, user agent or referrer reaches a log record or the database."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.http import HttpRequest
from django.test import Client

from pakar.cases.models import Case
from tests.public.conftest import real_upload
from tests.public.dbdump import assert_absent, database_bytes

pytestmark = pytest.mark.django_db(transaction=True)

VISITOR = {
    "REMOTE_ADDR": "203.0.113.77",
    "HTTP_USER_AGENT": "UniqueAgent/9.9",
    "HTTP_REFERER": "https://referrer.example/x",
}
TRACES = {
    "address": "203.0.113.77",
    "user agent": "UniqueAgent/9.9",
    "referrer": "referrer.example",
}
WATCHED_LOGGERS = ["", "django", "django.request", "django.server", "django.security", "django.security.csrf", "pakar"]


def _describe(value: object) -> str:
    """Everything a handler could read from one attribute of a record."""
    if isinstance(value, HttpRequest):
        return f"{value!r} {value.META!r} {dict(value.headers)!r}"
    try:
        return f"{value!r} {value}"
    except Exception:  # noqa: BLE001 - an attribute that cannot print carries nothing
        return ""


class Snapshot(logging.Handler):
    """Keeps, at the moment of emission, the text of every attribute of every record."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        parts = [record.getMessage(), repr(record.args)]
        parts += [f"{key}={_describe(value)}" for key, value in vars(record).items()]
        self.texts.append("\n".join(parts))


@pytest.fixture
def captured(caplog):
    """Every record any watched logger emits, seen before any configured handler
    runs, plus the text the configured stream handlers actually write."""
    snapshot = Snapshot()
    written = io.StringIO()
    saved_levels, saved_streams = [], []
    for name in WATCHED_LOGGERS:
        logger = logging.getLogger(name)
        saved_levels.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:
                saved_streams.append((handler, handler.setStream(written)))
        logger.handlers.insert(0, snapshot)
    caplog.set_level(logging.DEBUG)
    yield snapshot, written, caplog
    for logger, level in saved_levels:
        logger.setLevel(level)
        logger.removeHandler(snapshot)
    for handler, stream in reversed(saved_streams):
        if stream is not None:
            handler.setStream(stream)


def visit(client: Client, method: str, path: str, data=None, **extra):
    return getattr(client, method)(path, data or {}, **VISITOR, **extra)


def test_no_address_user_agent_or_referrer_reaches_any_log_record_or_the_database(captured, report_data, small_jpeg):
    snapshot, written, caplog = captured
    client = Client()

    # A report, a failed and a successful follow-up login, a 404 and two kinds of 403.
    response = client.post("/lapor/", {**report_data(), "evidence": [real_upload(small_jpeg)]}, **VISITOR)
    assert response.status_code == 200
    code = re.search(r"\b(\d{4} \d{4} \d{4} \d{4})\b", response.content.decode()).group(1)
    assert visit(client, "post", "/pantau/masuk/", {"code": "0000 0000 0000 0000"}).status_code == 400
    assert visit(client, "post", "/pantau/masuk/", {"code": code}).status_code == 302
    assert visit(client, "get", "/pantau/").status_code == 200
    assert visit(client, "get", "/tidak-ada/").status_code == 404
    strict = Client(enforce_csrf_checks=True)
    assert visit(strict, "post", "/lapor/", report_data()).status_code == 403
    # Over HTTPS Django checks the referrer and names it in its rejection reason.
    assert visit(strict, "post", "/pantau/masuk/", {"code": code}, secure=True).status_code == 403
    foreign_origin = {"secure": True, "HTTP_ORIGIN": "https://referrer.example"}
    assert visit(strict, "post", "/pantau/masuk/", {"code": code}, **foreign_origin).status_code == 403
    assert visit(client, "post", "/lapor/", report_data(where="")).status_code == 400

    assert snapshot.count >= 4, "the requests above must have produced log records (404, 403, 400)"
    records = "\n".join(snapshot.texts + [r.getMessage() for r in caplog.records])
    output = written.getvalue() + caplog.text
    assert "Not Found" in records and "Forbidden" in records
    for label, trace in TRACES.items():
        assert trace not in records, f"the {label} reached a log record"
        assert trace not in output, f"the {label} reached the log output"
    assert Case.objects.count() == 1
    assert_absent(TRACES, database_bytes(), "the database")


def test_the_development_server_does_not_log_the_address_of_a_broken_connection(captured):
    snapshot, written, _ = captured
    logging.getLogger("django.server").info("- Broken pipe from %s", ("203.0.113.77", 51234))
    assert snapshot.count == 1
    assert "203.0.113.77" not in "\n".join(snapshot.texts)
    assert "203.0.113.77" not in written.getvalue()
    assert "Broken pipe" in written.getvalue()


def test_a_csrf_rejection_is_still_logged_with_its_kind_and_path(captured):
    _, written, _ = captured
    strict = Client(enforce_csrf_checks=True)
    visit(strict, "post", "/pantau/masuk/", {"code": "1"}, secure=True)
    assert "Forbidden (Referer checking failed): /pantau/masuk/" in written.getvalue()
