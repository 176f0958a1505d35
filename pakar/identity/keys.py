"""Keys over time: instance key rotation and crypto-shredding a case.

Rotation re-wraps every key the instance key wraps (case keys, consultation
keys, reveal-grant keys, quarantined files' keys) under the current instance
key. Each row is its own transaction and is skipped when already under the
current key, so an interrupted run loses nothing and the next run finishes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from pakar import vault
from pakar.accounts.models import User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.cases import files as case_files
from pakar.cases.models import Case
from pakar.consultations.models import Consultation
from pakar.identity.models import RevealGrant, RevealRequest, SealedOriginal
from pakar.vault.envelope import wrapped_key_id
from pakar.vault.keys import current_key

WRAPPED: list[tuple[type[models.Model], str]] = [
    (Case, "wrapped_key"),
    (Consultation, "wrapped_key"),
    (RevealGrant, "wrapped_key"),
]


@dataclass
class RotationProgress:
    rewrapped: int = 0
    already_current: int = 0
    interrupted: bool = False


def rotate_instance_key(*, batch: int = 200, stop_after: int | None = None) -> RotationProgress:
    """Re-wrap everything under the current instance key (``PAKAR_INSTANCE_KEY``);
    the old key must still be listed in ``PAKAR_RETIRED_INSTANCE_KEYS``."""
    progress = RotationProgress()
    current = current_key().key_id
    for model, field in WRAPPED:
        last_pk = 0
        while True:
            rows = list(model._default_manager.filter(pk__gt=last_pk).order_by("pk").values_list("pk", field)[:batch])
            if not rows:
                break
            for pk, wrapped in rows:
                last_pk = pk
                if wrapped and wrapped_key_id(bytes(wrapped)) == current:
                    progress.already_current += 1
                    continue
                if stop_after is not None and progress.rewrapped >= stop_after:
                    progress.interrupted = True
                    return progress
                if _rewrap_row(model, field, pk, current):
                    progress.rewrapped += 1
    progress.rewrapped += _rewrap_quarantine(current)
    if progress.rewrapped:
        with transaction.atomic():
            record(AuditEvent.INSTANCE_KEY_ROTATED, actor=None, data={"rewrapped": progress.rewrapped})
    return progress


def _rewrap_row(model: type[models.Model], field: str, pk: int, current: bytes) -> bool:
    with transaction.atomic():
        wrapped = model._default_manager.select_for_update().filter(pk=pk).values_list(field, flat=True).first()
        if not wrapped or wrapped_key_id(bytes(wrapped)) == current:
            return False  # purged, or another run got there first
        model._default_manager.filter(pk=pk).update(**{field: vault.wrap_key(vault.unwrap_key(bytes(wrapped)))})
    return True


def _rewrap_quarantine(current: bytes) -> int:
    directory = case_files.quarantine_dir()
    if not directory.exists():
        return 0
    count = 0
    for key_file in sorted(directory.glob("*.key")):
        wrapped = key_file.read_bytes()
        if wrapped_key_id(wrapped) == current:
            continue
        tmp = key_file.with_suffix(".tmp")
        tmp.write_bytes(vault.wrap_key(vault.unwrap_key(wrapped)))
        tmp.replace(key_file)
        count += 1
    return count


# --- crypto-shredding -------------------------------------------------------------


def purge_case(case: Case, *, actor: User | None) -> None:
    """Destroy a case's keys and files, keeping a stub (number, dates, status, unit).

    The case key is overwritten, so every ciphertext of the case — in the
    database, in storage, in any backup — is unreadable; sealed originals and
    the identity lose their key slots with their rows and files.
    """
    storage_names: list[str] = []
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        for evidence in locked.evidence.all():
            storage_names.append(evidence.storage_name)
        storage_names += list(
            SealedOriginal.objects.filter(evidence__case=locked).values_list("storage_name", flat=True)
        )
        locked.evidence.all().delete()
        locked.messages.all().delete()
        locked.notes.all().delete()
        RevealRequest.objects.filter(case=locked).delete()
        Case.objects.filter(pk=locked.pk).update(
            wrapped_key=b"",
            content=b"",
            identity=None,
            notice_email=None,
            reporter_public_key=b"",
            access_lookup=f"purged:{locked.pk}",
        )
        record(AuditEvent.CASE_PURGED, actor=actor, case=locked)
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: _remove_files(storage_names))
    case.refresh_from_db()
    if hasattr(case, "_case_key"):
        del case._case_key


def _remove_files(storage_names: list[str]) -> None:
    for name in storage_names:
        path: Path = case_files.evidence_path(name)
        path.unlink(missing_ok=True)
