"""Reactions to writes made by the reporter-side services (which know nothing
of the workflow): a new case starts its verification clock; a reply or file
from the reporter while we wait for them resumes the case.

They run inside the transaction of the write that triggers them, so both are
saved together or not at all. Senders are named lazily because this module is
imported while the models are being loaded.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="cases.Case", dispatch_uid="cases.start_first_clock")
def start_first_clock(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        from pakar.cases.deadlines import start_first_clock as start

        start(instance, now=instance.received_at)


@receiver(post_save, sender="cases.Message", dispatch_uid="cases.reporter_message")
def reporter_message(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw and instance.direction == "from_reporter":
        from pakar.cases.handling import reporter_answered

        reporter_answered(instance.case)


@receiver(post_save, sender="cases.Evidence", dispatch_uid="cases.reporter_evidence")
def reporter_evidence(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw and instance.source == "follow_up":
        from pakar.cases.handling import reporter_answered

        reporter_answered(instance.case)
