"""Public statistics at scale: the page's latency with 100,000 cases.

Under ``make bench`` (``bench(ctx)``) the cases are written straight into the
server's database with ``bulk_create`` (the statistics never decrypt, so every
case shares one dummy ciphertext) and the page is fetched over HTTP from
gunicorn. ``BENCH_FULL=1`` seeds 100,000 cases; the quick run 5,000.

Run alone (``python bench/stats.py [cases]``) it makes its own SQLite data dir,
measures in-process with Django's test client and prints the figures as JSON.

Figures:
- ``stats_page_p95_seconds``: GET /statistik/ with the figures cached, as
  nearly every visitor gets it;
- ``stats_recompute_seconds``: computing every figure from the database, what
  one visitor (or the periodic job) pays after a change, at most once a minute;
- ``stats_page_after_change_seconds``: the one request that recomputes (the
  others meanwhile keep getting the previous figures).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchContext, Figures, figure, percentile  # noqa: E402 - repository first

FULL_CASES = 100_000
QUICK_CASES = 5_000
REQUESTS = 200
BATCH = 5_000


def seed(target: int) -> tuple[int, float]:
    """Add cases (with their status changes, ratings for some closed ones, and some
    consultations) until there are ``target``."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from pakar import vault
    from pakar.cases.models import Case, Category, Decision, Status, StatusChange
    from pakar.consultations.models import Consultation, Topic
    from pakar.org.models import Unit

    start = time.perf_counter()
    have = Case.objects.count()
    if have >= target:
        return 0, 0.0
    rng = random.Random(6)
    categories = list(Category.objects.all())
    unit = Unit.objects.first() or Unit.objects.create(name="Dinas Bench")
    key = vault.new_case_key()
    wrapped, content = vault.wrap_key(key), vault.encrypt_json(key, {}, purpose="case.content")
    statuses = [Status.RECEIVED, Status.VERIFICATION, Status.INVESTIGATION, Status.CONCLUDED, Status.CLOSED]
    now = timezone.now()
    for first in range(have, target, BATCH):
        cases, changes, ratings = [], [], []
        for index in range(first, min(first + BATCH, target)):
            received = now - dt.timedelta(minutes=rng.randint(0, 730 * 24 * 60))
            status = rng.choice(statuses)
            cases.append(
                Case(
                    number=f"BENCH-{index:08d}",
                    status=status,
                    reporter_type="public",
                    identity_mode="anonymous",
                    category=rng.choice(categories),
                    unit=unit,
                    received_at=received,
                    wrapped_key=wrapped,
                    content=content,
                    access_lookup=f"bench{index:059d}",
                    reporter_public_key=b"\0" * 32,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(cases)
            for case in created:
                changes.append(StatusChange(case=case, to_status=Status.RECEIVED, at=case.received_at))
                if case.status in (Status.CONCLUDED, Status.CLOSED):
                    done = min(now, case.received_at + dt.timedelta(days=rng.randint(3, 120)))
                    changes.append(StatusChange(case=case, to_status=Status.CONCLUDED, at=done))
                    if case.status == Status.CLOSED and rng.random() < 0.5:
                        rating = Decision(
                            case=case, kind=Decision.Kind.RATING, rating=rng.randint(1, 5), created_at=done
                        )
                        ratings.append(rating)
            StatusChange.objects.bulk_create(changes, batch_size=BATCH)
            Decision.objects.bulk_create(ratings, batch_size=BATCH)
    topic = Topic.objects.first()
    if topic is not None:
        asked = []
        for index in range(target // 20):
            received = now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            answered = received + dt.timedelta(hours=rng.randint(2, 200)) if rng.random() < 0.9 else None
            asked.append(
                Consultation(
                    number=f"BENCH-K{index:07d}",
                    topic=topic,
                    asker_type="public",
                    status="answered" if answered else "new",
                    received_at=received,
                    first_answered_at=answered,
                    wrapped_key=wrapped,
                    content=content,
                    access_lookup=f"benchk{index:058d}",
                    asker_public_key=b"\0" * 32,
                )
            )
        Consultation.objects.bulk_create(asked, batch_size=BATCH)
    return target - have, time.perf_counter() - start


def measure(get: Callable[[str], float], cases: int) -> Figures:
    """``get(path)`` fetches a page and returns its latency in seconds."""
    from django.core.cache import cache

    from pakar.reports.aggregates import compute_statistics
    from pakar.reports.store import DATA_KEY, refresh_statistics

    began = time.perf_counter()
    compute_statistics()
    recompute = time.perf_counter() - began
    refresh_statistics()
    get("/statistik/")  # warm the worker
    latencies = [get("/statistik/") for _ in range(REQUESTS)]
    json_latencies = [get("/statistik/unduh/statistik.json") for _ in range(REQUESTS // 4)]
    cache.delete(DATA_KEY)  # as after a change once the minimum age has passed: this request recomputes
    after_change = get("/statistik/")
    return {
        "stats_page_p95_seconds": figure(percentile(latencies, 0.95), "s", "<= 0.1", cases=cases, requests=REQUESTS),
        "stats_page_p50_seconds": figure(percentile(latencies, 0.5), "s", None, cases=cases),
        "stats_json_p95_seconds": figure(percentile(json_latencies, 0.95), "s", "<= 0.1", cases=cases),
        "stats_recompute_seconds": figure(recompute, "s", "<= 5", cases=cases),
        "stats_page_after_change_seconds": figure(after_change, "s", None, cases=cases),
    }


def bench(ctx: BenchContext) -> Figures:
    ctx.setup_django()
    from django.conf import settings

    target = FULL_CASES if ctx.full else QUICK_CASES
    added, seconds = seed(target)
    client = ctx.client()

    def get(path: str) -> float:
        response = client.get(path)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return response.elapsed

    # The figures become stale at most once a minute under constant change; the
    # recompute a visitor pays then is the "after change" figure.
    ctx.note(
        f"stats: {target} cases ({added} added in {seconds:.1f} s with bulk_create); "
        f"recompute at most every {getattr(settings, 'PAKAR_STATS_MIN_AGE_SECONDS', 60)} s"
    )
    return measure(get, target)


def main() -> None:
    """Standalone: a fresh SQLite data dir, migrate, seed, measure in-process, print JSON."""
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else FULL_CASES
    data_dir = tempfile.mkdtemp(prefix="pk-bench-stats-")
    os.environ.update(
        {
            "PAKAR_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "pakar.settings",
            "PAKAR_KDF_MEMORY_KIB": "8192",
            "DJANGO_DEBUG": "0",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    added, seconds = seed(cases)
    print(f"seeded {added} cases in {seconds:.1f} s", file=sys.stderr)
    client = Client(SERVER_NAME="localhost")

    def get(path: str) -> float:
        began = time.perf_counter()
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return time.perf_counter() - began

    figures: dict[str, Any] = measure(get, cases)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
