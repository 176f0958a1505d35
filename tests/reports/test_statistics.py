"""The statistics match figures computed by hand from a small fixture.

"Now" is Tuesday 15 December 2026; the period is January–December 2026.
September to December 2026 hold no Indonesian holiday before 24 December, so
working days are Monday to Friday and can be counted on a calendar.
"""

from __future__ import annotations

import pytest

from pakar.cases.models import Case, CaseDeadline, DeadlineClass, Decision, Status
from pakar.reports.aggregates import compute_statistics
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 12, 15, 12)
SMALL = {"count": None, "suppressed": "small"}


@pytest.fixture
def fixture(make_case, make_consultation):
    # Corruption, September: five concluded, one still in verification.
    # Working days to conclusion, counted by hand:
    #   1 Sep (Tue) -> 15 Sep: 2-4, 7-11, 14-15 Sep                      = 10
    #   1 Sep       -> 29 Sep: 10 + 16-18, 21-25, 28-29 Sep              = 20
    #   5 Sep (Sat, counts from Mon 7 Sep) -> 21 Sep: 8-11, 14-18, 21    = 10
    #   1 Sep       -> 13 Oct: 21 in Sep (2-30) + 1-2, 5-9, 12-13 Oct    = 30
    #   1 Sep       -> 2 Dec: 21 + 22 in Oct + 21 in Nov + 1-2 Dec       = 66
    # They were recorded without clocks and classed "oversight": 3 + 60 working days allowed.
    concluded = [
        (at(2026, 9, 1), at(2026, 9, 15)),
        (at(2026, 9, 1), at(2026, 9, 29)),
        (at(2026, 9, 5), at(2026, 9, 21)),
        (at(2026, 9, 1), at(2026, 10, 13)),
        (at(2026, 9, 1), at(2026, 12, 2)),
    ]
    for received, done in concluded:
        make_case(received, "corruption", Status.CONCLUDED, concluded=done, deadline_class=DeadlineClass.OVERSIGHT)
    make_case(at(2026, 9, 10), "corruption", Status.VERIFICATION)
    # Public service, October: three received, two in verification.
    for day in (1, 2, 5):
        make_case(at(2026, 10, day), "public-service")
    for day in (6, 7):
        make_case(at(2026, 10, day), "public-service", Status.VERIFICATION)
    # Gratification, November: four received.
    for day in (2, 3, 4, 5):
        make_case(at(2026, 11, day), "gratification")
    # Before the period: neither counted as received nor as concluded.
    make_case(at(2025, 11, 3), "corruption", Status.CONCLUDED, concluded=at(2025, 12, 20))
    # Consultations received Thursday 1 October; first answers after 1, 2, 3, 5 and 8 working days.
    for answered in (at(2026, 10, 2), at(2026, 10, 5), at(2026, 10, 6), at(2026, 10, 8), at(2026, 10, 13)):
        make_consultation(at(2026, 10, 1), answered)
    make_consultation(at(2026, 10, 1))  # not answered yet


def test_the_period_is_the_twelve_months_up_to_now(fixture):
    data = compute_statistics(NOW)
    assert data["months"] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-15"}
    assert data["minimum"] == 5


def test_reports_received_per_month_and_category(fixture):
    cells = compute_statistics(NOW)["received"]["cells"]
    assert cells["2026-09"]["corruption"] == {"count": 6}
    assert cells["2026-09"]["total"] == {"count": 6}
    assert cells["2026-10"]["public-service"] == {"count": 5}
    assert cells["2026-10"]["total"] == {"count": 5}
    assert cells["2026-11"]["gratification"] == SMALL
    assert cells["2026-11"]["total"] == SMALL
    assert cells["2026-12"]["total"] == SMALL  # zero is shown as "< 5" too
    assert cells["total"] == {
        "ethics-light": SMALL,
        "ethics-medium": SMALL,
        "ethics-heavy": SMALL,
        "corruption": {"count": 6},
        "gratification": SMALL,
        "drugs": SMALL,
        "other-legal": SMALL,
        "public-service": {"count": 5},
        "total": {"count": 15},
    }


def test_status_distribution_of_reports_received_in_the_period(fixture):
    cells = compute_statistics(NOW)["status"]["cells"]
    assert cells["received"] == {"count": 7}
    assert cells["concluded"] == {"count": 5}
    assert cells["verification"] == SMALL  # 3
    assert cells["total"] == {"count": 15}
    assert all(cells[s] == SMALL for s in ("needs_info", "investigation", "closed", "rejected"))


def test_time_to_conclusion_median_and_share_within_the_deadline(fixture):
    conclusion = compute_statistics(NOW)["conclusion"]
    assert conclusion == {
        "concluded": {"count": 5},
        "median_working_days": 20.0,  # of 10, 10, 20, 30, 66
        "share_within_deadline": 80.0,  # four of five within 3 + 60
    }


def test_without_clocks_the_deadline_follows_the_class_and_the_live_settings(fixture):
    from pakar.workdays.models import DeadlineSettings

    DeadlineSettings.objects.filter(pk=DeadlineSettings.current().pk).update(oversight_days=20)
    assert compute_statistics(NOW)["conclusion"]["share_within_deadline"] == 60.0  # 10, 10, 20 within 23
    Case.objects.update(deadline_class="")  # unclassified: the workflow's default class, 14 days
    assert compute_statistics(NOW)["conclusion"]["share_within_deadline"] == 40.0  # 10, 10 within 17


def test_the_case_clocks_decide_when_they_exist(fixture):
    """The clocks leave out time spent waiting for the reporter, so they win over a count of days."""
    quick = Case.objects.get(received_at=at(2026, 9, 5))  # 10 working days, but verified late
    slow = Case.objects.get(status_changes__at=at(2026, 12, 2))  # 66 working days, but paused for 10
    clock(quick, CaseDeadline.Kind.VERIFICATION, due=at(2026, 9, 9, 23), stopped=at(2026, 9, 11))
    clock(quick, CaseDeadline.Kind.HANDLING, due=at(2026, 10, 9, 23), stopped=at(2026, 9, 21))
    clock(slow, CaseDeadline.Kind.VERIFICATION, due=at(2026, 9, 4, 23), stopped=at(2026, 9, 3))
    clock(slow, CaseDeadline.Kind.HANDLING, due=at(2026, 12, 10, 23), stopped=at(2026, 12, 2))
    # A clock that ended after the first conclusion (a reopened case) does not count.
    clock(slow, CaseDeadline.Kind.HANDLING, due=at(2026, 12, 3, 23), stopped=at(2026, 12, 14))
    assert compute_statistics(NOW)["conclusion"]["share_within_deadline"] == 80.0  # quick late, slow on time


def clock(case, kind, *, due, stopped):
    CaseDeadline.objects.create(
        case=case,
        kind=kind,
        amount=3,
        started_at=case.received_at,
        due_at=due,
        warn_at=due,
        state=CaseDeadline.State.MET,
        stopped_at=stopped,
    )


def test_consultations_received_and_answered(fixture):
    consultations = compute_statistics(NOW)["consultations"]
    assert consultations == {
        "received": {"count": 6},
        "answered": {"count": 5},
        "deadline_days": 5,
        "median_working_days": 3.0,  # of 1, 2, 3, 5, 8
        "share_within_deadline": 80.0,  # four of five within 5 working days
    }


def test_satisfaction_ratings_given_in_the_period(make_case):
    cases = [make_case(at(2026, 9, 1), "corruption", Status.CLOSED, concluded=at(2026, 9, 15)) for _ in range(7)]
    for case, rating in zip(cases, (5, 5, 4, 4, 4, 3), strict=False):
        Decision.objects.create(case=case, kind=Decision.Kind.RATING, rating=rating, created_at=at(2026, 9, 20))
    Decision.objects.create(case=cases[6], kind=Decision.Kind.RATING, rating=1, created_at=at(2025, 12, 1))
    satisfaction = compute_statistics(NOW)["satisfaction"]
    assert satisfaction["cells"] == {
        "1": SMALL,
        "2": SMALL,
        "3": SMALL,
        "4": SMALL,
        "5": SMALL,
        "total": {"count": 6},
    }
    assert satisfaction["average"] == 4.17  # (5 + 5 + 4 + 4 + 4 + 3) / 6
    assert satisfaction["scale"] == 5


def test_no_average_rating_behind_fewer_than_five_ratings(make_case):
    for rating in (5, 4, 4, 3):
        case = make_case(at(2026, 9, 1), "corruption", Status.CLOSED, concluded=at(2026, 9, 15))
        Decision.objects.create(case=case, kind=Decision.Kind.RATING, rating=rating, created_at=at(2026, 9, 20))
    assert compute_statistics(NOW)["satisfaction"]["average"] is None


def test_medians_are_not_shown_behind_fewer_than_five_cases(make_case, make_consultation):
    for day in (1, 2, 3, 4):
        make_case(at(2026, 9, day), "corruption", Status.CONCLUDED, concluded=at(2026, 9, 30))
    data = compute_statistics(NOW)
    assert data["conclusion"]["concluded"] == SMALL
    assert data["conclusion"]["median_working_days"] is None
    assert data["conclusion"]["share_within_deadline"] is None


def test_the_first_conclusion_counts_when_a_reopened_case_is_concluded_again(make_case):
    from pakar.cases.models import StatusChange

    cases = [make_case(at(2026, 9, 1), "corruption", Status.CONCLUDED, concluded=at(2026, 9, 15)) for _ in range(5)]
    StatusChange.objects.create(
        case=cases[0], from_status=Status.REOPENED, to_status=Status.CONCLUDED, at=at(2026, 12, 1)
    )
    assert compute_statistics(NOW)["conclusion"]["median_working_days"] == 10.0


def test_no_figure_names_a_case(fixture):
    from pakar.cases.models import Case

    text = str(compute_statistics(NOW))
    assert not any(number in text for number in Case.objects.values_list("number", flat=True))
