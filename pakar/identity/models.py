"""Identity custody: custodians' key pairs, sealed originals of evidence and reveals.

Nothing here can be opened with the server's keys alone: identities and
original files are sealed (:mod:`pakar.vault.sealing`) to the custodians'
public keys and the reporter's. The one exception is a reveal grant, which
an approving custodian creates on purpose for a limited time (see
:mod:`pakar.identity.reveal`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar.vault.sealing import CustodianKeys


class Custodian(models.Model):
    """A staff member who can open sealed identities with their passphrase."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="custodian")
    public_key = models.BinaryField()
    # The private key twice: under the passphrase (Argon2id) and under the printed recovery key.
    by_passphrase = models.BinaryField()
    by_recovery = models.BinaryField()
    enrolled_at = models.DateTimeField()

    class Meta:
        verbose_name = _("identity custodian")
        verbose_name_plural = _("identity custodians")

    def __str__(self) -> str:
        return str(self.user)

    def keys(self) -> CustodianKeys:
        return CustodianKeys(bytes(self.public_key), bytes(self.by_passphrase), bytes(self.by_recovery))


class SealedOriginal(models.Model):
    """The unscrubbed upload behind a piece of evidence: handlers see only the cleaned copy."""

    evidence = models.OneToOneField("cases.Evidence", on_delete=models.CASCADE, related_name="sealed_original")
    storage_name = models.CharField(max_length=80, unique=True)
    # The original's file key and its metadata (name, mime, size, sha256), sealed.
    sealed_key = models.BinaryField()
    sealed_meta = models.BinaryField()

    def __str__(self) -> str:
        return self.storage_name


class RevealRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a custodian")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reveal_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The investigator's reason, encrypted with the case key like other case text.
    reason = models.BinaryField()
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class RevealGrant(models.Model):
    """An approved reveal: the identity under a key only this grant holds, until it expires.

    The grant key is wrapped by the instance key so the server can show the
    identity to the one investigator without a custodian present. Expired
    grants are deleted by ``purge_expired_grants``.
    """

    request = models.OneToOneField(RevealRequest, on_delete=models.CASCADE, related_name="grant")
    wrapped_key = models.BinaryField()
    identity = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"grant {self.request_id}"
