"""What the case page shows, decrypted for a permitted staff member.

Nothing here writes; the views decide who gets here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pakar.accounts.models import User
from pakar.cases.models import (
    ActorKind,
    Case,
    CaseEvent,
    CaseView,
    Decision,
    IdentityMode,
    Message,
    Status,
)

CONTENT_LABELS = [
    ("title", gettext_lazy("Subject")),
    ("what", gettext_lazy("What happened")),
    ("where", gettext_lazy("Where")),
    ("when", gettext_lazy("When")),
    ("how", gettext_lazy("How")),
    ("witnesses", gettext_lazy("Who else knows")),
    ("why", gettext_lazy("Why")),
    ("loss", gettext_lazy("Estimated loss")),
    ("remedy", gettext_lazy("What the reporter asks for")),
]


def content(case: Case) -> dict[str, Any]:
    data = case.read_content()
    return {
        "title": data.get("title", ""),
        "fields": [(label, data.get(key, "")) for key, label in CONTENT_LABELS[1:] if data.get(key)],
        "party": data.get("party", {}),
    }


IDENTITY_LABELS = [
    ("name", gettext_lazy("Name")),
    ("nik", gettext_lazy("NIK")),
    ("address", gettext_lazy("Address")),
    ("occupation", gettext_lazy("Occupation")),
    ("phone", gettext_lazy("Telephone")),
    ("email", gettext_lazy("E-mail")),
]


def identity(case: Case) -> list[tuple[Any, str]] | None:
    """Only an open report's identity is shown to handlers; a confidential one stays sealed."""
    if case.identity_mode != IdentityMode.OPEN:
        return None
    data = case.read_identity() or {}
    return [(label, data[key]) for key, label in IDENTITY_LABELS if data.get(key)]


def evidence(case: Case) -> list[dict[str, Any]]:
    return [
        {"pk": item.pk, "source": item.get_source_display(), "at": item.created_at, **item.read_meta()}
        for item in case.evidence.all()
    ]


def thread(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "from_reporter": m.direction == Message.Direction.FROM_REPORTER,
            "author": m.author,
            "at": m.created_at,
            "text": m.read_body(),
        }
        for m in case.messages.select_related("author")
    ]


def notes(case: Case) -> list[dict[str, Any]]:
    return [
        {"author": n.author, "at": n.created_at, "text": n.read_body()} for n in case.notes.select_related("author")
    ]


def _actor(kind: str, user: User | None) -> str:
    if kind == ActorKind.SYSTEM:
        return _("PAKAR (automatic)")
    if kind == ActorKind.REPORTER:
        return _("The reporter")
    return str(user) if user else _("The reporter")


def timeline(case: Case) -> list[dict[str, Any]]:
    """Status moves and other events, oldest first."""
    entries = [
        {
            "at": change.at,
            "label": _("Status: %(status)s") % {"status": Status(change.to_status).label},
            "actor": _actor(change.actor_kind, change.actor),
            "status": True,
        }
        for change in case.status_changes.select_related("actor")
    ]
    entries += [
        {"at": event.at, "label": CaseEvent.Kind(event.kind).label, "actor": _actor(event.actor_kind, event.actor)}
        for event in case.events.select_related("actor")
    ]
    return sorted(entries, key=lambda entry: entry["at"])


def _decided_by_kind(decision: Decision) -> str:
    """Staff, PAKAR itself (a lapse) or the reporter (a rating, an objection)."""
    if decision.status_change is not None:
        return decision.status_change.actor_kind
    return ActorKind.STAFF if decision.actor_id else ActorKind.REPORTER


def decisions(case: Case) -> list[dict[str, Any]]:
    found = []
    for d in case.decisions.select_related("actor", "decided_by", "merged_into", "status_change"):
        facts = [
            (_("Reason"), d.get_reason_display()),
            (_("Referred to"), d.get_referral_target_display()),
            (_("Letter number"), d.letter_number),
            (_("Receiving office"), d.destination),
            (_("Deadline class"), d.get_deadline_class_display()),
            (_("Result"), d.get_outcome_display()),
            (_("Recommended sanction"), d.get_sanction_display()),
            (_("Rating"), f"{d.rating} / 5" if d.rating else ""),
            (_("Merged into"), d.merged_into.number if d.merged_into else ""),
            (_("State"), d.get_state_display() if d.state else ""),
        ]
        found.append(
            {
                "kind": d.get_kind_display(),
                "at": d.created_at,
                "actor": _actor(_decided_by_kind(d), d.actor),
                "facts": [(label, value) for label, value in facts if value],
                "internal": d.read_internal(),
                "reporter_text": d.read_reporter_text(),
                "decided_by": d.decided_by,
            }
        )
    return found


def viewers(case: Case) -> list[dict[str, Any]]:
    """Who opened the case, how often and when last."""
    rows = (
        CaseView.objects.filter(case=case).values("user").annotate(times=Count("pk"), last=Max("at")).order_by("-last")
    )
    people = User.objects.in_bulk([row["user"] for row in rows])
    return [{"user": people.get(row["user"]), "times": row["times"], "last": row["last"]} for row in rows]


def pending_proposal(case: Case) -> dict[str, Any] | None:
    proposal = (
        case.decisions.filter(kind=Decision.Kind.CONCLUSION, state=Decision.ProposalState.PENDING)
        .select_related("actor")
        .first()
    )
    if proposal is None:
        return None
    return {
        "actor": proposal.actor,
        "at": proposal.created_at,
        "outcome": proposal.get_outcome_display(),
        "sanction": proposal.get_sanction_display(),
        "findings": proposal.read_internal(),
        "summary": proposal.read_reporter_text(),
    }
