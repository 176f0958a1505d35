from pakar.cases.models.activity import CaseEvent, CaseView, ConflictDeclaration, InternalNote
from pakar.cases.models.case import Case, Evidence, Message, StatusChange
from pakar.cases.models.choices import (
    TERMINAL_STATUSES,
    ActorKind,
    Channel,
    DeadlineClass,
    IdentityMode,
    Outcome,
    ReferralTarget,
    RejectionReason,
    ReporterType,
    SanctionClass,
    Status,
)
from pakar.cases.models.deadline import CaseDeadline
from pakar.cases.models.decision import Decision
from pakar.cases.models.reference import Category, Severity
from pakar.cases.models.sequence import NumberSequence
from pakar.cases.models.submission import SubmissionToken

__all__ = [
    "TERMINAL_STATUSES",
    "ActorKind",
    "Case",
    "CaseDeadline",
    "CaseEvent",
    "CaseView",
    "Category",
    "Channel",
    "ConflictDeclaration",
    "DeadlineClass",
    "Decision",
    "Evidence",
    "IdentityMode",
    "InternalNote",
    "Message",
    "NumberSequence",
    "Outcome",
    "ReferralTarget",
    "RejectionReason",
    "ReporterType",
    "SanctionClass",
    "Severity",
    "Status",
    "StatusChange",
    "SubmissionToken",
]

# Reactions to writes made elsewhere (a new case, a reporter's reply) that
# start and resume the case's clocks; see pakar.cases.reactions.
from pakar.cases import reactions  # noqa: E402,F401
