"""Staff sign-in and sign-out: the one place every way into the back office goes through.

Today a username and password; two-factor authentication and throttling are
added here (``_authenticate`` and ``_complete_login``) without touching the
views that need a signed-in user.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from pakar.accounts.models import User


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


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user)  # rotates the session key
    return redirect(_next_url(request))


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
        return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=400)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")
