"""What a reporter does in the browser, written once for every browser test.

Fields are found by their ids, not their labels, so the tests keep working
whichever language the page is shown in.
"""

from __future__ import annotations

import re
from pathlib import Path

IDENTITY = {
    "name": "Siti Aminah",
    "phone": "0812 3456 7890",
    "address": "Jl. Merdeka 1, Sukabumi",
}

REPORT = {
    "party_name": "Petugas loket pelayanan KTP",
    "party_position": "Staf pelayanan",
    "title": "Pungutan liar saat mengurus KTP",
    "what": "Saya diminta membayar Rp 50.000 agar KTP saya selesai hari itu juga.",
    "where": "Kantor Disdukcapil, loket 3",
    "when": "Senin, 2 Maret 2026, sekitar pukul 10.00",
    "how": "Petugas menyebut biaya itu 'uang percepatan' dan tidak memberi kuitansi resmi.",
}

CODE_PATTERN = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")


def fill_report(
    page,
    *,
    category,
    unit,
    files: list[Path] = (),
    identity_mode: str = "confidential",
    omit: tuple[str, ...] = (),
) -> None:
    """Fill the report form as a careful reporter would, leaving out ``omit``."""
    page.check(f"input[name=identity_mode][value={identity_mode}]")
    if identity_mode != "anonymous":
        for name, value in IDENTITY.items():
            page.fill(f"#id_{name}", value)
        page.check("#id_consent")
    page.check(f"input[name=category][value='{category.pk}']")
    page.select_option("#id_unit", str(unit.pk))
    for name, value in REPORT.items():
        if name not in omit:
            page.fill(f"#id_{name}", value)
    if files:
        page.set_input_files("#id_evidence", [str(path) for path in files])
    if "declaration" not in omit:
        page.check("#id_declaration")


def submit(page, button: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(button)


def read_receipt(page) -> tuple[str, str]:
    """The case number and the access code shown on the receipt."""
    number = page.locator(".code-box .number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"PKR-\d{4}-\d{5}", number), number
    assert CODE_PATTERN.fullmatch(code), code
    return number, code


def open_followup(page, base_url: str, code: str) -> None:
    page.goto(base_url + "/pantau/masuk/")
    page.fill("#id_code", code)
    submit(page)


class _ConsoleErrors(list):
    """Console errors, minus Chromium's note about an error status the test expects."""

    def __init__(self, statuses: tuple[int, ...]) -> None:
        super().__init__()
        self.notes = tuple(f"the server responded with a status of {status} " for status in statuses)

    def append(self, message: str) -> None:
        if not any(note in message for note in self.notes):
            super().append(message)


def expect_error_status(page, *statuses: int) -> None:
    """The test means to get these statuses (a form with errors answers 400,
    an unknown page 404): Chromium logs each as a console error, which is not
    a fault of the page. Every other console error still fails the test."""
    page.watch.console_errors = _ConsoleErrors(statuses)
