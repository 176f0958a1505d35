"""Gap-free yearly number sequences (PKR-2026-00001, KON-2026-00001)."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F


class NumberSequence(models.Model):
    """One row per prefix and year; the row lock serialises concurrent takers.

    ``next_number`` must run inside the transaction that stores the numbered
    record: if that transaction rolls back, so does the increment, so numbers
    are never skipped, and the row lock means none is handed out twice.
    """

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"

    @classmethod
    def next_number(cls, prefix: str, year: int) -> int:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("next_number must run inside the transaction that uses the number")
        if not cls.objects.filter(prefix=prefix, year=year).exists():
            try:
                with transaction.atomic():
                    cls.objects.create(prefix=prefix, year=year, last=0)
            except IntegrityError:
                pass  # another transaction created it first; the update below waits for it
        cls.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        return cls.objects.get(prefix=prefix, year=year).last
