"""Who may open what in the consultation back office, decided here only.

Until the staff login of pakar/accounts grows its own decorators, a signed-in
user with the consultation-officer role is enough. Anyone else gets "not
found", the same answer as for a consultation that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from pakar.accounts.models import Role, User
from pakar.consultations.models import Consultation, FaqEntry

_NUMBER = re.compile(r"KON-\d{4}-\d{5}")


def is_consultation_officer(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.has_role(Role.CONSULTATION)


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_consultation_officer(request.user):
            raise Http404
        request.no_store = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def acting_officer(request: HttpRequest) -> User:
    """The signed-in officer of a request that passed ``officer_required``."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def consultation_for(user: Any, number: str) -> Consultation:
    if not _NUMBER.fullmatch(number):  # also keeps garbage (a NUL byte) away from the database
        raise Http404
    found = Consultation.objects.select_related("topic").filter(number=number).first()
    if found is None or not is_consultation_officer(user):
        raise Http404
    return found


def faq_entry_for(user: Any, pk: int) -> FaqEntry:
    found = FaqEntry.objects.select_related("topic", "source").filter(pk=pk).first()
    if found is None or not is_consultation_officer(user):
        raise Http404
    return found
