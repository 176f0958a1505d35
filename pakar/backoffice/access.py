"""Who may open which back-office page. Every view is wrapped by one of these.

- Not signed in: sent to the sign-in page.
- Signed in without the role a page needs: 403 with a plain explanation.
- A case the person may not see (or that does not exist): 404, the same answer for both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from pakar.accounts import two_factor
from pakar.accounts.models import Role, User
from pakar.cases import access as case_access
from pakar.cases.models import Case

View = Callable[..., HttpResponseBase]
_NUMBER = re.compile(r"PKR-\d{4}-\d{5,}")


def staff(request: HttpRequest) -> User:
    """The signed-in staff member of a request that passed one of the decorators."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def roles_required(*roles: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = staff(request)
            if not (user.is_active and user.has_role(*roles)):
                raise PermissionDenied
            if not two_factor.is_verified(request):  # the second factor was given in this session
                return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor"))
            request.no_store = True  # type: ignore[attr-defined]  # pages with case data are never cached
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


case_roles_required = roles_required(*case_access.CASE_ROLES)
admin_required = roles_required(Role.ADMINISTRATOR)
intake_required = roles_required(Role.INTAKE)


def any_staff_required(view: View) -> View:
    return roles_required(*Role.values)(view)


def case_for(request: HttpRequest, number: str) -> Case:
    """The case a staff member may see, or 404 — for a missing and a forbidden case alike."""
    if not _NUMBER.fullmatch(number):
        raise Http404
    found = (
        case_access.visible_cases(staff(request))
        .select_related("category", "unit", "assignee", "assigned_team", "merged_into")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise Http404
    return found
