"""Identity reveal: an investigator asks, a custodian decides, the investigator sees it for a while.

Design choice and its trade-off: investigators have no key pair. On
approval the custodian's session opens the sealed identity and stores it
under a fresh random *grant key* wrapped by the instance key, with an expiry
(``PAKAR_REVEAL_DAYS``, default 30). While a grant lives, the server can
show the identity to that one investigator without a custodian present —
and so could someone who steals the server with its keys. That exposure is
limited to identities a custodian deliberately revealed, and ends when
:func:`purge_expired_grants` deletes the grant (it also runs before every
look-up, so an expired grant is never used even if the sweep is late).
Every request, decision and view is written to the audit log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import Role, User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.cases.models import Case, IdentityMode
from pakar.identity import sealed
from pakar.identity.models import Custodian, RevealGrant, RevealRequest
from pakar.identity.services import CustodyError, identity_for, unlock
from pakar.vault import decrypt, encrypt, encrypt_json, new_key, wrap_key


def reveal_days() -> int:
    return int(getattr(settings, "PAKAR_REVEAL_DAYS", 30))


def tell_reporter() -> bool:
    return bool(getattr(settings, "PAKAR_REVEAL_TELL_REPORTER", True))


def request_reveal(case: Case, *, actor: User, reason: str) -> RevealRequest:
    if case.identity_mode != IdentityMode.CONFIDENTIAL or case.identity is None:
        raise CustodyError(_("This case has no sealed identity to reveal."))
    if not actor.has_role(Role.INVESTIGATOR):
        raise CustodyError(_("Only an investigator can ask for a reporter's identity."))
    if not reason.strip():
        raise CustodyError(_("Give the reason why the identity is needed."))
    if RevealRequest.objects.filter(case=case, requested_by=actor, state=RevealRequest.State.PENDING).exists():
        raise CustodyError(_("You already have a request waiting for this case."))
    with transaction.atomic():
        request = RevealRequest.objects.create(
            case=case,
            requested_by=actor,
            reason=encrypt(case.case_key(), reason.strip().encode(), purpose="reveal.reason"),
            requested_at=timezone.now(),
        )
        record(AuditEvent.IDENTITY_REVEAL_REQUESTED, actor=actor, case=case, data={"request": request.pk})
    return request


def read_reason(request: RevealRequest) -> str:
    return decrypt(request.case.case_key(), bytes(request.reason), purpose="reveal.reason").decode()


def decide_reveal(request: RevealRequest, *, actor: User, passphrase: str, approve: bool) -> RevealRequest:
    """A custodian's decision, confirmed with their passphrase (checked for a denial too)."""
    custodian = Custodian.objects.filter(user=actor).first()
    if custodian is None:
        raise CustodyError(_("Only an enrolled identity custodian can decide."))
    private_key = unlock(custodian, passphrase)
    identity = sealed.open_identity(request.case, private_key) if approve else None
    now = timezone.now()
    with transaction.atomic():
        locked = RevealRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RevealRequest.State.PENDING:
            raise CustodyError(_("This request has already been decided."))
        state = RevealRequest.State.APPROVED if approve else RevealRequest.State.DENIED
        RevealRequest.objects.filter(pk=request.pk).update(state=state, decided_by=actor, decided_at=now)
        if identity is not None:
            grant_key = new_key()
            RevealGrant.objects.create(
                request=locked,
                wrapped_key=wrap_key(grant_key),
                identity=encrypt_json(grant_key, identity, purpose="reveal.identity"),
                expires_at=now + datetime.timedelta(days=reveal_days()),
            )
        event = AuditEvent.IDENTITY_REVEAL_APPROVED if approve else AuditEvent.IDENTITY_REVEAL_REFUSED
        record(event, actor=actor, case=request.case, data={"request": request.pk})
    request.refresh_from_db()
    return request


def view_identity(case: Case, *, actor: User) -> dict[str, str] | None:
    """The revealed identity for this investigator, recording the view; None when there is no live grant."""
    purge_expired_grants()

    def audit() -> None:
        record(AuditEvent.IDENTITY_REVEALED, actor=actor, case=case)

    if case.identity_mode != IdentityMode.CONFIDENTIAL:
        return None
    with transaction.atomic():
        return identity_for(case, actor=actor, on_view=audit)


def purge_expired_grants() -> int:
    """Delete expired grants: their key goes with them, the identity is unreadable again."""
    deleted, _detail = RevealGrant.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def identity_disclosed(case: Case) -> bool:
    """Whether the reporter should be told their identity was disclosed to a handler."""
    return tell_reporter() and case.reveal_requests.filter(state=RevealRequest.State.APPROVED).exists()
