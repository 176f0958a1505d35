"""Every page, public and back office, as every role: the security headers are
there, case pages are never cached, and no page points at another host."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pakar.cases import handling, services
from pakar.workdays.models import CalendarDay
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import PASSWORD, declare, make_user
from tests.cases.support import report_input, stage

pytestmark = pytest.mark.django_db

ROLES = ["intake", "verifier", "investigator", "inspector", "custodian", "consultation", "administrator"]
# Pages that show case data: never stored by a browser or a proxy.
CASE_DATA_PREFIXES = ("/staff/kasus/", "/pantau/", "/staff/identity/case/", "/staff/audit/")


def url_patterns(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            space = f"{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


@pytest.fixture
def world(staff, team, category, unit, evidence_file):
    pdf = stage("surat.pdf", evidence_file("dirty.pdf").read_bytes())
    receipt = services.submit_report(report_input(category, unit, files=[pdf]))
    case = receipt.case
    declare(case, staff["inspector"])
    handling.assign_case(case, team=team, officer=None, actor=staff["inspector"])
    declare(case, staff["intake"], staff["verifier"], staff["investigator"])
    day = CalendarDay.objects.create(date="2026-12-08", name="Hari Jadi", is_working_day=False)
    return {
        "code": receipt.access_code,
        "args": {
            "backoffice:case": [case.number],
            "backoffice:declare": [case.number],
            "backoffice:evidence": [case.number, case.evidence.get().pk],
            "backoffice:admin_user": [staff["verifier"].pk],
            "backoffice:admin_unit": [unit.pk],
            "backoffice:admin_team": [team.pk],
            "backoffice:admin_category": [category.pk],
            "backoffice:admin_calendar_remove": [day.pk],
            "identity:case": [case.number],
        },
    }


def pages(world):
    """Every page reachable by GET: those without parameters, and those we can fill."""
    for name, pattern in url_patterns():
        if "<" not in pattern:
            yield reverse(name)
        elif name in world["args"]:
            yield reverse(name, args=world["args"][name])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "formaction", "srcset", "poster", "data") and value:
                self.found.append(value)


def foreign_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    bad = []
    for link in parser.found:
        parts = urlsplit(link.strip())
        if parts.scheme in ("javascript", "data") or (parts.netloc and parts.netloc != "testserver"):
            bad.append(link)
        elif parts.scheme and parts.scheme not in ("http", "https", "mailto", "tel"):
            bad.append(link)
    return bad


def problems(path: str, response) -> list[str]:
    found = []
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    content_type = headers.get("Content-Type", "")
    # Pages: our own origin only, never framed. A downloaded file: nothing at all, sandboxed.
    page_policy = "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    file_policy = csp == "default-src 'none'; sandbox"
    if "unsafe-inline" in csp or not (page_policy or file_policy):
        found.append(f"{path}: CSP {csp!r}")
    if "text/html" in content_type and response.status_code == 200:
        # A rendered page carries its script under a nonce (base template).
        if "'nonce-" not in csp:
            found.append(f"{path}: CSP without a nonce")
        found += [f"{path}: links elsewhere: {link}" for link in foreign_links(response.content.decode())]
    expected = {
        "X-Frame-Options": "DENY",
        # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null"
        # on form posts and Django's CSRF check refuses them. No other site gets a referrer.
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            found.append(f"{path}: {name} is {headers.get(name)!r}")
    if "camera=()" not in headers.get("Permissions-Policy", ""):
        found.append(f"{path}: Permissions-Policy {headers.get('Permissions-Policy')!r}")
    if response.status_code == 200 and path.startswith(CASE_DATA_PREFIXES):
        if "no-store" not in headers.get("Cache-Control", ""):
            found.append(f"{path}: Cache-Control {headers.get('Cache-Control')!r}")
    return found


def test_every_page_as_every_role_has_the_security_headers_and_stays_on_our_host(world, staff):
    urls = sorted(set(pages(world)))
    assert len(urls) > 40
    found: list[str] = []
    visitors = [("anonymous", Client())]
    reporter = Client()
    cache.clear()  # the follow-up sign-in throttle
    assert reporter.post("/pantau/masuk/", {"code": world["code"]}).status_code == 302
    visitors.append(("reporter", reporter))
    for role in ROLES:
        client = Client()
        client.force_login(staff[role])
        visitors.append((role, client))
    seen_ok = 0
    for who, client in visitors:
        for url in urls:
            response = client.get(url)
            seen_ok += response.status_code == 200
            found += [f"{who}: {problem}" for problem in problems(url, response)]
    # The enrolment page (password given, no authenticator yet) with its inline SVG QR code.
    newcomer = make_user("baru", "verifier")
    enrolling = Client()
    enrolling.post(reverse("accounts:login"), {"username": "baru", "password": PASSWORD})
    enrol = enrolling.get(reverse("accounts:two_factor"))
    assert enrol.status_code == 200 and "<svg" in enrol.text and newcomer.pk
    found += problems(reverse("accounts:two_factor"), enrol)
    assert sorted({problem.split(": ", 1)[1] for problem in found}) == []
    assert seen_ok > 60  # the crawl really saw pages, not only redirects
