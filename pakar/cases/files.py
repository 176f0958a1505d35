"""Where evidence bytes live: encrypted staging while a form is being filled,
then encrypted evidence storage once the case exists.

An upload is written encrypted under its own random file key as it streams
in. The key is handed back to the reporter's browser inside a *staging token*
(a hidden form field), so a staged file left behind on the server cannot be
read by anyone, and it expires after ``PAKAR_STAGING_HOURS``. When the case
is created the staged file is moved, not re-encrypted, into evidence storage
and its key is wrapped by the case key.

Checking a staged file (:func:`check_staged`) scans it with clamd when one is
configured and writes a cleaned copy (metadata removed, see
:mod:`pakar.vault.scrub`) to a second encrypted staging file under a new key
kept in the encrypted staging metadata. The cleaned copy becomes the evidence
handlers see; the original is sealed away (:mod:`pakar.identity.originals`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from pakar import vault
from pakar.cases import filetypes
from pakar.vault import clamd
from pakar.vault.scrub import RefusedFile, scrub

_TOKEN = re.compile(r"^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$")
_purged_at = 0.0


def storage_root() -> Path:
    return Path(settings.PAKAR_STORAGE_DIR)


def staging_dir() -> Path:
    return storage_root() / "staging"


def evidence_path(storage_name: str) -> Path:
    return storage_root() / "evidence" / storage_name[:2] / storage_name


@dataclass
class StagedFile:
    """A file uploaded but not yet attached to a case."""

    upload_id: str
    key: bytes = field(repr=False)
    name: str
    size: int
    mime: str | None
    sha256: str
    error: str = ""  # an error code (Upload.ERRORS, a scrub refusal, "infected"), empty when fine
    checked: bool = False
    error_params: dict[str, str] = field(default_factory=dict)
    # The cleaned copy written by check_staged: its key (base64) and what it is.
    clean_key: str = field(default="", repr=False)
    clean_mime: str = ""
    clean_size: int = 0
    clean_sha256: str = ""
    removed: list[str] = field(default_factory=list)

    @property
    def token(self) -> str:
        return f"{self.upload_id}.{base64.urlsafe_b64encode(self.key).decode().rstrip('=')}"

    @property
    def path(self) -> Path:
        return staging_dir() / self.upload_id

    @property
    def clean_path(self) -> Path:
        return staging_dir() / f"{self.upload_id}.clean"

    @property
    def clean_name(self) -> str:
        """The name handlers see: the reporter's name with the cleaned type's extension
        (a HEIC picture is cleaned into a JPEG)."""
        wanted = filetypes.ALLOWED[self.clean_mime].extension if self.clean_mime in filetypes.ALLOWED else ""
        stem, dot, ext = self.name.rpartition(".")
        if not wanted or (dot and "." + ext.lower() == wanted):
            return self.name
        return (stem if dot else self.name) + wanted

    def clean_file_key(self) -> bytes:
        return base64.b64decode(self.clean_key)

    @property
    def meta_path(self) -> Path:
        return staging_dir() / f"{self.upload_id}.meta"

    @property
    def type_label(self) -> str:
        return filetypes.ALLOWED[self.mime].label if self.mime in filetypes.ALLOWED else ""

    def save_meta(self) -> None:
        data = {k: v for k, v in asdict(self).items() if k not in ("key", "upload_id")}
        blob = vault.encrypt_json(self.key, data, purpose="staging.meta")
        tmp = self.meta_path.with_suffix(".tmp")
        tmp.write_bytes(blob)
        tmp.replace(self.meta_path)

    def reader(self) -> vault.EncryptedReader:
        return vault.EncryptedReader(self.path, self.key)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.clean_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def load_staged(token: str) -> StagedFile | None:
    """The staged file a token names, or None if it is malformed, foreign or expired."""
    match = _TOKEN.match(token or "")
    if not match:
        return None
    upload_id = match.group(1)
    try:
        key = base64.urlsafe_b64decode(match.group(2) + "=")
        meta_path = staging_dir() / f"{upload_id}.meta"
        data = vault.decrypt_json(key, meta_path.read_bytes(), purpose="staging.meta")
    except (OSError, binascii.Error, ValueError, vault.DecryptionError):
        return None
    staged = StagedFile(upload_id=upload_id, key=key, **data)
    return staged if staged.path.exists() else None


class StagedUpload(UploadedFile):  # type: ignore[type-arg]
    """What ``request.FILES`` holds for PAKAR: a handle on an encrypted staged file."""

    def __init__(self, staged: StagedFile) -> None:
        super().__init__(file=None, name=staged.name, content_type=staged.mime, size=staged.size)
        self.staged = staged

    def close(self) -> None:
        # Django closes every uploaded file at the end of a request and when
        # parsing fails half-way (too many files or fields); there is no open
        # handle here, and the staged file must survive: the form carries it.
        return None


class Upload:
    """Receives one file in pieces: encrypts to staging, hashes, measures, keeps
    the head and tail for type detection, and stops writing past the limit."""

    ERRORS = ("too_large", "empty", "type")

    def __init__(self, name: str) -> None:
        purge_expired_staging()
        self.staged = StagedFile(
            upload_id=secrets.token_hex(16),
            key=vault.new_key(),
            name=_clean_name(name),
            size=0,
            mime=None,
            sha256="",
        )
        self._writer: vault.EncryptedWriter | None = vault.EncryptedWriter(self.staged.path, self.staged.key)
        self._digest = hashlib.sha256()
        self._head = bytearray()
        self._tail = bytearray()

    def feed(self, data: bytes) -> None:
        self.staged.size += len(data)
        if self.staged.size > settings.PAKAR_MAX_FILE_BYTES:
            if self._writer is not None:
                self._writer.abort()
                self._writer = None
            return
        assert self._writer is not None
        self._writer.write(data)
        self._digest.update(data)
        if len(self._head) < filetypes.HEAD_BYTES:
            self._head += data[: filetypes.HEAD_BYTES - len(self._head)]
        self._tail += data
        if len(self._tail) > filetypes.TAIL_BYTES:
            del self._tail[: len(self._tail) - filetypes.TAIL_BYTES]

    def finish(self) -> StagedFile:
        staged = self.staged
        if self._writer is None:
            staged.error = "too_large"
            # Keep an empty placeholder so the error can be shown against its name.
            vault.EncryptedWriter(staged.path, staged.key).close()
        else:
            self._writer.close()
            staged.sha256 = self._digest.hexdigest()
            staged.mime = filetypes.detect(bytes(self._head), bytes(self._tail), staged.size)
            staged.error = "empty" if staged.size == 0 else ("" if staged.mime else "type")
        staged.save_meta()
        return staged

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()
        self.staged.discard()


def _clean_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base[-150:] or "berkas"


def check_staged(staged: StagedFile) -> str | None:
    """Check a staged file once and write its cleaned copy; returns the error code, or None.

    Order: integrity, then the virus scan of the original (an infected file is
    quarantined, never cleaned or attached), then metadata removal. The
    verdict is kept in the staging metadata so a re-sent form is not checked twice.
    """
    if staged.error or staged.checked or staged.mime is None:
        return None
    with staged.reader() as raw, io.BufferedReader(raw) as stream:
        problem = filetypes.check_integrity(staged.mime, stream)
    staged.checked = True
    if problem:
        staged.error = "damaged"
    elif clamd.is_configured():
        staged.error = _scan(staged)
    if not staged.error:
        staged.error = _clean(staged)
    staged.save_meta()
    return staged.error or None


def _scan(staged: StagedFile) -> str:
    try:
        with staged.reader() as raw, io.BufferedReader(raw) as stream:
            verdict = clamd.scan(stream)
    except clamd.ClamdError:
        return "scan_failed"
    if verdict.infected:
        quarantine(staged)
        return "infected"
    return ""


def quarantine_dir() -> Path:
    return storage_root() / "quarantine"


def quarantine(staged: StagedFile) -> Path:
    """Keep an infected upload, still encrypted, out of reach of any case.

    Its file key is wrapped by the instance key beside it, so an administrator
    can hand it to an analyst; it is never attached to a case.
    """
    target = quarantine_dir() / staged.upload_id
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged.path, target)
    target.with_suffix(".key").write_bytes(vault.wrap_key(staged.key))
    # An empty placeholder keeps the error showable against the file's name.
    vault.EncryptedWriter(staged.path, staged.key).close()
    return target


def _clean(staged: StagedFile) -> str:
    assert staged.mime is not None
    key = vault.new_key()
    writer = vault.EncryptedWriter(staged.clean_path, key)
    try:
        with staged.reader() as raw, io.BufferedReader(raw) as stream:
            report = scrub(staged.mime, stream, writer)  # type: ignore[arg-type]
    except RefusedFile as refusal:
        writer.abort()
        staged.clean_path.unlink(missing_ok=True)
        staged.error_params = {k: str(v) for k, v in refusal.params.items()}
        # Not the upload limit's "too_large": this one means too big to clean safely.
        return "too_large_to_check" if refusal.reason_code == "too_large" else refusal.reason_code
    except BaseException:
        writer.abort()
        staged.clean_path.unlink(missing_ok=True)
        raise
    writer.close()
    staged.clean_key = base64.b64encode(key).decode()
    staged.clean_mime = report.mime
    staged.clean_size = report.cleaned_size
    staged.clean_sha256 = report.cleaned_sha256
    staged.removed = list(report.removed)
    return ""


def move_to_evidence(source: Path) -> str:
    """Move a staged (encrypted) file into evidence storage; returns its random storage name."""
    storage_name = secrets.token_hex(20)
    target = evidence_path(storage_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return storage_name


def remove_evidence_file(storage_name: str) -> None:
    evidence_path(storage_name).unlink(missing_ok=True)


def purge_expired_staging(*, force: bool = False) -> int:
    """Delete staged uploads older than the staging lifetime (at most every minute)."""
    global _purged_at
    now = time.time()
    if not force and now - _purged_at < 60:
        return 0
    _purged_at = now
    limit = now - settings.PAKAR_STAGING_HOURS * 3600
    removed = 0
    directory = staging_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(directory):
        try:
            if entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def staged_summary(staged: StagedFile) -> dict[str, object]:
    return {"token": staged.token, "name": staged.name, "size": staged.size, "type": staged.type_label}
