"""PAKAR's URLs plus the benchmark's yardstick view (only when PAKAR_BENCH=1)."""

from __future__ import annotations

import os
from typing import cast

from django.urls import URLPattern, URLResolver, path

from bench.views import minimal
from pakar.urls import handler400, handler404, handler500
from pakar.urls import urlpatterns as pakar_urlpatterns

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]

urlpatterns = cast(list[URLPattern | URLResolver], list(pakar_urlpatterns))
if os.environ.get("PAKAR_BENCH") == "1":
    urlpatterns.append(path("__bench/min", minimal, name="bench_minimal"))
