"""What the reporter's follow-up page shows of the handling: the question we
asked, why a report was refused or referred, the outcome, whether they can
still rate it or object, and where a merged report is now handled.

Only text written *for* the reporter is decrypted here; findings and internal
comments never leave the back office.
"""

from __future__ import annotations

from typing import Any

from pakar.cases.handling import approved_conclusion, can_respond_to_outcome, rating_since_conclusion
from pakar.cases.models import Case, Decision, Status


def _latest(case: Case, kind: str) -> Decision | None:
    return case.decisions.filter(kind=kind).order_by("-created_at", "-pk").first()


def reporter_view(case: Case) -> dict[str, Any]:
    view: dict[str, Any] = {"status": case.status, "next_deadline": case.next_deadline}
    if case.status == Status.NEEDS_INFO:
        question = _latest(case, Decision.Kind.QUESTION)
        view["question"] = question.read_reporter_text() if question else ""
    elif case.status == Status.REJECTED:
        rejection = _latest(case, Decision.Kind.REJECTION)
        if rejection:
            view["rejection"] = {"reason": rejection.get_reason_display(), "text": rejection.read_reporter_text()}
    elif case.status == Status.REFERRED:
        referral = _latest(case, Decision.Kind.REFERRAL)
        if referral:
            view["referral"] = {"to": referral.get_referral_target_display(), "destination": referral.destination}
    elif case.status == Status.MERGED and case.merged_into is not None:
        main = case.merged_into
        view["merged"] = {"number": main.number, "status": main.public_status, "next_deadline": main.next_deadline}
    conclusion = approved_conclusion(case)
    if conclusion is not None and case.status != Status.REOPENED:
        view["outcome"] = {"result": conclusion.get_outcome_display(), "summary": conclusion.read_reporter_text()}
        rating = rating_since_conclusion(case)
        view["rating"] = rating.rating if rating else None
        view["can_rate"] = can_respond_to_outcome(case) and rating is None
        view["can_object"] = can_respond_to_outcome(case)
    if case.status == Status.REOPENED:
        view["reopened"] = True
    return view
