"""Many reporters sending at the same moment get numbers 1..N: no gap, no duplicate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from pakar.cases import services
from pakar.cases.models import Case, NumberSequence
from tests.cases.support import report_input

SUBMITTERS = 12


def submit_at_once(category, unit, count: int, *, round_: int = 1) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(count)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submitter(index: int) -> None:
        try:
            data = report_input(category, unit, title=f"Laporan serentak {index}")
            barrier.wait(timeout=60)
            receipt = services.submit_report(data, form_token=f"parallel-{round_}-{index}")
            with lock:
                numbers.append(receipt.case.number)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return numbers, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submitters_get_consecutive_numbers_with_no_gap_or_duplicate(categories, unit):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrency (SQLite serialises all writers)")
    category = categories["public-service"]
    year = timezone.localdate().year

    # First round: the year's sequence row does not exist yet, so the submitters
    # also race to create it.
    numbers, errors = submit_at_once(category, unit, SUBMITTERS)
    assert errors == []
    assert sorted(numbers) == [f"PKR-{year}-{n:05d}" for n in range(1, SUBMITTERS + 1)]

    # Second round: the row exists and every submitter queues on its lock.
    numbers, errors = submit_at_once(category, unit, SUBMITTERS, round_=2)
    assert errors == []
    assert sorted(numbers) == [f"PKR-{year}-{n:05d}" for n in range(SUBMITTERS + 1, 2 * SUBMITTERS + 1)]

    assert Case.objects.count() == 2 * SUBMITTERS
    assert NumberSequence.objects.get(prefix="PKR", year=year).last == 2 * SUBMITTERS
    titles = {case.read_content()["title"] for case in Case.objects.all()}
    assert len(titles) == SUBMITTERS  # each round used the same twelve titles


@pytest.mark.django_db(transaction=True)
def test_parallel_submitters_on_sqlite_also_get_consecutive_numbers(categories, unit):
    """The development database: IMMEDIATE transactions queue the writers."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the PostgreSQL test above")
    year = timezone.localdate().year
    numbers, errors = submit_at_once(categories["public-service"], unit, 8)
    assert errors == []
    assert sorted(numbers) == [f"PKR-{year}-{n:05d}" for n in range(1, 9)]
