"""Turn the cached, suppressed figures into what a page or a download shows,
in the visitor's language. Cheap: it runs on every request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pakar.cases.models import Status
from pakar.reports import charts
from pakar.reports.aggregates import TOTAL

SMALL_TEXT = "< {minimum}"


def cell_text(cell: dict[str, Any], minimum: int, *, plain: bool = False) -> str:
    """ "12", "< 5", or (for a count hidden to protect a small one) "hidden"."""
    if cell.get("suppressed") == "small":
        return SMALL_TEXT.format(minimum=minimum)
    if cell.get("suppressed"):
        return "suppressed" if plain else _("hidden")
    value = int(cell["count"])
    return str(value) if plain else formats.number_format(value, force_grouping=True)


def month_label(key: str) -> str:
    year, month = key.split("-")
    return formats.date_format(dt.date(int(year), int(month), 1), "M Y")


def category_names(data: dict[str, Any]) -> dict[str, str]:
    english = (get_language() or "id").startswith("en")
    return {c["code"]: c["name_en"] if english else c["name_id"] for c in data["categories"]}


def status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


def _items(cells: dict[str, dict[str, Any]], labels: dict[str, str], minimum: int) -> list[tuple[str, int | None, str]]:
    return [(labels[key], cells[key].get("count"), cell_text(cells[key], minimum)) for key in labels]


def _largest(items: list[tuple[str, int | None, str]]) -> str:
    shown = [(value, label) for label, value, _text in items if value is not None]
    if not shown:
        return _("Every value is below the publication threshold, so no bar is drawn.")
    value, label = max(shown)
    return _("The largest is %(label)s with %(value)s.") % {"label": label, "value": value}


def page_context(data: dict[str, Any]) -> dict[str, Any]:
    minimum = int(data["minimum"])
    names = category_names(data)
    months = {key: month_label(key) for key in data["months"]}
    received = data["received"]["cells"]
    month_items = _items({m: received[m][TOTAL] for m in months}, months, minimum)
    category_items = _items(received[TOTAL], names, minimum)
    statuses = {code: status_label(code) for code in data["status"]["cells"] if code != TOTAL}
    status_items = _items(data["status"]["cells"], statuses, minimum)
    see_table = _("The same figures are in the table next to the chart.")
    period = {"first": months[data["months"][0]], "last": months[data["months"][-1]]}
    return {
        "data": data,
        "generated_at": dt.datetime.fromisoformat(data["generated_at"]),
        "minimum": minimum,
        "small_text": SMALL_TEXT.format(minimum=minimum),
        "period": period,
        "month_chart": charts.column_chart(
            "chart-months",
            _("Reports received per month"),
            " ".join(
                [
                    _("Column chart of reports received in each month from %(first)s to %(last)s.") % period,
                    _largest(month_items),
                    see_table,
                ]
            ),
            month_items,
        ),
        "category_chart": charts.horizontal_chart(
            "chart-categories",
            _("Reports received per category"),
            " ".join(
                [_("Bar chart of reports received in the period, per category."), _largest(category_items), see_table]
            ),
            category_items,
        ),
        "status_chart": charts.horizontal_chart(
            "chart-status",
            _("Current status of the reports received"),
            " ".join(
                [
                    _("Bar chart of the current status of reports received in the period."),
                    _largest(status_items),
                    see_table,
                ]
            ),
            status_items,
        ),
        "month_rows": month_items,
        "category_rows": category_items,
        "status_rows": status_items,
        "total": cell_text(received[TOTAL][TOTAL], minimum),
        "status_total": cell_text(data["status"]["cells"][TOTAL], minimum),
        "cross": _cross_table(data, names, months, minimum),
        "conclusion": _timeliness(data["conclusion"], minimum, "concluded"),
        "consultations": {
            **_timeliness(data["consultations"], minimum, "answered"),
            "received": cell_text(data["consultations"]["received"], minimum),
        },
        "satisfaction": _satisfaction(data["satisfaction"], minimum),
    }


def rating_labels() -> dict[str, str]:
    return {
        "1": _("1 — very dissatisfied"),
        "2": _("2 — dissatisfied"),
        "3": _("3 — neither"),
        "4": _("4 — satisfied"),
        "5": _("5 — very satisfied"),
    }


def _satisfaction(figures: dict[str, Any], minimum: int) -> dict[str, Any]:
    items = _items(figures["cells"], rating_labels(), minimum)
    average = figures.get("average")
    return {
        "chart": charts.horizontal_chart(
            "chart-satisfaction",
            _("Satisfaction ratings given by reporters"),
            " ".join(
                [
                    _("Bar chart of the ratings from 1 to 5 that reporters gave to the outcome of their report."),
                    _largest(items),
                    _("The same figures are in the table next to the chart."),
                ]
            ),
            items,
        ),
        "rows": items,
        "total": cell_text(figures["cells"][TOTAL], minimum),
        "average": formats.number_format(average, decimal_pos=2) if average is not None else None,
    }


def _cross_table(data: dict[str, Any], names: dict[str, str], months: dict[str, str], minimum: int) -> dict[str, Any]:
    cells = data["received"]["cells"]
    columns = [*names, TOTAL]
    rows = [
        {"label": months.get(m, _("All months")), "cells": [cell_text(cells[m][col], minimum) for col in columns]}
        for m in [*months, TOTAL]
    ]
    return {"headers": [*names.values(), _("Total")], "rows": rows}


def _timeliness(figures: dict[str, Any], minimum: int, count_key: str) -> dict[str, Any]:
    median = figures.get("median_working_days")
    share = figures.get("share_within_deadline")
    return {
        "count": cell_text(figures[count_key], minimum),
        "median": formats.number_format(median, decimal_pos=1) if median is not None else None,
        "share": formats.number_format(share, decimal_pos=1) if share is not None else None,
        "deadline_days": figures.get("deadline_days"),
    }
