"""One whole life of a report in real Chromium: filed online, verified with a
question to the reporter, assessed, clarified, investigated, concluded with
the inspector's approval, rated by the reporter and so closed.

Every page is watched for console errors, CSP violations and requests to other
hosts; the staff pages are checked with axe on the way.
"""

from __future__ import annotations

import re

import pytest

from pakar.accounts.models import Role
from pakar.cases.models import Case, Status
from tests.backoffice.fixtures import make_user
from tests.browser.reporter import fill_report, open_followup, read_receipt, submit
from tests.conftest import PageWatch, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(settings):
    from pakar.org.models import Team

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # sign-ins are not under test
    team = Team.objects.create(name="Inspektur Pembantu I")
    return {
        "verifier": make_user("vera", Role.VERIFIER),
        "inspector": make_user("inspektur", Role.INSPECTOR),
        "investigator": make_user("ivan", Role.INVESTIGATOR, team=team),
        "team": team,
    }


@pytest.fixture
def sign_in(browser, browser_context_args, live_server):
    """A separate browser per staff member, signed in, watched like the reporter's.

    The session comes from Django's ``force_login`` (signing in is tested on its
    own), so this test follows the case and not the sign-in steps."""
    from django.conf import settings
    from django.test import Client

    opened = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**browser_context_args)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.watch = PageWatch(page, live_server.url)
        opened.append((context, page))
        return page

    yield open_as
    for context, page in opened:
        context.close()
        page.watch.assert_clean()


def open_case(page, base, number):
    """From the inbox to the case, declaring no conflict of interest the first time."""
    page.goto(base + "/staff/kasus/")
    with page.expect_navigation():
        page.click(f"a:text-is('{number}')")
    if "/deklarasi/" in page.url:
        page.check("input[name=has_conflict][value=no]")
        submit(page, "main form:not([action$='/logout/']) button[type=submit]")
    assert page.url.endswith(f"/staff/kasus/{number}/")


def take_step(page, target, fill=None):
    """Open a step's panel on the case page, fill its fields and send it."""
    form = f"form[action$='/langkah/{target}/']"
    page.click(f"details:has({form}) > summary")
    if fill:
        fill(page)
    submit(page, f"{form} button[type=submit]")
    assert page.locator(".notice.success").count() == 1, page.locator("main").inner_text()


def status_of(number):
    return Case.objects.get(number=number).status


def test_a_report_lives_from_online_filing_to_closure_after_the_reporters_rating(
    watched_page, live_server, categories, unit, people, sign_in, evidence_file
):
    base = live_server.url
    reporter = watched_page

    # The reporter files online and keeps the receipt.
    reporter.goto(base + "/lapor/")
    fill_report(reporter, category=categories["public-service"], unit=unit, files=[evidence_file("dirty.pdf")])
    submit(reporter)
    number, code = read_receipt(reporter)

    # Verification, with a question to the reporter.
    verifier = sign_in(people["verifier"])
    open_case(verifier, base, number)
    assert run_axe(verifier) == []
    take_step(verifier, "verification")
    take_step(verifier, "needs_info", lambda p: p.fill("#id_move-needs_info-question", "Jam berapa tepatnya?"))
    assert status_of(number) == Status.NEEDS_INFO

    # The reporter reads the question and answers; the handling resumes.
    open_followup(reporter, base, code)
    assert "Jam berapa tepatnya?" in reporter.locator("main").inner_text()
    reporter.fill("#id_text", "Sekitar pukul 10.00 pagi.")
    submit(reporter, "form[enctype] button[type=submit]")
    assert status_of(number) == Status.VERIFICATION

    verifier.reload()
    assert "Sekitar pukul 10.00 pagi." in verifier.locator("main").inner_text()
    take_step(verifier, "assessment")

    # Assessment by the inspector: the deadline class, then the team and investigator.
    inspector = sign_in(people["inspector"])
    open_case(inspector, base, number)
    take_step(
        inspector,
        "clarification",
        lambda p: p.check("input[name='move-clarification-deadline_class'][value=complaint]"),
    )
    inspector.click("details:has(form[action$='/penugasan/']) > summary")
    inspector.select_option("#id_assign-team", str(people["team"].pk))
    inspector.select_option("#id_assign-officer", str(people["investigator"].pk))
    submit(inspector, "form[action$='/penugasan/'] button[type=submit]")

    # Clarification and investigation by the investigator, who proposes the conclusion.
    investigator = sign_in(people["investigator"])
    open_case(investigator, base, number)
    take_step(investigator, "investigation")
    investigator.click("details:has(form[action$='/kesimpulan/']) > summary")
    investigator.fill("#id_proposal-findings", "Dua saksi membenarkan pungutan Rp 50.000.")
    investigator.check("input[name='proposal-outcome'][value=proven]")
    investigator.check("input[name='proposal-sanction'][value=light]")
    investigator.fill("#id_proposal-summary", "Laporan Anda terbukti. Petugas diberi teguran tertulis.")
    submit(investigator, "form[action$='/kesimpulan/'] button[type=submit]")
    assert status_of(number) == Status.INVESTIGATION

    # The inspector approves.
    inspector.reload()
    assert "Dua saksi membenarkan" in inspector.locator("main").inner_text()
    take_step(inspector, "concluded")
    assert status_of(number) == Status.CONCLUDED

    # The reporter sees the outcome (never the internal findings) and rates it.
    reporter.goto(base + "/pantau/")
    page_text = reporter.locator("main").inner_text()
    assert "Laporan Anda terbukti. Petugas diberi teguran tertulis." in page_text
    assert "Dua saksi" not in page_text
    assert run_axe(reporter) == []
    reporter.check("#rate-5")
    submit(reporter, "form[action$='/pantau/nilai/'] button[type=submit]")
    assert status_of(number) == Status.CLOSED
    assert re.search(r"5\b", reporter.locator("main").inner_text())

    timeline = list(Case.objects.get(number=number).status_changes.values_list("to_status", flat=True))
    assert timeline == [
        "received",
        "verification",
        "needs_info",
        "verification",
        "assessment",
        "clarification",
        "investigation",
        "concluded",
        "closed",
    ]


def test_the_other_back_office_pages_pass_axe_and_the_csp(live_server, people, sign_in, categories, unit):
    from pakar.accounts.models import Role

    administrator = make_user("adi", Role.ADMINISTRATOR)
    intake = make_user("ina", Role.INTAKE)
    pages = {
        people["verifier"]: ["/staff/kasus/", "/staff/kasus/?deadline=overdue&sort=newest"],
        intake: ["/staff/laporan-baru/"],
        administrator: [
            "/staff/admin/",
            "/staff/admin/pengguna/",
            "/staff/admin/pengguna/baru/",
            "/staff/admin/unit/",
            "/staff/admin/tim/baru/",
            "/staff/admin/kategori/",
            "/staff/admin/kalender/",
            "/staff/admin/tenggat/",
        ],
    }
    for person, paths in pages.items():
        page = sign_in(person)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            assert run_axe(page) == [], path
