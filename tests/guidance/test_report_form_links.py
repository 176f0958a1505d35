"""Each part of the report form links to the part of the guidance that explains it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_every_section_of_the_report_form_links_to_an_existing_part_of_the_guidance(client, categories, unit):
    form = client.get("/lapor/").content.decode()
    guidance = client.get("/panduan/").content.decode()
    sections = re.findall(r'<section aria-labelledby="(s-[\w-]+)">(.*?)</section>', form, re.S)
    assert len(sections) == 5
    for name, body in sections:
        links = re.findall(r'<a href="/panduan/#([\w-]+)" target="_blank" rel="noopener">', body)
        assert len(links) == 1, name
        assert f'<section id="{links[0]}"' in guidance, links[0]


def test_the_links_say_they_open_a_new_tab_so_nothing_typed_is_lost(client, categories, unit):
    client.cookies["django_language"] = "en"
    form = client.get("/lapor/").content.decode()
    assert form.count("(opens in a new tab)</a>") == 5
