"""Every write to a case goes through a function here.

Views, the API and commands call these; none of them sets fields on a case
and saves it directly.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pakar import vault
from pakar.accounts.models import User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record
from pakar.cases import files as case_files
from pakar.cases.models import (
    Case,
    Category,
    Channel,
    Evidence,
    IdentityMode,
    Message,
    NumberSequence,
    Status,
    StatusChange,
    SubmissionToken,
)
from pakar.identity import sealed
from pakar.notify.services import queue_reporter_update
from pakar.org.models import Unit

logger = logging.getLogger(__name__)

IDENTITY_FIELDS = ("name", "nik", "address", "occupation", "phone", "email")
CONTENT_FIELDS = ("title", "what", "where", "when", "how", "witnesses", "why", "loss", "remedy")
PARTY_FIELDS = ("name", "nip", "position")


class ReplayedSubmissionError(Exception):
    """The same form was sent twice; the first submission stands."""


@dataclass
class ReportInput:
    reporter_type: str
    identity_mode: str
    category: Category
    unit: Unit
    content: dict[str, str]
    party: dict[str, str]
    identity: dict[str, str] | None = None
    notice_email: str = ""
    channel: str = Channel.ONLINE
    files: list[case_files.StagedFile] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    case: Case
    access_code: str


def format_case_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:05d}"


def submit_report(data: ReportInput, *, form_token: str = "", actor: User | None = None) -> Receipt:
    """Create a case with its evidence in one transaction and return its receipt.

    The slow work (Argon2id, encryption) happens before the transaction so the
    numbering lock is held only for the inserts.
    """
    code = vault.new_access_code()
    code_keys = vault.derive_code_keys(code)
    case_key = vault.new_case_key()
    identity = _protect_identity(data, case_key, code_keys.public_key)
    content = {**_only(data.content, CONTENT_FIELDS), "party": _only(data.party, PARTY_FIELDS)}
    now = timezone.now()
    moved: list[Moved] = []
    try:
        with transaction.atomic():
            if form_token:
                _claim_form_token(form_token)
            year = timezone.localdate(now).year
            case = Case.objects.create(
                number=format_case_number("PKR", year, NumberSequence.next_number("PKR", year)),
                channel=data.channel,
                reporter_type=data.reporter_type,
                identity_mode=data.identity_mode,
                category=data.category,
                unit=data.unit,
                received_at=now,
                recorded_by=actor,
                wrapped_key=vault.wrap_key(case_key),
                content=vault.encrypt_json(case_key, content, purpose="case.content"),
                identity=identity,
                notice_email=(
                    vault.encrypt(case_key, data.notice_email.encode(), purpose="case.notice_email")
                    if data.notice_email
                    else None
                ),
                access_lookup=code_keys.lookup,
                reporter_public_key=code_keys.public_key,
            )
            case._case_key = case_key
            StatusChange.objects.create(case=case, from_status="", to_status=Status.RECEIVED, at=now, actor=actor)
            _attach_files(case, data.files, Evidence.Source.REPORT, now, moved)
            record(
                AuditEvent.CASE_CREATED,
                actor=actor,
                case=case,
                data={"channel": data.channel, "identity_mode": data.identity_mode, "files": len(data.files)},
            )
    except BaseException:
        _restore_staged(moved)
        raise
    return Receipt(case=case, access_code=code)


def _protect_identity(data: ReportInput, case_key: bytes, reporter_public_key: bytes) -> bytes | None:
    """Confidential: sealed to the custodians and the reporter, never to a server key.
    Open: under the case key, because the reporter agreed that handlers see it."""
    if data.identity_mode == IdentityMode.ANONYMOUS or not data.identity:
        return None
    identity = _only(data.identity, IDENTITY_FIELDS)
    if data.identity_mode == IdentityMode.CONFIDENTIAL:
        custodians = sealed.custodian_keys()
        if not custodians:
            # Still sealed (to the reporter alone): never fall back to a server key.
            logger.warning("no identity custodian is enrolled: a confidential identity opens only with its access code")
        return sealed.seal_json(identity, reporter_public_key, custodians)
    return vault.encrypt_json(case_key, identity, purpose="case.identity")


def _token_digest(form_token: str) -> str:
    return hashlib.sha256(form_token.encode()).hexdigest()


def form_token_used(form_token: str) -> bool:
    """Whether a case was already filed from the form carrying this token."""
    return bool(form_token) and SubmissionToken.objects.filter(digest=_token_digest(form_token)).exists()


def _claim_form_token(form_token: str) -> None:
    digest = _token_digest(form_token)
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(digest=digest, created_at=timezone.now())
    except IntegrityError as exc:
        raise ReplayedSubmissionError from exc


# A staged file moved into storage: the staging path it came from, its storage name.
Moved = tuple[case_files.StagedFile, Path, str]


def _attach_files(
    case: Case,
    staged_files: list[case_files.StagedFile],
    source: str,
    now: Any,
    moved: list[Moved],
) -> list[Evidence]:
    """The cleaned copy of each file becomes the evidence handlers see; the
    original is stored beside it with its key sealed (custodians and reporter)."""
    created = []
    case_key = case.case_key()
    for staged in staged_files:
        if not staged.checked:
            case_files.check_staged(staged)
        if staged.error or not staged.clean_key:
            raise ValueError(f"staged file refused: {staged.error or 'not cleaned'}")
        meta = {
            "name": staged.clean_name,
            "mime": staged.clean_mime,
            "size": staged.clean_size,
            "sha256": staged.clean_sha256,
            "original_sha256": staged.sha256,
            "removed": staged.removed,
        }
        storage_name = case_files.move_to_evidence(staged.clean_path)
        moved.append((staged, staged.clean_path, storage_name))
        original_name = case_files.move_to_evidence(staged.path)
        moved.append((staged, staged.path, original_name))
        evidence = Evidence.objects.create(
            case=case,
            storage_name=storage_name,
            wrapped_file_key=vault.encrypt(case_key, staged.clean_file_key(), purpose="evidence.key"),
            meta=vault.encrypt_json(case_key, meta, purpose="evidence.meta"),
            source=source,
            created_at=now,
        )
        sealed.seal_original(
            evidence,
            storage_name=original_name,
            file_key=staged.key,
            meta={"name": staged.name, "mime": staged.mime, "size": staged.size, "sha256": staged.sha256},
            reporter_public_key=bytes(case.reporter_public_key),
        )
        created.append(evidence)
    for staged in staged_files:
        staged.meta_path.unlink(missing_ok=True)
    return created


def _restore_staged(moved: list[Moved]) -> None:
    """Put files back in staging when the transaction that took them failed,
    so the reporter's next attempt still has them and nothing is orphaned."""
    for staged, staging_path, storage_name in moved:
        path = case_files.evidence_path(storage_name)
        if path.exists():
            os.replace(path, staging_path)
            staged.save_meta()


def _only(values: dict[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    return {key: (values.get(key) or "").strip() for key in keys}


# --- the reporter's follow-up ------------------------------------------------


def find_case_by_code(code: str) -> Case | None:
    """The case a well-formed access code opens, or None. Always one Argon2id run."""
    keys = vault.derive_code_keys(code)
    return Case.objects.filter(access_lookup=keys.lookup).select_related("category", "unit").first()


def add_reporter_reply(case: Case, *, text: str, files: list[case_files.StagedFile]) -> Message | None:
    """A message and/or more evidence from the reporter, saved together or not at all."""
    now = timezone.now()
    moved: list[Moved] = []
    message = None
    try:
        with transaction.atomic():
            if text.strip():
                message = Message.objects.create(
                    case=case,
                    direction=Message.Direction.FROM_REPORTER,
                    body=vault.encrypt(case.case_key(), text.strip().encode(), purpose="case.message"),
                    created_at=now,
                )
            _attach_files(case, files, Evidence.Source.FOLLOW_UP, now, moved)
            Case.objects.filter(pk=case.pk).update(updated_at=now)
            # The reporter is never named in the log; only what arrived, counted.
            if message is not None:
                record(AuditEvent.MESSAGE_RECEIVED_FROM_REPORTER, actor=None, case=case, data={"object_id": message.pk})
            if files:
                record(AuditEvent.EVIDENCE_ADDED, actor=None, case=case, data={"by": "reporter", "count": len(files)})
    except BaseException:
        _restore_staged(moved)
        raise
    return message


def send_message_to_reporter(case: Case, *, text: str, actor: User) -> Message:
    message = Message.objects.create(
        case=case,
        direction=Message.Direction.TO_REPORTER,
        body=vault.encrypt(case.case_key(), text.strip().encode(), purpose="case.message"),
        author=actor,
        created_at=timezone.now(),
    )
    queue_reporter_update(case)
    return message
