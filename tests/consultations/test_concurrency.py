"""Two requests acting on one consultation at the same moment (PostgreSQL: real
concurrent connections; SQLite serialises every writer anyway)."""

from __future__ import annotations

import pytest

from pakar.cases.models import Case, IdentityMode
from pakar.consultations import services
from pakar.consultations.models import Consultation, ConsultationMessage, ConsultationStatus
from tests.concurrency import race, skip_unless_postgresql

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ANONYMOUS = services.ConversionInput(identity_mode=IdentityMode.ANONYMOUS, identity={})


@pytest.fixture(autouse=True)
def needs_postgresql():
    skip_unless_postgresql()


def test_consenting_twice_at_once_creates_exactly_one_report(ask, officer, categories, unit):
    for _ in range(3):
        consultation = ask().consultation
        services.propose_report(
            consultation, category=categories["corruption"], unit=unit, party={}, explanation="x", actor=officer
        )
        first, second = (Consultation.objects.get(pk=consultation.pk) for _ in range(2))
        results = race(
            lambda c=first: services.convert_to_report(c, ANONYMOUS, form_token=f"{c.pk}-a"),
            lambda c=second: services.convert_to_report(c, ANONYMOUS, form_token=f"{c.pk}-b"),
        )
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], services.NotAllowedError)
        consultation.refresh_from_db()
        assert consultation.status == ConsultationStatus.CONVERTED
        assert consultation.converted_case == won[0].case
    assert Case.objects.count() == 3


def test_an_answer_racing_a_close_never_lands_on_a_closed_consultation(ask, officer):
    for _ in range(5):
        consultation = ask().consultation
        first, second = (Consultation.objects.get(pk=consultation.pk) for _ in range(2))
        race(
            lambda c=first: services.close_consultation(c, actor=officer),
            lambda c=second: services.answer_consultation(c, text="Jawaban.", actor=officer),
        )
        consultation.refresh_from_db()
        assert consultation.status == ConsultationStatus.CLOSED
        answers = ConsultationMessage.objects.filter(consultation=consultation)
        # Either the answer came first (and the close after it), or it was refused.
        if answers.exists():
            assert answers.get().created_at <= consultation.closed_at
