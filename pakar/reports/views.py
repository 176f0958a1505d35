"""Public statistics: the page, and the same figures as CSV and JSON open data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pakar.reports import presentation
from pakar.reports.aggregates import TOTAL
from pakar.reports.store import current_statistics

# Cells that start like a formula are neutralised, so a spreadsheet opening
# the download never runs an administrator-edited category name as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/statistics.html", presentation.page_context(current_statistics()))


@require_GET
def statistics_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(current_statistics(), ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="pakar-statistik.json"'
    return response


def _received_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["month", "category", "category_name_id", "category_name_en", "count"]
    categories = {c["code"]: c for c in data["categories"]}
    for month, row in data["received"]["cells"].items():
        for code, cell in row.items():
            category = categories.get(code, {"name_id": "", "name_en": ""})
            yield [month, code, category["name_id"], category["name_en"], _value(cell, data)]


def _status_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["status", "label", "count"]
    for code, cell in data["status"]["cells"].items():
        yield [code, "" if code == TOTAL else presentation.status_label(code), _value(cell, data)]


def _summary_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["measure", "value"]
    conclusion, consultations = data["conclusion"], data["consultations"]
    yield ["period_from", data["period"]["from"]]
    yield ["period_to", data["period"]["to"]]
    yield ["reports_concluded", _value(conclusion["concluded"], data)]
    yield ["reports_median_working_days_to_conclusion", _optional(conclusion["median_working_days"])]
    yield ["reports_share_concluded_within_deadline_percent", _optional(conclusion["share_within_deadline"])]
    yield ["consultations_received", _value(consultations["received"], data)]
    yield ["consultations_answered", _value(consultations["answered"], data)]
    yield ["consultations_median_working_days_to_answer", _optional(consultations["median_working_days"])]
    yield ["consultations_answer_deadline_working_days", consultations["deadline_days"]]
    yield ["consultations_share_answered_within_deadline_percent", _optional(consultations["share_within_deadline"])]
    yield ["satisfaction_ratings", _value(data["satisfaction"]["cells"][TOTAL], data)]
    yield ["satisfaction_average_out_of_5", _optional(data["satisfaction"]["average"])]


def _satisfaction_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["rating", "count"]
    for rating, cell in data["satisfaction"]["cells"].items():
        yield [rating, _value(cell, data)]


DATASETS = {
    "laporan-per-bulan": _received_rows,
    "status": _status_rows,
    "ringkasan": _summary_rows,
    "kepuasan": _satisfaction_rows,
}


def _value(cell: dict[str, Any], data: dict[str, Any]) -> str:
    return presentation.cell_text(cell, int(data["minimum"]), plain=True)


def _optional(value: float | None) -> str:
    return "" if value is None else str(value)


def _safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@require_GET
def statistics_csv(request: HttpRequest, dataset: str) -> HttpResponse:
    rows = DATASETS.get(dataset)
    if rows is None:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(current_statistics()):
        writer.writerow([_safe(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pakar-{dataset}.csv"'
    return response
