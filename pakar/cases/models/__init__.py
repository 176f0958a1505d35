from pakar.cases.models.case import Case, Evidence, Message, StatusChange
from pakar.cases.models.choices import Channel, IdentityMode, ReporterType, Status
from pakar.cases.models.reference import Category, Severity
from pakar.cases.models.sequence import NumberSequence
from pakar.cases.models.submission import SubmissionToken

__all__ = [
    "Case",
    "Category",
    "Channel",
    "Evidence",
    "IdentityMode",
    "Message",
    "NumberSequence",
    "ReporterType",
    "Severity",
    "Status",
    "StatusChange",
    "SubmissionToken",
]
