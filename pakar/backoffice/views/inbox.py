"""The inbox: the cases a person may see, filtered, searched, sorted and paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pakar.backoffice import inbox as query
from pakar.backoffice.access import case_roles_required, staff
from pakar.backoffice.pages import render_page


@case_roles_required
def inbox(request: HttpRequest) -> HttpResponse:
    choices = query.Choices.load()
    form = query.InboxFilterForm(request.GET or None, choices=choices)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    now = timezone.now()
    cases = query.filtered_cases(staff(request), params, now)
    paginator = Paginator(query.page_rows(cases), query.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = query.table_rows(list(page.object_list), choices, now)
    kept = request.GET.copy()
    kept.pop("page", None)
    return render_page(
        request,
        "backoffice/inbox.html",
        {
            "form": form,
            "selects": query.select_filters(form),
            "page": page,
            "rows": rows,
            "query": kept.urlencode(),
        },
        section="inbox",
        status=200 if not form.is_bound or form.is_valid() else 400,
    )
