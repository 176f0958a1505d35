from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale security token: explain, never lose the visitor's trust."""
    return render(
        request,
        "common/error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your security this form could not be accepted: it was open too long, "
                "or your browser blocked cookies. Go back, reload the page and send it again."
            ),
        },
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "common/error.html",
        {"title": _("Request not understood"), "message": _("The request could not be read. Please try again.")},
        status=400,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "common/error.html",
        {"title": _("Page not found"), "message": _("The page you asked for does not exist.")},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "common/error.html",
        {"title": _("Something went wrong"), "message": _("Please try again in a few minutes.")},
        status=500,
    )
