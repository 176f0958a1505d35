"""The inbox: what each person sees, filters, search, sort, pages, badges, and a
constant number of queries however many cases there are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pakar.cases import handling
from pakar.cases.models import Case, Status
from pakar.cases.workflow import transition_case
from pakar.org.models import Unit
from tests.backoffice.fixtures import *  # noqa: F403
from tests.backoffice.fixtures import declare, make_case

pytestmark = pytest.mark.django_db
INBOX = reverse("backoffice:inbox")


def numbers(response) -> list[str]:
    return re.findall(r">(PKR-\d{4}-\d{5})</a></th>", response.text)


def set_deadline(case, *, due, warn):
    # Test set-up only: place the case's clock where the badge cases need it.
    Case.objects.filter(pk=case.pk).update(next_deadline=due, deadline_warn_at=warn)


@pytest.fixture
def three(category, unit, categories):
    other_unit = Unit.objects.create(name="Dinas Kesehatan", short_name="Dinkes")
    return [
        make_case(category, unit),
        make_case(categories["corruption"], other_unit),
        make_case(category, other_unit),
    ]


def test_investigators_see_only_their_own_and_their_teams_cases(client, staff, team, three):
    mine, teams, others = three
    declare(mine, staff["inspector"])
    declare(teams, staff["inspector"])
    handling.assign_case(mine, team=None, officer=staff["investigator"], actor=staff["inspector"])
    handling.assign_case(teams, team=team, officer=None, actor=staff["inspector"])
    client.force_login(staff["investigator"])
    assert sorted(numbers(client.get(INBOX))) == sorted([mine.number, teams.number])
    client.force_login(staff["other_investigator"])
    assert numbers(client.get(INBOX)) == []
    client.force_login(staff["verifier"])
    assert len(numbers(client.get(INBOX))) == 3


def test_filters_by_status_category_unit_and_search(client, staff, three, categories):
    first, second, third = three
    declare(first, staff["verifier"])
    transition_case(first, Status.VERIFICATION, actor=staff["verifier"])
    client.force_login(staff["verifier"])
    assert numbers(client.get(INBOX, {"status": "verification"})) == [first.number]
    assert numbers(client.get(INBOX, {"category": categories["corruption"].pk})) == [second.number]
    assert sorted(numbers(client.get(INBOX, {"unit": third.unit_id}))) == sorted([second.number, third.number])
    assert numbers(client.get(INBOX, {"q": first.number[-5:]})) == [first.number]
    assert sorted(numbers(client.get(INBOX, {"q": "dinkes"}))) == sorted([second.number, third.number])
    assert client.get(INBOX, {"unit": "not-a-number"}).status_code == 400


def test_finished_cases_leave_the_default_view(client, staff, three):
    first = three[0]
    declare(first, staff["verifier"])
    transition_case(first, Status.VERIFICATION, actor=staff["verifier"])
    transition_case(first, Status.REJECTED, actor=staff["verifier"], data={"reason": "other", "explanation": "x"})
    client.force_login(staff["verifier"])
    assert first.number not in numbers(client.get(INBOX))
    assert numbers(client.get(INBOX, {"scope": "closed"})) == [first.number]


def test_cases_come_sorted_by_next_deadline_with_badges(client, staff, three):
    now = timezone.now()
    late, soon, fine = three
    set_deadline(late, due=now - dt.timedelta(days=1), warn=now - dt.timedelta(days=2))
    set_deadline(soon, due=now + dt.timedelta(days=1), warn=now - dt.timedelta(hours=1))
    set_deadline(fine, due=now + dt.timedelta(days=9), warn=now + dt.timedelta(days=5))
    client.force_login(staff["inspector"])
    page = client.get(INBOX)
    assert numbers(page) == [late.number, soon.number, fine.number]
    assert [b for b in re.findall(r'class="badge (\w+)"', page.text)] == ["overdue", "warning", "on_time"]
    assert numbers(client.get(INBOX, {"deadline": "overdue"})) == [late.number]
    assert numbers(client.get(INBOX, {"deadline": "warning"})) == [soon.number]
    assert numbers(client.get(INBOX, {"deadline": "on_time"})) == [fine.number]
    assert numbers(client.get(INBOX, {"sort": "newest"})) == [fine.number, soon.number, late.number]


def test_pages_of_twenty_five(client, staff, category, unit):
    for _ in range(27):
        make_case(category, unit)
    client.force_login(staff["inspector"])
    first = client.get(INBOX, {"sort": "oldest"})
    second = client.get(INBOX, {"sort": "oldest", "page": 2})
    assert len(numbers(first)) == 25 and len(numbers(second)) == 2
    assert "27 cases" in first.text
    assert "sort=oldest&amp;page=2" in first.text


def test_the_number_of_queries_does_not_grow_with_the_cases(
    client, staff, category, unit, team, django_assert_max_num_queries
):
    client.force_login(staff["investigator"])
    first = make_case(category, unit)
    Case.objects.filter(pk=first.pk).update(assigned_team=team)  # set-up: visible to the investigator's team
    # Session, person, roles, filter options, count and page, and what sign-in
    # layers add; the point is the second measurement below.
    with django_assert_max_num_queries(16) as few:
        client.get(INBOX, {"q": "PKR", "assignee": "none"})
    for _ in range(40):
        created = make_case(category, unit)
        Case.objects.filter(pk=created.pk).update(assigned_team=team)  # set-up, as above
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX, {"q": "PKR", "assignee": "none"})
    assert len(numbers(response)) == 25
