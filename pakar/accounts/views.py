"""Staff sign-in and sign-out: the one place every way into the back office goes through.

Today a username and password; two-factor authentication and throttling are
added here (``_authenticate`` and ``_complete_login``) without touching the
views that need a signed-in user.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from pakar.accounts import throttling, two_factor
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

    def refuse(self, message: str) -> None:
        """Show ``message`` without validating: a throttled attempt's password is never checked."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self.add_error(None, message)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("backoffice:home")


def client_hash(request: HttpRequest) -> str:
    """The staff member's address as a keyed hash that changes daily: attempts from
    one place can be told apart for a day, the address itself is never kept."""
    return client_tag(request, CLIENT_HASH_WINDOW)


def _second_step(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": _next_url(request)})
    return redirect(f"{reverse('accounts:two_factor')}?{query}")


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    """The password was right: the session knows the person, but every staff
    page stays closed until the second factor is verified too."""
    login(request, user)  # rotates the session key
    return _second_step(request)


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
        return redirect(_next_url(request)) if two_factor.is_verified(request) else _second_step(request)
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username = str(request.POST.get("username", ""))[:150]
        refusal = throttling.check(request, username)
        if refusal is not None:
            return _throttled(request, form, username, refusal)
        if form.is_valid():
            user = form.get_user()
            assert isinstance(user, User)
            throttling.succeeded(username)
            return _complete_login(request, user)
        throttling.failed(request, username)
        _record_failure(request, username)
        return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=400)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _throttled(request: HttpRequest, form: StaffLoginForm, username: str, refusal: throttling.Refusal) -> HttpResponse:
    """Refuse without checking the password; only the paused account (or machine) waits."""
    minutes = max(1, -(-refusal.wait_seconds // 60))
    if refusal.scope == "account":
        message = ngettext(
            "Too many wrong passwords for this account. Try again in %(minutes)d minute.",
            "Too many wrong passwords for this account. Try again in %(minutes)d minutes.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many failed sign-ins from this device. Try again in %(minutes)d minute.",
            "Too many failed sign-ins from this device. Try again in %(minutes)d minutes.",
            minutes,
        )
    form.refuse(message % {"minutes": minutes})
    account = User.objects.filter(username=username).first() if username else None
    data = {"client": client_hash(request), "scope": refusal.scope, "wait": refusal.wait_seconds}
    record(AuditEvent.LOGIN_THROTTLED, actor=account, data=data)
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record(AuditEvent.LOGGED_OUT, actor=request.user)
    logout(request)
    return redirect("accounts:login")


def _token_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. If you lost your phone, use one of your backup codes."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    otp_token = _token_field()


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    otp_token = _token_field()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password" in data and "otp_token" in data:
            # One message for either mistake: which one was wrong is not said.
            if not (
                self.user.check_password(data["password"])
                and two_factor.verify_second_factor(self.user, data["otp_token"])
            ):
                raise forms.ValidationError(_("The password or the code is not right."), code="invalid")
        return data


@never_cache
@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator, or enrolment the first time."""
    user = request.user
    assert isinstance(user, User)
    if two_factor.is_verified(request):
        return redirect(_next_url(request))
    if not two_factor.has_two_factor(user):
        return _enrol(request, user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_second_factor(user, form.cleaned_data["otp_token"])
        if device is not None:
            return _verified(
                request, user, device, method="backup" if device.name == two_factor.BACKUP_NAME else "totp"
            )
        form.add_error("otp_token", _("This code is not right. Codes change every 30 seconds; try the current one."))
        record(AuditEvent.LOGIN_FAILED, actor=user, data={"client": client_hash(request), "step": "second_factor"})
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def _verified(request: HttpRequest, user: User, device: Any, *, method: str) -> HttpResponse:
    with transaction.atomic():
        otp_login(request, device)
        mark_authenticated(request)
        record(AuditEvent.LOGIN_SUCCEEDED, actor=user, data={"client": client_hash(request), "method": method})
    return redirect(_next_url(request))


def _enrol(request: HttpRequest, user: User) -> HttpResponse:
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(device, form.cleaned_data["otp_token"], actor=user)
        if codes is not None:
            with transaction.atomic():
                otp_login(request, device)
                mark_authenticated(request)
                data = {"client": client_hash(request), "method": "enrolment"}
                record(AuditEvent.LOGIN_SUCCEEDED, actor=user, data=data)
            # Shown once, in this response only: never stored readable, never shown again.
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("otp_token", _("This code is not right. Check the time on your phone and try the current code."))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr": mark_safe(two_factor.qr_svg(device)),  # noqa: S308  # SVG we drew from our own data
        "secret": two_factor.secret_base32(device),
    }
    return render(request, "accounts/enrol.html", context, status=400 if form.errors else 200)


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
