"""The report form stays light for a slow mobile link: it loads only its own
stylesheet, script and icon, and all of it compressed stays under 50 KB."""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 50 * 1024
EXPECTED = {"/lapor/", "/static/pakar/pakar.css", "/static/pakar/pakar.js", "/static/pakar/favicon.svg"}


@pytest.fixture
def many_units(db):
    """A city has dozens of OPDs; the form lists them all."""
    from pakar.org.models import Unit

    return [
        Unit.objects.create(name=f"Dinas Pelayanan Masyarakat Bagian {n:02d}", short_name=f"DPM{n:02d}")
        for n in range(45)
    ]


def test_the_report_form_loads_only_its_own_small_files(watched_page, live_server, categories, many_units):
    responses = []
    watched_page.on("response", lambda response: responses.append(response))
    watched_page.goto(live_server.url + "/lapor/")
    watched_page.wait_for_load_state("networkidle")

    loaded = {urlsplit(r.url).path: r for r in responses}
    assert set(loaded) <= EXPECTED, f"unexpected files: {set(loaded) - EXPECTED}"
    assert {"/lapor/", "/static/pakar/pakar.css", "/static/pakar/pakar.js"} <= set(loaded)

    bodies = {path: response.body() for path, response in loaded.items()}
    # Headless Chromium may skip the icon; a visitor's browser fetches it.
    bodies.setdefault("/static/pakar/favicon.svg", open(finders.find("pakar/favicon.svg"), "rb").read())
    compressed = {path: len(gzip.compress(body, compresslevel=6)) for path, body in bodies.items()}
    assert sum(compressed.values()) <= BUDGET_BYTES, f"report form weighs {compressed} bytes compressed"
