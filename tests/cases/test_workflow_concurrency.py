"""Two staff acting on the same case at the same moment: exactly one wins."""

from __future__ import annotations

import pytest

from pakar.cases import handling
from pakar.cases.models import Case, Status, StatusChange
from pakar.cases.workflow import ConcurrentChangeError, transition_case
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare, make_case
from tests.concurrency import race, skip_unless_postgresql

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    skip_unless_postgresql()


def test_two_verifiers_deciding_at_once_leave_exactly_one_decision(staff, category, unit):
    verifier, inspector = staff["verifier"], staff["inspector"]
    for round_ in range(5):
        case = make_case(category, unit)
        declare(case, verifier, inspector)
        transition_case(case, Status.VERIFICATION, actor=verifier)
        seen_by_a = Case.objects.get(pk=case.pk)
        seen_by_b = Case.objects.get(pk=case.pk)
        results = race(
            lambda a=seen_by_a: transition_case(a, Status.ASSESSMENT, actor=verifier),
            lambda b=seen_by_b, letter=f"800/{round_}": transition_case(
                b, Status.REFERRED, actor=inspector, data={"referral_target": "bkn", "letter_number": letter}
            ),
        )
        lost = [r for r in results if isinstance(r, ConcurrentChangeError)]
        won = [r for r in results if isinstance(r, StatusChange)]
        assert len(won) == 1 and len(lost) == 1, results
        assert "Someone else changed this case" in lost[0].message
        final = Case.objects.get(pk=case.pk)
        assert final.status == won[0].to_status
        assert final.version == 2
        assert final.status_changes.count() == 3


def test_an_assignment_and_a_status_move_at_once_do_not_overwrite_each_other(staff, category, unit, team):
    case = make_case(category, unit)
    declare(case, staff["verifier"], staff["inspector"])
    transition_case(case, Status.VERIFICATION, actor=staff["verifier"])
    a, b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    results = race(
        lambda: transition_case(a, Status.ASSESSMENT, actor=staff["verifier"]),
        lambda: handling.assign_case(b, team=team, officer=None, actor=staff["inspector"]),
    )
    assert sum(isinstance(r, ConcurrentChangeError) for r in results) == 1, results
    final = Case.objects.get(pk=case.pk)
    assert (final.status == Status.ASSESSMENT) != (final.assigned_team_id == team.pk)
