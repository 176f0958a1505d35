"""Staff sign-in and sign-out: the one place every way into the back office goes through.

Today a username and password; two-factor authentication and throttling are
added here (``_authenticate`` and ``_complete_login``) without touching the
views that need a signed-in user.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from pakar.accounts.models import User
from pakar.accounts.reauth import mark_authenticated
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.common.throttle import client_tag

CLIENT_HASH_WINDOW = 24 * 60 * 60


class StaffLoginForm(AuthenticationForm):
    """Username and password; refuses accounts without any staff role."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.roles():
            raise self.get_invalid_login_error()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("backoffice:home")


def client_hash(request: HttpRequest) -> str:
    """The staff member's address as a keyed hash that changes daily: attempts from
    one place can be told apart for a day, the address itself is never kept."""
    return client_tag(request, CLIENT_HASH_WINDOW)


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    with transaction.atomic():
        login(request, user)  # rotates the session key
        record(AuditEvent.LOGIN_SUCCEEDED, actor=user, data={"client": client_hash(request)})
    return redirect(_next_url(request))


def _record_failure(request: HttpRequest, username: str) -> None:
    # The account is named only when it exists: a mistyped name may be a password.
    account = User.objects.filter(username=username).first() if username else None
    data = {"client": client_hash(request), "known_account": account is not None}
    record(AuditEvent.LOGIN_FAILED, actor=account, data=data)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            assert isinstance(user, User)
            return _complete_login(request, user)
        _record_failure(request, str(request.POST.get("username", ""))[:150])
        return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=400)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record(AuditEvent.LOGGED_OUT, actor=request.user)
    logout(request)
    return redirect("accounts:login")


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="invalid")
        return password


@never_cache
@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm who you are again before a sensitive step."""
    user = request.user
    assert isinstance(user, User)
    form = ReauthForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                mark_authenticated(request)
                record(AuditEvent.REAUTHENTICATED, actor=user, data={"client": client_hash(request)})
            return redirect(_next_url(request))
        record(AuditEvent.REAUTHENTICATION_FAILED, actor=user, data={"client": client_hash(request)})
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/reauth.html", context, status=400 if form.errors else 200)
