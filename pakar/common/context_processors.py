from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def branding(request: HttpRequest) -> dict[str, str]:
    return {"ORGANISATION": settings.PAKAR_ORGANISATION}
