"""Browser fixtures for the reporter's pages: a watched page without JavaScript
and a case whose access code a test can type in."""

from __future__ import annotations

import pytest

from tests.conftest import PageWatch


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Attempt counters live in the cache, which outlives a test: each test
    starts as a visitor who has not tried any access code yet."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def nojs_page(browser, browser_context_args, live_server):
    """Like ``watched_page``, but in a context with JavaScript switched off
    (Tor Browser's safest level): console errors, CSP violations and
    third-party requests still fail the test."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    watch = PageWatch(page, live_server.url)
    page.watch = watch
    yield page
    context.close()
    watch.assert_clean()


@pytest.fixture
def handler(db):
    from pakar.accounts.models import User

    return User.objects.create_user(username="verifier", password="a long enough password 1")


@pytest.fixture
def reported_case(categories, unit, handler):
    """A submitted report with one message from the handling team, and its access code."""
    from pakar.cases import services

    receipt = services.submit_report(
        services.ReportInput(
            reporter_type="public",
            identity_mode="anonymous",
            category=categories["public-service"],
            unit=unit,
            content={
                "title": "Biaya tambahan untuk KTP",
                "what": "Diminta Rp 50.000.",
                "where": "Kantor",
                "when": "Senin",
            },
            party={"name": "Petugas loket"},
        )
    )
    services.send_message_to_reporter(receipt.case, text="Terima kasih. Mohon kirim foto kuitansinya.", actor=handler)
    return receipt
