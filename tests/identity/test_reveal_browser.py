"""The reveal in real Chromium: an investigator asks, a custodian approves with the
passphrase, the investigator sees the identity, and after expiry no longer does."""

from __future__ import annotations

import pytest

from tests.conftest import PageWatch, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "kunci rahasia penjaga identitas 1"


def signed_in_page(browser, browser_context_args, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(**browser_context_args)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.watch = PageWatch(page, live_server.url)
    return page


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_request_approval_view_and_expiry_of_a_reveal(browser, browser_context_args, live_server, categories, unit):
    from django.utils import timezone

    from pakar.accounts.models import Role, RoleGrant, User
    from pakar.cases import services as case_services
    from pakar.cases.models import Case
    from pakar.identity import services
    from pakar.identity.models import RevealGrant
    from pakar.org.models import Team
    from tests.cases.support import report_input

    team = Team.objects.create(name="Inspektur Pembantu I")
    custodian = User.objects.create_user(username="citra", password="kata sandi panjang 1", full_name="Citra")
    RoleGrant.objects.create(user=custodian, role=Role.CUSTODIAN)
    investigator = User.objects.create_user(username="ivan", password="kata sandi panjang 1", team=team)
    RoleGrant.objects.create(user=investigator, role=Role.INVESTIGATOR)
    services.enrol_custodian(custodian, PASSPHRASE, actor=None)
    case = case_services.submit_report(report_input(categories["public-service"], unit)).case
    Case.objects.filter(pk=case.pk).update(assigned_team=team)  # set-up: the investigator's team handles it

    asker = signed_in_page(browser, browser_context_args, live_server, investigator)
    keeper = signed_in_page(browser, browser_context_args, live_server, custodian)
    url = f"{live_server.url}/staff/identity/case/{case.number}/"
    try:
        asker.goto(url)
        assert "Siti Aminah" not in asker.content()
        asker.fill("#id_reason", "Saksi kunci perlu dihubungi untuk klarifikasi.")
        submit(asker, "form:has(#id_reason) button[type=submit]")

        keeper.goto(f"{live_server.url}/staff/identity/")
        with keeper.expect_navigation():
            keeper.click(f"text={case.number}")
        assert "Saksi kunci perlu dihubungi" in keeper.content()
        keeper.check("input[name=decision][value=approve]")
        keeper.fill("#id_passphrase", PASSPHRASE)
        submit(keeper, "form:has(#id_passphrase) button[type=submit]")
        assert run_axe(keeper) == []

        asker.goto(url)
        assert "Siti Aminah" in asker.content()
        assert run_axe(asker) == []

        RevealGrant.objects.update(expires_at=timezone.now())  # the grant runs out
        asker.goto(url)
        assert "Siti Aminah" not in asker.content()
    finally:
        for page in (asker, keeper):
            page.context.close()
            page.watch.assert_clean()
