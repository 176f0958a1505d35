"""Every write about identity custody goes through a function here.

- Custodians: enrolment (the first one freely, later ones re-sealed in by an
  existing custodian), removal (never the last), passphrase change.
- Re-sealing: case by case, each in its own transaction, skipping what is
  already sealed to the wanted recipients, so an interrupted run is resumed
  by running it again.
- Who sees an identity: :func:`identity_for`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakar.accounts.models import Role, User
from pakar.cases.models import Case, IdentityMode
from pakar.identity import sealed
from pakar.identity.models import Custodian, RevealGrant, SealedOriginal
from pakar.vault import DecryptionError, decrypt_json, sealing, unwrap_key
from pakar.vault.sealing import PrivateKey  # type: ignore[attr-defined]  # the vault owns PyNaCl


class CustodyError(Exception):
    """A custody change that is refused, with a message for the person asking."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# --- custodians ------------------------------------------------------------------


def enrol_custodian(user: User, passphrase: str, *, actor: User | None) -> tuple[Custodian, str]:
    """Create the user's custodian key pair; returns the custodian and the recovery key (shown once).

    Material sealed before this moment is not yet readable by the new
    custodian: an existing custodian completes that with :func:`reseal_all`.
    """
    if Custodian.objects.filter(user=user).exists():
        raise CustodyError(_("This person is already an identity custodian."))
    if not user.has_role(Role.CUSTODIAN):
        raise CustodyError(_("Only staff with the identity custodian role can be enrolled."))
    keys, recovery = sealing.enrol_custodian(passphrase)
    custodian = Custodian.objects.create(
        user=user,
        public_key=keys.public_key,
        by_passphrase=keys.by_passphrase,
        by_recovery=keys.by_recovery,
        enrolled_at=timezone.now(),
    )
    return custodian, recovery


def unlock(custodian: Custodian, passphrase: str) -> PrivateKey:
    """The custodian's private key, or CustodyError for a wrong passphrase."""
    try:
        return sealing.unlock_custodian(custodian.keys(), passphrase)
    except DecryptionError as exc:
        raise CustodyError(_("The passphrase is not correct.")) from exc


def change_passphrase(custodian: Custodian, *, old: str, new: str, actor: User) -> None:
    private_key = unlock(custodian, old)
    keys = sealing.change_passphrase(custodian.keys(), private_key, new)
    Custodian.objects.filter(pk=custodian.pk).update(by_passphrase=keys.by_passphrase)


def remove_custodian(custodian: Custodian, *, actor: User, private_key: PrivateKey) -> ResealProgress:
    """Take a custodian out of every recipient set. ``private_key`` belongs to a custodian who stays."""
    if Custodian.objects.exclude(pk=custodian.pk).count() == 0:
        raise CustodyError(_("The last identity custodian cannot be removed: nobody could open identities."))
    if bytes(private_key.public_key) == bytes(custodian.public_key):
        raise CustodyError(_("Another custodian must confirm the removal with their own passphrase."))
    custodian.delete()
    return reseal_all(private_key)


# --- re-sealing ------------------------------------------------------------------


@dataclass
class ResealProgress:
    identities: int = 0
    originals: int = 0
    unreadable: int = 0  # sealed without this custodian: another custodian must run it

    @property
    def done(self) -> bool:
        return self.unreadable == 0


def pending_reseal_count() -> int:
    """How many sealed items are not yet sealed to exactly the current custodians."""
    wanted = {sealing.recipient_id(k) for k in sealed.custodian_keys()}
    count = 0
    for case in _sealed_cases():
        if not _matches(bytes(case.identity), wanted, bytes(case.reporter_public_key)):
            count += 1
    for original in SealedOriginal.objects.select_related("evidence__case").iterator():
        if not _matches(bytes(original.sealed_key), wanted, bytes(original.evidence.case.reporter_public_key)):
            count += 1
    return count


def _sealed_cases() -> Any:
    return Case.objects.filter(identity_mode=IdentityMode.CONFIDENTIAL, identity__isnull=False).only(
        "pk", "identity", "reporter_public_key"
    )


def _matches(blob: bytes, custodian_ids: set[bytes], reporter_key: bytes) -> bool:
    return sealing.recipients_of(blob) == custodian_ids | {sealing.recipient_id(reporter_key)}


def reseal_all(private_key: PrivateKey, *, stop_after: int | None = None) -> ResealProgress:
    """Seal every identity and original to the current custodians (and its reporter).

    Each case is its own transaction (row locked, re-checked), so a run that
    stops half-way leaves every item readable and the next run carries on.
    ``stop_after`` ends the run after that many items (tests interrupt with it).
    """
    progress = ResealProgress()
    keys = sealed.custodian_keys()
    wanted = {sealing.recipient_id(k) for k in keys}
    for case_id in list(_sealed_cases().values_list("pk", flat=True)):
        if stop_after is not None and progress.identities + progress.originals >= stop_after:
            return progress
        _reseal_case(case_id, private_key, keys, wanted, progress)
    for original_id in list(SealedOriginal.objects.values_list("pk", flat=True)):
        if stop_after is not None and progress.identities + progress.originals >= stop_after:
            return progress
        _reseal_original(original_id, private_key, keys, wanted, progress)
    return progress


def _reseal_case(
    case_id: int, private_key: PrivateKey, keys: list[bytes], wanted: set[bytes], progress: ResealProgress
) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().only("pk", "identity", "reporter_public_key").get(pk=case_id)
        if case.identity is None:
            return
        blob, reporter = bytes(case.identity), bytes(case.reporter_public_key)
        if _matches(blob, wanted, reporter):
            return
        try:
            new = sealing.seal(sealing.open_sealed(blob, private_key), sealed.recipients(reporter, keys))
        except DecryptionError:
            progress.unreadable += 1
            return
        Case.objects.filter(pk=case_id).update(identity=new)
        progress.identities += 1


def _reseal_original(
    original_id: int, private_key: PrivateKey, keys: list[bytes], wanted: set[bytes], progress: ResealProgress
) -> None:
    with transaction.atomic():
        original = SealedOriginal.objects.select_for_update().select_related("evidence__case").get(pk=original_id)
        reporter = bytes(original.evidence.case.reporter_public_key)
        if _matches(bytes(original.sealed_key), wanted, reporter):
            return
        recipients = sealed.recipients(reporter, keys)
        try:
            new_key = sealing.reseal(bytes(original.sealed_key), private_key, recipients)
            new_meta = sealing.reseal(bytes(original.sealed_meta), private_key, recipients)
        except DecryptionError:
            progress.unreadable += 1
            return
        SealedOriginal.objects.filter(pk=original_id).update(sealed_key=new_key, sealed_meta=new_meta)
        progress.originals += 1


# --- who sees an identity ----------------------------------------------------------


def identity_for(case: Case, *, actor: User, on_view: Callable[[], None] | None = None) -> dict[str, str] | None:
    """The identity this staff member may read now, or None.

    Open mode: readable under the case key (callers have already decided the
    actor may see the case). Confidential: only through an unexpired reveal
    grant made for this actor. Anonymous: there is none.
    """
    if case.identity is None:
        return None
    if case.identity_mode == IdentityMode.OPEN:
        return case.read_identity()
    if case.identity_mode != IdentityMode.CONFIDENTIAL:
        return None
    grant = active_grant(case, actor)
    if grant is None:
        return None
    result: dict[str, str] = decrypt_json(
        unwrap_key(bytes(grant.wrapped_key)), bytes(grant.identity), purpose="reveal.identity"
    )
    if on_view is not None:
        on_view()
    return result


def active_grant(case: Case, actor: User) -> RevealGrant | None:
    return (
        RevealGrant.objects.filter(request__case=case, request__requested_by=actor, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
