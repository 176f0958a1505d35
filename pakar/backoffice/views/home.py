"""The staff home: each person lands where their roles take them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from pakar.backoffice.access import any_staff_required
from pakar.backoffice.pages import nav_items, render_page


@any_staff_required
def home(request: HttpRequest) -> HttpResponse:
    items = nav_items(request)
    # The audit log is a place to look things up, not to work from: it does not count.
    work = [item for item in items if item["key"] != "audit"]
    if len(work) == 1:
        return redirect(work[0]["url"])
    return render_page(request, "backoffice/home.html", {"items": items})
