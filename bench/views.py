"""The smallest Django view, as the yardstick for page throughput.

Only reachable through bench/urls.py, which only the benchmark server loads
(bench.wsgi with PAKAR_BENCH=1); the product's own URLs never include it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
