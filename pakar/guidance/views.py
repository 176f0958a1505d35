"""The guidance page (panduan): how to report well and safely."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pakar.cases.models import Category
from pakar.guidance import facts

# Anchor ids of the sections, so other pages (the report form) can link to them.
SECTIONS = (
    "kategori",
    "menulis-4w1h",
    "bukti",
    "identitas",
    "perlindungan-hukum",
    "laporan-palsu",
    "kode-akses",
    "setelah-mengirim",
)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": Category.objects.filter(is_active=True),
        "deadlines": facts.deadlines(),
        "statuses": facts.statuses(),
        "files": facts.file_limits(),
    }
    return render(request, "guidance/index.html", context)
