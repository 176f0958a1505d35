"""The live facts the guidance page states: deadlines, statuses, file limits.

Nothing here is hard-coded text about numbers: deadlines come from the
administrator's deadline settings (pakar.workdays) and the consultation
setting, file limits from Django settings, so the page never contradicts
what the workflow does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pakar.cases import filetypes
from pakar.cases.models import Status
from pakar.consultations.deadlines import answer_days
from pakar.workdays.models import DeadlineSettings


@dataclass(frozen=True)
class Deadline:
    anchor: str
    days: int
    label: Promise


def deadlines() -> dict[str, Deadline]:
    """Every period a reporter or asker is told about, in working days, from the live settings."""
    current = DeadlineSettings.current()
    items = [
        Deadline("verification", current.verification_days, _("Checking that the report is complete")),
        Deadline("information", current.information_days, _("Answer to a request for information")),
        Deadline("complaint", current.complaint_days, _("Handling of a complaint without oversight content")),
        Deadline("oversight", current.oversight_days, _("Handling of a matter that needs an audit or investigation")),
        Deadline("needs_info_wait", current.needs_info_wait_days, _("Time you have to send information we ask for")),
        Deadline(
            "auto_close", current.auto_close_days, _("Time to rate the outcome or object before the report closes")
        ),
        Deadline("consultation", answer_days(), _("Answer to a consultation question")),
    ]
    return {item.anchor: item for item in items}


STATUS_EXPLANATIONS: dict[str, Promise] = {
    Status.RECEIVED: _("Your report is recorded and has a case number. Nobody has judged it yet."),
    Status.VERIFICATION: _(
        "A verifier checks that the report is complete (4W+1H, evidence) and that the inspectorate is the right place for it."
    ),
    Status.NEEDS_INFO: _(
        "We asked you a question on the follow-up page. The clock stops until you answer; without an answer in time the report lapses."
    ),
    Status.REFERRED: _(
        "Another authority (for example KPK, the police or the Ombudsman) is competent. We pass the report on and keep tracking it."
    ),
    Status.REJECTED: _(
        "The report cannot be followed up, for example because it is too general or not about officials. You are told why."
    ),
    Status.ASSESSMENT: _("The report is studied and classified; the class sets the handling deadline."),
    Status.CLARIFICATION: _("The parties concerned are asked for explanations."),
    Status.INVESTIGATION: _("Investigators examine documents and people to establish the facts."),
    Status.CONCLUDED: _(
        "The inspector approved a conclusion: proven, not proven, or partly proven. You are told even if nothing wrong was found."
    ),
    Status.FOLLOW_UP: _("The inspectorate checks that its recommendation (for example a sanction) is carried out."),
    Status.CLOSED: _("Handling is over."),
    Status.REOPENED: _("You objected to the conclusion, so the report is handled again."),
    Status.MERGED: _("Someone reported the same matter; both are handled together and you can still follow yours."),
}


def statuses() -> list[dict[str, object]]:
    return [
        {"code": s.value, "label": s.public_label, "explanation": STATUS_EXPLANATIONS.get(s.value, "")} for s in Status
    ]


def file_limits() -> dict[str, object]:
    return {
        "max_files": settings.PAKAR_MAX_FILES,
        "max_mb": settings.PAKAR_MAX_FILE_BYTES // (1024 * 1024),
        "types": filetypes.allowed_labels(),
    }
