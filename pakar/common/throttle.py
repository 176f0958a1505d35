"""Throttling without storing who the client is.

A client is known only by a keyed hash of its address, and the key changes
every window, so the cache holds short-lived values that cannot be turned back
into addresses nor linked across windows.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from pakar.vault.keys import throttle_key


def client_address(request: HttpRequest) -> str:
    header = settings.PAKAR_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def client_tag(request: HttpRequest, window: int) -> str:
    bucket = int(time.time() // window)
    message = f"{bucket}|{client_address(request)}".encode()
    return hmac.new(throttle_key(), message, hashlib.sha256).hexdigest()[:32]


def allow(scope: str, request: HttpRequest, *, limit: int, window: int) -> bool:
    """Count one attempt; False once the client has used up ``limit`` in ``window`` seconds."""
    key = f"throttle:{scope}:{client_tag(request, window)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
