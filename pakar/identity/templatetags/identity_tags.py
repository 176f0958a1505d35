from __future__ import annotations

from django import template

from pakar.cases.models import Case
from pakar.identity import reveal

register = template.Library()


@register.simple_tag
def identity_disclosed(case: Case) -> bool:
    """Whether to tell the reporter that a custodian disclosed their identity to a handler."""
    return reveal.identity_disclosed(case)
