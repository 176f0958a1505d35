"""The public statistics page and its open-data downloads."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from pakar.cases.models import Category, Status

pytestmark = pytest.mark.django_db

PAGE = "/statistik/"


def this_month(day: int):
    now = timezone.localtime()
    return now.replace(day=min(day, now.day), hour=8, minute=0, second=0, microsecond=0)


@pytest.fixture
def boundary(make_case):
    """4, 5 and 6 reports this month in three categories."""
    for category, count in (("gratification", 4), ("public-service", 5), ("corruption", 6)):
        for _ in range(count):
            make_case(this_month(1), category)


def category_row(html: str, name: str) -> str:
    table = html[html.index("<caption>Reports received per category</caption>") :]
    found = re.search(rf"<th scope=\"row\">{re.escape(name)}</th><td>([^<]*)</td>", table)
    assert found, name
    return found.group(1)


def test_the_page_shows_4_as_below_5_and_5_and_6_as_they_are(client, boundary, categories):
    html = client.get(PAGE).content.decode()
    assert category_row(html, categories["gratification"].name_en) == "&lt; 5"
    assert category_row(html, categories["public-service"].name_en) == "5"
    assert category_row(html, categories["corruption"].name_en) == "6"


def test_the_downloads_suppress_the_same_way(client, boundary):
    rows = list(csv.DictReader(io.StringIO(client.get(PAGE + "unduh/laporan-per-bulan.csv").content.decode())))
    totals = {row["category"]: row["count"] for row in rows if row["month"] == "total"}
    assert (totals["gratification"], totals["public-service"], totals["corruption"]) == ("< 5", "5", "6")
    data = json.loads(client.get(PAGE + "unduh/statistik.json").content)
    totals = data["received"]["cells"]["total"]
    assert totals["gratification"] == {"count": None, "suppressed": "small"}
    assert totals["public-service"] == {"count": 5}
    assert totals["corruption"] == {"count": 6}


def test_charts_are_accessible_svg_drawn_on_the_server_with_their_table(client, boundary):
    html = client.get(PAGE).content.decode()
    charts = re.findall(
        r"<svg class=\"chart\" id=\"([\w-]+)\" role=\"img\" aria-labelledby=\"([\w-]+)\" aria-describedby=\"([\w-]+)\"",
        html,
    )
    assert [c[0] for c in charts] == ["chart-months", "chart-categories", "chart-status", "chart-satisfaction"]
    for chart_id, title_id, desc_id in charts:
        assert (title_id, desc_id) == (f"{chart_id}-title", f"{chart_id}-desc")
        assert f'<title id="{title_id}">' in html and f'<desc id="{desc_id}">' in html
    assert "The largest is" in html
    assert html.count('<table class="data') >= 4
    assert "<script" not in html.split("</head>")[1]  # nothing drawn by JavaScript
    assert " style=" not in html
    # Coordinates are numbers in any language (Indonesian writes 26,7 for 26.7).
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', html)


def test_a_suppressed_value_gets_no_bar(client, make_case):
    for _ in range(4):
        make_case(this_month(1), "drugs")
    html = client.get(PAGE).content.decode()
    chart = html[html.index('id="chart-categories"') : html.index("</svg>", html.index('id="chart-categories"'))]
    assert "<rect" not in chart
    assert "below the publication threshold" in chart


def test_the_page_names_no_case(client, boundary):
    from pakar.cases.models import Case

    html = client.get(PAGE).content.decode()
    assert not any(number in html for number in Case.objects.values_list("number", flat=True))


def test_the_summary_download_has_every_measure(client, boundary):
    rows = dict(csv.reader(io.StringIO(client.get(PAGE + "unduh/ringkasan.csv").content.decode())))
    assert rows["reports_concluded"] == "< 5"
    assert rows["consultations_answer_deadline_working_days"] == "5"
    assert rows["reports_median_working_days_to_conclusion"] == ""
    assert rows["satisfaction_ratings"] == "< 5"
    assert rows["satisfaction_average_out_of_5"] == ""


def test_downloads_are_attachments_with_their_type(client, boundary):
    response = client.get(PAGE + "unduh/status.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="pakar-status.csv"'
    assert client.get(PAGE + "unduh/statistik.json")["Content-Type"].startswith("application/json")
    assert client.get(PAGE + "unduh/tidak-ada.csv").status_code == 404


def test_a_category_name_cannot_become_a_spreadsheet_formula(client, make_case, categories):
    Category.objects.filter(pk=categories["drugs"].pk).update(name_id='=HYPERLINK("http://x.test")')
    content = client.get(PAGE + "unduh/laporan-per-bulan.csv").content.decode()
    assert "'=HYPERLINK" in content
    assert ",=HYPERLINK" not in content


def test_new_reports_appear_once_their_transaction_commits(client, make_case, django_capture_on_commit_callbacks):
    assert 'id="fig-concluded"' in client.get(PAGE).content.decode()  # figures now cached
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(7):
            make_case(this_month(1), "corruption", Status.RECEIVED)
    data = json.loads(client.get(PAGE + "unduh/statistik.json").content)
    assert data["received"]["cells"]["total"]["total"] == {"count": 7}


def test_recent_figures_are_served_from_the_cache_between_changes(client, make_case, settings):
    settings.PAKAR_STATS_MIN_AGE_SECONDS = 3600
    client.get(PAGE)  # computed and cached with no case
    for _ in range(7):
        make_case(this_month(1), "corruption")  # no commit in this test: the figures stay marked fresh
    data = json.loads(client.get(PAGE + "unduh/statistik.json").content)
    assert data["received"]["cells"]["total"]["total"]["suppressed"] == "small"
    call_command("refresh_statistics", stdout=io.StringIO())
    data = json.loads(client.get(PAGE + "unduh/statistik.json").content)
    assert data["received"]["cells"]["total"]["total"] == {"count": 7}


def test_the_page_follows_the_visitors_language(client, boundary, categories):
    english = client.get(PAGE).content.decode()
    assert categories["corruption"].name_en in english and categories["corruption"].name_id not in english
    client.cookies["django_language"] = "id"
    indonesian = client.get(PAGE).content.decode()
    assert categories["corruption"].name_id in indonesian and categories["corruption"].name_en not in indonesian
    with translation.override("id"):
        assert gettext("Public statistics") in indonesian


def test_the_worker_task_refreshes_the_figures(client, make_case, settings):
    from pakar.reports.tasks import refresh_statistics_task

    settings.PAKAR_STATS_MIN_AGE_SECONDS = 3600
    client.get(PAGE)
    for _ in range(5):
        make_case(this_month(1), "drugs")
    refresh_statistics_task.call()
    data = json.loads(client.get(PAGE + "unduh/statistik.json").content)
    assert data["received"]["cells"]["total"]["drugs"] == {"count": 5}
