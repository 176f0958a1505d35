"""Mark the cached statistics stale when something they count changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from pakar.reports.store import mark_stale


def _changed(sender: Any, **kwargs: Any) -> None:
    # After commit: a rolled-back write changes no figure, and the recompute
    # that follows must see the new row.
    transaction.on_commit(mark_stale)


def connect() -> None:
    from pakar.cases.models import Case, Decision, StatusChange
    from pakar.consultations.models import Consultation

    for model in (Case, StatusChange, Decision, Consultation):
        post_save.connect(_changed, sender=model, dispatch_uid=f"pakar.reports.stale.{model._meta.label}")
