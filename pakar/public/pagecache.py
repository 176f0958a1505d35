"""The empty report form, rendered once and reused.

The empty form is the same for every visitor but for three values: the CSRF
token, the one-time form token and the CSP nonce. Rendering its hundred-odd
widgets costs far more than the rest of the request, so each process keeps
the page per language, rendered with placeholders, and fills in the three
values per request. Categories and units change rarely: a change seen by
this process drops its copy at once, and other processes' copies expire
within ``TTL_SECONDS``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django.utils.translation import get_language

TTL_SECONDS = 60
_CSRF = "pakar-placeholder-csrf-" + secrets.token_hex(8)
_NONCE = "pakar-placeholder-nonce-" + secrets.token_hex(8)
_FORM_TOKEN = "pakar-placeholder-form-" + secrets.token_hex(8)

_pages: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def form_token_placeholder() -> str:
    return _FORM_TOKEN


def render_empty_form(request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]) -> str:
    """The page for a fresh visitor, from this process's copy when it is recent."""
    key = f"{template}|{get_language()}"
    now = time.monotonic()
    with _lock:
        cached = _pages.get(key)
    if cached is None or now - cached[0] > TTL_SECONDS:
        page = render_to_string(template, {**context(), "csrf_token": _CSRF, CSP_CONTEXT_KEY: _NONCE}, request=request)
        cached = (now, page)
        with _lock:
            _pages[key] = cached
    nonce = get_nonce(request)  # lazy: false until read, so test for None, not truth
    return (
        cached[1]
        .replace(_CSRF, get_token(request))
        .replace(_NONCE, "" if nonce is None else str(nonce))
        .replace(_FORM_TOKEN, secrets.token_urlsafe(24))
    )


def forget_pages(**kwargs: Any) -> None:
    with _lock:
        _pages.clear()


def connect_invalidation() -> None:
    from pakar.cases.models import Category
    from pakar.org.models import Unit

    for model in (Category, Unit):
        post_save.connect(forget_pages, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(forget_pages, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
