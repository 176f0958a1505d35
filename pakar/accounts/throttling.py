"""Sign-in throttling that cannot lock a whole office out.

Offices reach PAKAR through one NAT address, so limits keyed only by address
let one person (or one attacker) shut out every colleague. Two limits instead:

- per account: after ``ACCOUNT_FREE_FAILURES`` wrong passwords the account
  waits before its next attempt, doubling each time (30 s, 1 min, 2 min, ...
  at most 15 min). Only that account waits; a right password resets it.
- per client: a keyed hash of the address (never the address) may fail
  ``CLIENT_FAILURE_LIMIT`` times per window — high enough that a busy office
  never meets it, low enough to stop one machine guessing many accounts.

The second factor has its own per-device back-off in django-otp.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from pakar.common.throttle import client_tag
from pakar.vault.keys import throttle_key

ACCOUNT_FREE_FAILURES = 5
ACCOUNT_FIRST_WAIT = 30
ACCOUNT_MAX_WAIT = 15 * 60
CLIENT_FAILURE_LIMIT = 100
CLIENT_WINDOW = 15 * 60
_KEEP = 24 * 60 * 60


@dataclass(frozen=True)
class Refusal:
    scope: str  # "account" or "client"
    wait_seconds: int


def _account_key(username: str) -> str:
    # Keyed, so the cache does not list who tried to sign in.
    digest = hmac.new(throttle_key(), f"login|{username.strip().lower()}".encode(), hashlib.sha256)
    return f"login:account:{digest.hexdigest()[:32]}"


def _client_key(request: HttpRequest) -> str:
    return f"login:client:{client_tag(request, CLIENT_WINDOW)}"


def check(request: HttpRequest, username: str) -> Refusal | None:
    """Whether this attempt may be tried at all (before the password is checked)."""
    client_failures = cache.get(_client_key(request), 0)
    if client_failures >= CLIENT_FAILURE_LIMIT:
        return Refusal("client", CLIENT_WINDOW)
    state = cache.get(_account_key(username))
    if state:
        wait = int(state["until"] - time.time())
        if wait > 0:
            return Refusal("account", wait)
    return None


def account_wait(failures: int) -> int:
    """Seconds the account waits after ``failures`` wrong passwords in a row."""
    if failures < ACCOUNT_FREE_FAILURES:
        return 0
    return int(min(ACCOUNT_FIRST_WAIT * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_WAIT))


def failed(request: HttpRequest, username: str) -> int:
    """Count a wrong password for the account and the client; returns the account's wait."""
    key = _account_key(username)
    state = cache.get(key) or {"failures": 0, "until": 0}
    failures = state["failures"] + 1
    wait = account_wait(failures)
    cache.set(key, {"failures": failures, "until": time.time() + wait}, timeout=_KEEP)
    client = _client_key(request)
    if not cache.add(client, 1, timeout=CLIENT_WINDOW):
        try:
            cache.incr(client)
            cache.touch(client, timeout=CLIENT_WINDOW)
        except ValueError:
            cache.set(client, 1, timeout=CLIENT_WINDOW)
    return wait


def succeeded(username: str) -> None:
    cache.delete(_account_key(username))
