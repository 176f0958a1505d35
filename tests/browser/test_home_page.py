import pytest

from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_serious_accessibility_violation(watched_page, live_server):
    watched_page.goto(live_server.url + "/")
    assert watched_page.get_by_role("heading", level=1).is_visible()
    assert run_axe(watched_page) == []
