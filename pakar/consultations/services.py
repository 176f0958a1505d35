"""Every write to a consultation or an FAQ entry goes through a function here.

The moves a consultation can make are in ``MOVES``: one table, checked under a
row lock by ``_move``, so two officers acting at once cannot undo each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pakar import vault
from pakar.accounts.models import User
from pakar.cases import services as case_services
from pakar.cases.models import Category, IdentityMode, NumberSequence, SubmissionToken
from pakar.consultations.deadlines import answer_schedule
from pakar.consultations.models import Consultation, ConsultationMessage, FaqEntry, Topic
from pakar.consultations.models import ConsultationStatus as S
from pakar.notify.services import queue_asker_update
from pakar.org.models import Unit

PREFIX = "KON"
IDENTITY_FIELDS = ("name", "institution", "phone")

# action -> (states it may start from, state it leads to; None keeps the state)
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "answer": (frozenset({S.NEW, S.ANSWERED, S.ASKER_REPLIED}), S.ANSWERED),
    "asker_reply": (frozenset({S.NEW, S.ANSWERED, S.ASKER_REPLIED}), None),
    "propose_report": (frozenset({S.NEW, S.ANSWERED, S.ASKER_REPLIED}), S.ANSWERED),
    "close": (frozenset({S.NEW, S.ANSWERED, S.ASKER_REPLIED}), S.CLOSED),
    "convert": (frozenset({S.NEW, S.ANSWERED, S.ASKER_REPLIED}), S.CONVERTED),
}


class ReplayedSubmissionError(Exception):
    """The same form was sent twice; the first submission stands."""


class NotAllowedError(Exception):
    """The consultation is no longer in a state that allows this (someone else acted first)."""


@dataclass
class QuestionInput:
    topic: Topic
    asker_type: str
    subject: str
    question: str
    identity: dict[str, str]
    notice_email: str = ""
    publish_consent: bool = False


@dataclass(frozen=True)
class ConsultationReceipt:
    consultation: Consultation
    access_code: str


# --- the asker's side -----------------------------------------------------------


def ask_question(data: QuestionInput, *, form_token: str = "") -> ConsultationReceipt:
    """Store a new consultation and return its receipt (number and access code, once).

    Argon2id and encryption run before the transaction, so the numbering lock
    is held only for the insert.
    """
    code = vault.new_access_code()
    code_keys = vault.derive_code_keys(code)
    key = vault.new_case_key()
    identity = {k: (data.identity.get(k) or "").strip() for k in IDENTITY_FIELDS}
    now = timezone.now()
    plan = answer_schedule(now)
    with transaction.atomic():
        if form_token:
            claim_form_token(form_token)
        year = timezone.localdate(now).year
        consultation = Consultation.objects.create(
            number=case_services.format_case_number(PREFIX, year, NumberSequence.next_number(PREFIX, year)),
            topic=data.topic,
            asker_type=data.asker_type,
            received_at=now,
            due_at=plan.due_at,
            warn_at=plan.warn_at,
            publish_consent=data.publish_consent,
            wrapped_key=vault.wrap_key(key),
            content=vault.encrypt_json(
                key,
                {"subject": data.subject.strip(), "question": data.question.strip()},
                purpose="consultation.content",
            ),
            identity=(
                vault.encrypt_json(key, identity, purpose="consultation.identity") if any(identity.values()) else None
            ),
            notice_email=(
                vault.encrypt(key, data.notice_email.strip().encode(), purpose="consultation.notice_email")
                if data.notice_email.strip()
                else None
            ),
            access_lookup=code_keys.lookup,
            asker_public_key=code_keys.public_key,
        )
    consultation._consultation_key = key
    return ConsultationReceipt(consultation=consultation, access_code=code)


def claim_form_token(form_token: str) -> None:
    """Record a one-time form token; a second use raises ReplayedSubmissionError."""
    digest = hashlib.sha256(b"consultation|" + form_token.encode()).hexdigest()
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(digest=digest, created_at=timezone.now())
    except IntegrityError as exc:
        raise ReplayedSubmissionError from exc


def find_consultation_by_code(code: str) -> Consultation | None:
    """The consultation a well-formed access code opens, or None. Always one Argon2id run."""
    keys = vault.derive_code_keys(code)
    return Consultation.objects.filter(access_lookup=keys.lookup).select_related("topic").first()


def add_asker_reply(consultation: Consultation, *, text: str) -> ConsultationMessage:
    """A message from the asker; if it follows an answer, the officer owes a new one."""
    with transaction.atomic():
        locked = _move(consultation, "asker_reply")
        now = timezone.now()
        if locked.status != S.NEW:  # a new question keeps its first deadline
            plan = answer_schedule(now)
            locked.status = S.ASKER_REPLIED
            locked.due_at, locked.warn_at = plan.due_at, plan.warn_at
        locked.save(update_fields=["status", "due_at", "warn_at", "updated_at"])
        message = _message(locked, ConsultationMessage.Direction.FROM_ASKER, text, author=None, at=now)
    _refresh(consultation, locked)
    return message


# --- the officer's side ---------------------------------------------------------


def answer_consultation(consultation: Consultation, *, text: str, actor: User) -> ConsultationMessage:
    with transaction.atomic():
        locked = _move(consultation, "answer")
        now = timezone.now()
        locked.due_at = locked.warn_at = None
        locked.first_answered_at = locked.first_answered_at or now
        locked.save(update_fields=["status", "due_at", "warn_at", "first_answered_at", "updated_at"])
        message = _message(locked, ConsultationMessage.Direction.TO_ASKER, text, author=actor, at=now)
        queue_asker_update(locked)
    _refresh(consultation, locked)
    return message


def close_consultation(consultation: Consultation, *, actor: User) -> None:
    with transaction.atomic():
        locked = _move(consultation, "close")
        locked.due_at = locked.warn_at = None
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "due_at", "warn_at", "closed_at", "updated_at"])
    _refresh(consultation, locked)


def propose_report(
    consultation: Consultation,
    *,
    category: Category,
    unit: Unit,
    party: dict[str, str],
    explanation: str,
    actor: User,
) -> None:
    """Suggest that the question is really a report; the explanation is sent to the asker,
    who decides on the follow-up page. Nothing becomes a report without their consent."""
    with transaction.atomic():
        locked = _move(consultation, "propose_report")
        now = timezone.now()
        key = locked.consultation_key()
        party = {"name": party.get("name", "").strip(), "position": party.get("position", "").strip()}
        locked.due_at = locked.warn_at = None
        locked.first_answered_at = locked.first_answered_at or now
        locked.proposed_at = now
        locked.proposed_category = category
        locked.proposed_unit = unit
        locked.proposed_party = vault.encrypt_json(key, party, purpose="consultation.proposed_party")
        locked.save(
            update_fields=[
                "status",
                "due_at",
                "warn_at",
                "first_answered_at",
                "proposed_at",
                "proposed_category",
                "proposed_unit",
                "proposed_party",
                "updated_at",
            ]
        )
        _message(locked, ConsultationMessage.Direction.TO_ASKER, explanation, author=actor, at=now)
        queue_asker_update(locked)
    _refresh(consultation, locked)


@dataclass
class ConversionInput:
    identity_mode: str
    identity: dict[str, str]


def convert_to_report(
    consultation: Consultation, data: ConversionInput, *, form_token: str = ""
) -> case_services.Receipt:
    """With the asker's consent, create the report the officer proposed.

    The case and the consultation's new state are written in one transaction:
    a consultation is never marked converted without its case, nor converted
    twice. The new case's access code is returned once, for the response.
    """
    with transaction.atomic():
        locked = _move(consultation, "convert")
        if locked.proposed_at is None or locked.proposed_category is None or locked.proposed_unit is None:
            raise NotAllowedError("no report was proposed for this consultation")
        receipt = case_services.submit_report(_report_input(locked, data), form_token=form_token)
        locked.due_at = locked.warn_at = None
        locked.closed_at = timezone.now()
        locked.converted_case = receipt.case
        locked.save(update_fields=["status", "due_at", "warn_at", "closed_at", "converted_case", "updated_at"])
    _refresh(consultation, locked)
    return receipt


def _report_input(consultation: Consultation, data: ConversionInput) -> case_services.ReportInput:
    content = consultation.read_content()
    own_words = [content.get("question", "")] + [
        m.read_body() for m in consultation.messages.filter(direction=ConsultationMessage.Direction.FROM_ASKER)
    ]
    party = consultation.read_proposed_party()
    assert consultation.proposed_category is not None and consultation.proposed_unit is not None
    return case_services.ReportInput(
        reporter_type=consultation.asker_type,
        identity_mode=data.identity_mode,
        identity=None if data.identity_mode == IdentityMode.ANONYMOUS else data.identity,
        category=consultation.proposed_category,
        unit=consultation.proposed_unit,
        content={"title": content.get("subject", ""), "what": "\n\n".join(w for w in own_words if w)},
        party={"name": party.get("name", ""), "nip": "", "position": party.get("position", "")},
        notice_email=consultation.read_notice_email(),
    )


# --- FAQ ---------------------------------------------------------------------------


@dataclass
class FaqInput:
    topic: Topic
    question: str
    answer: str


def create_faq_entry(data: FaqInput, *, source: Consultation | None, actor: User) -> FaqEntry:
    """A new, unpublished entry. The text is what the officer wrote, never copied from the source."""
    if source is not None and not source.publish_consent:
        raise NotAllowedError("the asker did not consent to publication")
    return FaqEntry.objects.create(
        topic=data.topic,
        question=data.question.strip(),
        answer=data.answer.strip(),
        source=source,
        created_by=actor,
        created_at=timezone.now(),
    )


def edit_faq_entry(entry: FaqEntry, data: FaqInput, *, actor: User) -> None:
    entry.topic = data.topic
    entry.question = data.question.strip()
    entry.answer = data.answer.strip()
    entry.save(update_fields=["topic", "question", "answer", "updated_at"])


def publish_faq_entry(entry: FaqEntry, *, actor: User) -> None:
    entry.is_published = True
    entry.published_at = entry.published_at or timezone.now()
    entry.save(update_fields=["is_published", "published_at", "updated_at"])


def unpublish_faq_entry(entry: FaqEntry, *, actor: User) -> None:
    entry.is_published = False
    entry.save(update_fields=["is_published", "updated_at"])


# --- topics -------------------------------------------------------------------------

TOPIC_FIELDS = ("code", "name_id", "name_en", "description_id", "description_en", "is_active", "position")


def save_topic(topic: Topic | None, *, values: dict[str, Any], actor: User) -> Topic:
    """Create or change a consultation topic (bilingual, like report categories)."""
    data = {name: values[name] for name in TOPIC_FIELDS if name in values}
    if topic is None:
        return Topic.objects.create(**data)
    for name, value in data.items():
        setattr(topic, name, value)
    topic.save(update_fields=list(data))
    return topic


# --- helpers ----------------------------------------------------------------------


def _move(consultation: Consultation, action: str) -> Consultation:
    """Lock the row, check the move against ``MOVES`` and set the new state.

    The caller is inside a transaction and saves the row with its other changes.
    """
    allowed_from, target = MOVES[action]
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status not in allowed_from:
        raise NotAllowedError(f"{action} is not possible from {locked.status}")
    if target is not None:
        locked.status = target
    locked._consultation_key = consultation.consultation_key()
    return locked


def _message(
    consultation: Consultation, direction: str, text: str, *, author: User | None, at: datetime
) -> ConsultationMessage:
    return ConsultationMessage.objects.create(
        consultation=consultation,
        direction=direction,
        body=vault.encrypt(consultation.consultation_key(), text.strip().encode(), purpose="consultation.message"),
        author=author,
        created_at=at,
    )


def _refresh(stale: Consultation, fresh: Consultation) -> None:
    """Let the caller's object show the state just written (views render it next)."""
    for field in (
        "status",
        "due_at",
        "warn_at",
        "first_answered_at",
        "closed_at",
        "proposed_at",
        "proposed_category_id",
        "proposed_unit_id",
        "proposed_party",
        "converted_case_id",
        "updated_at",
    ):
        setattr(stale, field, getattr(fresh, field))
