"""Cached statistics: computed rarely, served from the cache.

- Any change that can move a figure (a new case, a status change, a
  consultation answered) marks the figures stale, after its transaction
  commits (:mod:`pakar.reports.signals`).
- A stale result is recomputed by the next visitor, but not more than once
  a minute however busy the portal is, and by one process at a time (a cache
  lock); the others keep serving the previous figures meanwhile.
- Writes that bypass signals (bulk updates) are picked up at the latest after
  ``PAKAR_STATS_REFRESH_SECONDS``; ``manage.py refresh_statistics`` recomputes
  at once (for a periodic job).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from pakar.reports.aggregates import compute_statistics

DATA_KEY = "pakar:stats:v1:data"
FRESH_KEY = "pakar:stats:v1:fresh"
LOCK_KEY = "pakar:stats:v1:lock"


def refresh_seconds() -> int:
    return int(getattr(settings, "PAKAR_STATS_REFRESH_SECONDS", 600))


def min_age_seconds() -> int:
    return int(getattr(settings, "PAKAR_STATS_MIN_AGE_SECONDS", 60))


def mark_stale() -> None:
    cache.delete(FRESH_KEY)


def refresh_statistics() -> dict[str, Any]:
    data = compute_statistics()
    cache.set(DATA_KEY, {"at": time.time(), "data": data}, timeout=None)
    cache.set(FRESH_KEY, 1, timeout=refresh_seconds())
    return data


def current_statistics() -> dict[str, Any]:
    entry = cache.get(DATA_KEY)
    if entry is not None and (cache.get(FRESH_KEY) or time.time() - entry["at"] < min_age_seconds()):
        return dict(entry["data"])
    if not cache.add(LOCK_KEY, 1, timeout=120):
        if entry is not None:  # another process is recomputing; the previous figures will do
            return dict(entry["data"])
        return compute_statistics()
    try:
        return refresh_statistics()
    finally:
        cache.delete(LOCK_KEY)
