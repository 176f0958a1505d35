"""Shared fixtures: named personas, reference data and helpers for real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server

# Staff pages need the second factor: force_login() also verifies it (see the module).
from tests.accounts.otp_support import force_login_verifies_the_second_factor  # noqa: E402, F401

EVIDENCE_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata" / "evidence"
if not EVIDENCE_DIR.exists():
    EVIDENCE_DIR = Path(os.environ.get("PAKAR_EVIDENCE_DIR", "/work/shared/testdata/evidence"))


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    """Every test gets its own storage folder, so file assertions see only its own files."""
    settings.PAKAR_STORAGE_DIR = tmp_path / "files"
    yield
    shutil.rmtree(tmp_path / "files", ignore_errors=True)


@pytest.fixture
def evidence_file():
    def get(name: str) -> Path:
        matches = list(EVIDENCE_DIR.glob(f"*/{name}"))
        if not matches:
            pytest.fail(f"test file {name} not found under {EVIDENCE_DIR}")
        return matches[0]

    return get


@pytest.fixture
def unit(db):
    from pakar.org.models import Unit

    return Unit.objects.create(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil")


@pytest.fixture
def categories(db):
    """The default categories (a transactional test's flush removes the migration's rows)."""
    from pakar.cases.categories import DEFAULT_CATEGORIES
    from pakar.cases.models import Category

    for position, data in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=data["code"], defaults={**data, "position": position})
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def category(categories):
    return categories["public-service"]


# --- real Chromium through Playwright ----------------------------------------

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"',
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "viewport": {"width": 1000, "height": 900}}


class PageWatch:
    """What a page did that a test must refuse: console errors (CSP violations
    included) and requests to any host other than the live server."""

    def __init__(self, page, origin: str) -> None:
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.origin = origin
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.origin) or url.startswith("data:") or url.startswith("about:")):
            self.foreign_requests.append(url)

    def assert_clean(self) -> None:
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.foreign_requests == [], f"requests to other hosts: {self.foreign_requests}"


@pytest.fixture
def watched_page(page, live_server):
    """A Playwright page on the live server that fails the test on CSP
    violations, console errors or third-party requests."""
    watch = PageWatch(page, live_server.url)
    page.watch = watch
    yield page
    watch.assert_clean()


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations on the current page.

    axe is evaluated through the DevTools protocol, so the page's strict CSP
    stays in force while it runs.
    """
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return list(result)
