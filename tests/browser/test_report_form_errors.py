"""A report with a mistake: the reporter is told what to fix, loses nothing
they typed or uploaded, and the corrected report arrives with its file."""

from __future__ import annotations

import pytest

from pakar.cases.models import Case
from tests.browser.reporter import IDENTITY, REPORT, expect_error_status, fill_report, read_receipt, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page_fixture", ["watched_page", "nojs_page"])
def test_a_missing_field_is_explained_and_the_uploaded_file_is_kept(
    request, page_fixture, live_server, category, unit, evidence_file
):
    page = request.getfixturevalue(page_fixture)
    expect_error_status(page, 400)
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit, files=[evidence_file("dirty.pdf")], omit=("title",))
    submit(page)

    summary = page.locator("#errors")
    assert summary.get_attribute("role") == "alert"
    assert [link.get_attribute("href") for link in summary.locator("a").all()] == ["#id_title"]
    if page_fixture == "watched_page":
        assert page.evaluate("document.activeElement.id") == "errors", "the summary must take the focus"
    assert page.locator(".staged .fname").all_inner_texts() == ["dirty.pdf"]
    assert page.input_value("#id_what") == REPORT["what"]
    assert page.input_value("#id_name") == IDENTITY["name"]
    assert page.is_checked("#id_declaration") and page.is_checked("#id_consent")

    summary.locator("a").first.click()
    assert page.evaluate("location.hash") == "#id_title"
    page.fill("#id_title", "Pungutan liar saat mengurus KTP")
    submit(page)

    number, _code = read_receipt(page)
    case = Case.objects.get(number=number)
    assert [e.read_meta()["name"] for e in case.evidence.all()] == ["dirty.pdf"]
    assert case.read_content()["title"] == "Pungutan liar saat mengurus KTP"


def test_a_kept_file_can_be_removed_before_sending(watched_page, live_server, category, unit, evidence_file):
    page = watched_page
    expect_error_status(page, 400)
    page.goto(live_server.url + "/lapor/")
    fill_report(
        page,
        category=category,
        unit=unit,
        files=[evidence_file("dirty.pdf"), evidence_file("jpg_Canon_40D.jpg")],
        omit=("when",),
    )
    submit(page)
    assert page.locator(".staged .fname").all_inner_texts() == ["dirty.pdf", "jpg_Canon_40D.jpg"]

    page.get_by_label("jpg_Canon_40D.jpg").check()
    page.fill("#id_when", "Senin pagi")
    submit(page)

    number, _code = read_receipt(page)
    assert [e.read_meta()["name"] for e in Case.objects.get(number=number).evidence.all()] == ["dirty.pdf"]


def test_a_report_without_any_file_is_refused_with_a_link_to_the_file_field(watched_page, live_server, category, unit):
    page = watched_page
    expect_error_status(page, 400)
    page.goto(live_server.url + "/lapor/")
    fill_report(page, category=category, unit=unit)
    submit(page)

    links = page.locator("#errors a")
    assert [link.get_attribute("href") for link in links.all()] == ["#id_evidence"]
    assert "id_evidence_error" in page.get_attribute("#id_evidence", "aria-describedby")
    assert page.locator("#id_evidence_error").is_visible()
    assert Case.objects.count() == 0
