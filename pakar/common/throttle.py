"""Throttling without storing who the client is.

A client is known only by a keyed hash of its address, and the key changes
every window, so the cache holds short-lived values that cannot be turned back
into addresses nor linked across windows.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest

from pakar.vault.keys import throttle_key


def client_address(request: HttpRequest) -> str:
    header = settings.PAKAR_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        if value:
            return str(value).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def client_tag(request: HttpRequest, window: int) -> str:
    bucket = int(time.time() // window)
    message = f"{bucket}|{client_address(request)}".encode()
    return hmac.new(throttle_key(), message, hashlib.sha256).hexdigest()[:32]


def allow(scope: str, request: HttpRequest, *, limit: int, window: int) -> bool:
    """Count one attempt; False once the client has used up ``limit`` in ``window`` seconds."""
    key = f"throttle:{scope}:{client_tag(request, window)}"
    with _counting_lock():
        if cache.add(key, 1, timeout=window):
            return True
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
            return True
        # incr() rewrites the entry with the cache's default timeout (5 minutes
        # for the file cache): put the window back, or the count would vanish
        # before the window ends. The key names its window, so it cannot outlive it.
        cache.touch(key, timeout=window)
    return count <= limit


@contextmanager
def _counting_lock() -> Iterator[None]:
    """Serialise counting on the file cache, whose add() and incr() are a read
    then a write: parallel attempts (threads or worker processes) would
    otherwise lose counts and get past the limit. Redis counts atomically."""
    if not isinstance(caches["default"], FileBasedCache):
        yield
        return
    directory = str(settings.CACHES["default"]["LOCATION"])  # shared by every worker on this host
    os.makedirs(directory, mode=0o700, exist_ok=True)
    # Not a *.djcache file, so cache.clear() and culling leave it alone.
    with open(os.path.join(directory, "throttle.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
