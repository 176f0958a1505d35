from __future__ import annotations

from typing import Any

from django import template

from pakar.notify.services import outbox_health

register = template.Library()


@register.inclusion_tag("notify/_outbox_health.html")
def outbox_status() -> dict[str, Any]:
    """The outbox counts for the administration page: failed notices need a look at the mail server."""
    return outbox_health()
