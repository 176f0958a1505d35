"""Who may open what in the consultation back office, decided here only.

Pages need the consultation-officer role (the back office's own decorator:
not signed in → sign-in page, signed in without the role → 403). A
consultation or FAQ entry that does not exist is "not found".
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest

from pakar.accounts.models import Role, User
from pakar.backoffice.access import roles_required, staff
from pakar.consultations.models import Consultation, FaqEntry

_NUMBER = re.compile(r"KON-\d{4}-\d{5}")

officer_required = roles_required(Role.CONSULTATION)
# Topics are reference data: the administrator (like categories) and the officers who use them.
topic_editor_required = roles_required(Role.ADMINISTRATOR, Role.CONSULTATION)


def acting_officer(request: HttpRequest) -> User:
    """The signed-in officer of a request that passed ``officer_required``."""
    return staff(request)


def is_consultation_officer(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.has_role(Role.CONSULTATION)


def consultation_for(user: Any, number: str) -> Consultation:
    """The consultation, or 404 for a missing one and for anyone who is not an officer alike."""
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
