"""``{% reporter_decisions case as view %}`` for the reporter's follow-up page."""

from __future__ import annotations

from typing import Any

from django import template

from pakar.cases.models import Case
from pakar.cases.reporter import reporter_view

register = template.Library()


@register.simple_tag
def reporter_decisions(case: Case) -> dict[str, Any]:
    return reporter_view(case)
