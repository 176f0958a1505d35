"""Recent authentication: the sensitive steps ask for the password (and the
second factor) again if the last proof is older than ten minutes.

The time of the last proof is kept in the session, set on every sign-in
(``user_logged_in``) and on every confirmation at the re-authentication page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

SESSION_KEY = "pakar_auth_at"
RECENT_SECONDS = 10 * 60

View = Callable[..., HttpResponseBase]


def mark_authenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def is_recent(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and 0 <= time.time() - at <= RECENT_SECONDS


def require_recent_auth(view: View) -> View:
    """Send the person to confirm who they are first when the last proof is old.

    A POST is not replayed after the confirmation: the person returns to the
    page (the ``next`` of a GET) and submits again, knowingly.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not is_recent(request):
            target = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
            query = urlencode({"next": target}) if target else ""
            return HttpResponseRedirect(reverse("accounts:reauth") + (f"?{query}" if query else ""))
        return view(request, *args, **kwargs)

    return wrapper


@receiver(user_logged_in, dispatch_uid="pakar.accounts.reauth.mark")
def _mark_on_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)
