"""Every public page can be used with a screen reader and a keyboard alone:
no serious axe violation, every control labelled, errors tied to their fields."""

from __future__ import annotations

import pytest

from tests.browser.reporter import expect_error_status, fill_report, open_followup, read_receipt, submit
from tests.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && !el.hidden && el.offsetParent !== null)
  .filter(el => el.tagName === 'BUTTON'
    ? !el.textContent.trim()
    : ![...el.labels].some(label => label.textContent.trim()))
  .map(el => el.outerHTML)"""

# For every control marked invalid: the ids its description points at (its own,
# or its radio group's fieldset's), and whether each of them is a shown error.
INVALID_CONTROLS = """() => [...document.querySelectorAll('[aria-invalid=true]')].map(el => {
  const owner = el.type === 'radio' ? el.closest('fieldset') : el;
  const ids = (owner.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const errors = ids.map(id => document.getElementById(id))
    .filter(e => e && e.classList.contains('error') && e.offsetParent !== null);
  return {id: el.id, owner: owner.id, described_by: ids, shown_errors: errors.map(e => e.id)};
})"""


def test_the_empty_report_form_has_no_serious_accessibility_violation(watched_page, live_server, categories, unit):
    watched_page.goto(live_server.url + "/lapor/")
    assert run_axe(watched_page) == []
    assert watched_page.evaluate(UNLABELLED_CONTROLS) == []


def test_the_report_form_with_errors_has_no_serious_accessibility_violation(
    watched_page, live_server, categories, unit
):
    expect_error_status(watched_page, 400)
    watched_page.goto(live_server.url + "/lapor/")
    submit(watched_page)
    assert watched_page.locator("#errors").is_visible()
    assert run_axe(watched_page) == []
    assert watched_page.evaluate(UNLABELLED_CONTROLS) == []


def test_every_invalid_field_points_at_its_own_error_message(watched_page, live_server, categories, unit):
    page = watched_page
    expect_error_status(page, 400)
    page.goto(live_server.url + "/lapor/")
    page.check("input[name=identity_mode][value=confidential]")
    submit(page)

    summary = page.locator("#errors")
    assert summary.get_attribute("role") == "alert", "the summary must be announced"
    assert page.evaluate("document.activeElement.id") == "errors"
    invalid = page.evaluate(INVALID_CONTROLS)
    owners = {item["owner"] for item in invalid}
    assert {"id_name", "id_phone", "id_consent", "id_category", "id_party_name", "id_unit"} <= owners
    assert {"id_title", "id_what", "id_where", "id_when", "id_how", "id_declaration"} <= owners
    for item in invalid:
        assert item["shown_errors"] == [f"{item['owner']}_error"], item

    targets = [link.get_attribute("href").lstrip("#") for link in summary.locator("a").all()]
    assert len(targets) == len(owners), "one summary link per field in error"
    for target in targets:
        assert page.locator(f"[id='{target}']").count() == 1, f"the summary links to a missing #{target}"
        assert page.get_attribute(f"[id='{target}']", "aria-invalid") == "true"


def test_the_receipt_has_no_serious_accessibility_violation(watched_page, live_server, category, unit, evidence_file):
    watched_page.goto(live_server.url + "/lapor/")
    fill_report(watched_page, category=category, unit=unit, files=[evidence_file("dirty.pdf")])
    submit(watched_page)
    read_receipt(watched_page)
    assert run_axe(watched_page) == []


def test_the_follow_up_login_has_no_serious_accessibility_violation(watched_page, live_server, db):
    watched_page.goto(live_server.url + "/pantau/masuk/")
    assert run_axe(watched_page) == []
    assert watched_page.evaluate(UNLABELLED_CONTROLS) == []


def test_a_wrong_access_code_is_announced_and_tied_to_the_field(watched_page, live_server, reported_case):
    page = watched_page
    expect_error_status(page, 400)
    open_followup(page, live_server.url, "1111 2222 3333 4444")
    assert page.locator("#errors[role=alert]").is_visible()
    assert page.get_attribute("#id_code", "aria-invalid") == "true"
    assert page.get_attribute("#id_code", "aria-describedby").split() == ["id_code_helptext", "id_code_error"]
    assert page.locator("#id_code_error").is_visible()
    assert run_axe(page) == []


def test_the_follow_up_page_has_no_serious_accessibility_violation(watched_page, live_server, reported_case):
    open_followup(watched_page, live_server.url, reported_case.access_code)
    assert watched_page.locator(".thread .theirs").is_visible()
    assert run_axe(watched_page) == []
    assert watched_page.evaluate(UNLABELLED_CONTROLS) == []


def test_an_empty_reply_is_explained_without_accessibility_violation(watched_page, live_server, reported_case):
    page = watched_page
    open_followup(page, live_server.url, reported_case.access_code)
    expect_error_status(page, 400)
    submit(page, "section[aria-labelledby=h-reply] button[type=submit]")
    assert page.get_attribute("#id_text", "aria-invalid") == "true"
    assert "id_text_error" in page.get_attribute("#id_text", "aria-describedby")
    assert page.evaluate("document.activeElement.id") == "errors"
    assert run_axe(page) == []


def test_the_expired_form_page_has_no_serious_accessibility_violation(watched_page, live_server, db):
    page = watched_page
    expect_error_status(page, 403)
    page.goto(live_server.url + "/pantau/masuk/")
    page.context.clear_cookies()
    page.fill("#id_code", "1111 2222 3333 4444")
    submit(page)
    assert page.locator("h1").is_visible()
    assert page.locator("#id_code").count() == 0
    assert run_axe(page) == []


def test_the_page_not_found_has_no_serious_accessibility_violation(watched_page, live_server, db):
    expect_error_status(watched_page, 404)
    response = watched_page.goto(live_server.url + "/tidak-ada/")
    assert response.status == 404
    assert watched_page.locator("main a[href='/']").is_visible(), "a way back home"
    assert run_axe(watched_page) == []


# --- keyboard only ------------------------------------------------------------

FOCUSED = """() => { const el = document.activeElement;
  return {tag: el.tagName, name: el.name || '', id: el.id || '', type: el.type || '',
          inForm: !!el.closest('form.report')}; }"""

FORM_CONTROLS = """() => [...document.querySelectorAll(
  'form.report input, form.report select, form.report textarea, form.report button')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null).map(el => el.name || el.id)"""


def test_the_report_form_can_be_filled_with_the_keyboard_alone(watched_page, live_server, categories, unit):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if focused["tag"] == "BUTTON" and focused["inForm"]:
            break
    else:
        pytest.fail(f"Tab never reached the send button; focus went through {seen}")

    reached = {item["name"] or item["id"] for item in seen if item["inForm"]}
    assert set(page.evaluate(FORM_CONTROLS)) - reached == set(), "controls the keyboard cannot reach"

    page.keyboard.press("Tab")
    assert not page.evaluate(FOCUSED)["inForm"], "focus must be able to leave the form"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == seen[-1], "Shift+Tab goes back to the send button"


def test_a_radio_group_is_chosen_with_the_arrow_keys(watched_page, live_server, categories, unit):
    page = watched_page
    page.goto(live_server.url + "/lapor/")
    page.focus("input[name=identity_mode]:checked")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "anonymous"
    assert page.is_checked("input[name=identity_mode][value=anonymous]")


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(watched_page, live_server, db):
    page = watched_page
    page.goto(live_server.url + "/pantau/masuk/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_code", "the next stop is the page's first field"


def test_focus_is_always_visible(watched_page, live_server, db):
    page = watched_page
    page.goto(live_server.url + "/pantau/masuk/")
    page.focus("#id_code")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused button needs a visible outline"
