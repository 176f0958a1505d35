"""The audit log: one append-only, hash-chained table.

Entries are written only by :func:`pakar.audit.services.record`. The model and
its queryset refuse updates and deletes (the only protection on SQLite); on
PostgreSQL a trigger refuses them too (migration 0002). Neither stops someone
with full control of the database; the hash chain makes that visible.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakar.audit.chain import ChainFields
from pakar.audit.events import event_label

# The columns the digest covers, in ChainFields order (for values_list reads).
CHAIN_COLUMNS = (
    "sequence",
    "at",
    "event",
    "actor_id",
    "actor_username",
    "case_id",
    "case_number",
    "data",
    "prev_digest",
)


class AppendOnlyError(Exception):
    """Something tried to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    # Assigned by record() under the chain lock: gap-free, so a missing number
    # means a deleted entry.
    sequence = models.BigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    event = models.PositiveIntegerField(_("event"), db_index=True)
    # PROTECT: someone who acted on the record can be deactivated, never
    # deleted; the id and username are also hashed into the chain, so a
    # rename does not rewrite history.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    # Plain values, not a foreign key: purging a case leaves its entries intact.
    case_id = models.BigIntegerField(_("case id"), null=True, blank=True, db_index=True)
    case_number = models.CharField(_("case number"), max_length=32, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_digest = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def event_label(self) -> str:
        return event_label(self.event)

    def chain_fields(self) -> ChainFields:
        return ChainFields(
            self.sequence,
            self.at,
            self.event,
            self.actor_id,
            self.actor_username,
            self.case_id,
            self.case_number,
            self.data,
            self.prev_digest,
        )
