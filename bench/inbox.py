"""The back-office inbox at scale: page latency and SQL queries per page.

``python bench/inbox.py --cases 100000 [--database-url postgres://…]`` makes its
own data dir (SQLite) or its own scratch PostgreSQL database, migrates, seeds the
cases with ``bulk_create`` and fetches inbox pages in-process through Django's
test client as an inspector (who sees every case) and as an investigator (who
sees their team's), then prints the figures as JSON on its last line.

The seeded cases carry only what the inbox reads (number, status, category,
unit, team, handler, dates, next deadline); they share one encrypted empty
content and have no timeline or clock rows: the inbox never decrypts and never
reads those, so the figures are those of a real inbox of that size.

Under ``make bench`` (``bench(ctx)``) it runs the same script for SQLite and, when
PostgreSQL answers on 127.0.0.1, for PostgreSQL: 100,000 cases with
``BENCH_FULL=1``, 5,000 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchContext, Figures, figure, percentile  # noqa: E402 - repository first

FULL_CASES = 100_000
QUICK_CASES = 5_000
BATCH = 5_000
ROUNDS = 15  # requests per scenario
PG_URL = os.environ.get("PAKAR_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


# --- seeding -------------------------------------------------------------------


def seed(target: int) -> tuple[int, float]:
    """Add cases until there are ``target`` (spread over every status, unit, team and deadline state)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from pakar import vault
    from pakar.cases.models import TERMINAL_STATUSES, Case, Status

    finished = [Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.MERGED]
    still_open = [s for s in Status.values if s not in finished]

    start = time.perf_counter()
    have = Case.objects.count()
    if have >= target:
        return 0, 0.0
    rng = random.Random(3)
    world = _reference_data()
    key = vault.new_case_key()
    wrapped, content = vault.wrap_key(key), vault.encrypt_json(key, {}, purpose="case.content")
    now = timezone.now()
    for first in range(have, target, BATCH):
        batch = []
        for index in range(first, min(first + BATCH, target)):
            # A large inbox is mostly finished cases: 70% closed, refused, referred
            # or merged, the rest spread over the open statuses.
            status = rng.choice(finished if rng.random() < 0.7 else still_open)
            due = None if status in TERMINAL_STATUSES else now + dt.timedelta(hours=rng.randint(-30 * 24, 60 * 24))
            team = rng.choice(world["teams"] + [None])
            batch.append(
                Case(
                    number=f"PKR-{1900 + index // 100_000}-{index % 100_000:05d}",
                    status=status,
                    channel=rng.choice(["online", "online", "online", "walk_in", "letter", "phone"]),
                    reporter_type="public",
                    identity_mode="confidential",
                    category=rng.choice(world["categories"]),
                    unit=rng.choice(world["units"]),
                    received_at=now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                    wrapped_key=wrapped,
                    content=content,
                    access_lookup=f"inbox{index:059d}",
                    reporter_public_key=b"\0" * 32,
                    next_deadline=due,
                    deadline_warn_at=due - dt.timedelta(days=rng.randint(1, 12)) if due else None,
                    assigned_team=team,
                    assignee=rng.choice(world["investigators"]) if team and rng.random() < 0.5 else None,
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(batch)
    return target - have, time.perf_counter() - start


def _reference_data() -> dict[str, Any]:
    from pakar.accounts.models import Role, RoleGrant, User
    from pakar.cases.models import Category
    from pakar.org.demo import DEMO_TEAMS, DEMO_UNITS
    from pakar.org.models import Team, Unit

    units = [Unit.objects.get_or_create(name=name, defaults={"short_name": short})[0] for name, short in DEMO_UNITS]
    teams = [Team.objects.get_or_create(name=name)[0] for name in DEMO_TEAMS]
    investigators = []
    for index, team in enumerate(teams):
        user, _ = User.objects.get_or_create(username=f"bench-investigator-{index}", defaults={"team": team})
        RoleGrant.objects.get_or_create(user=user, role=Role.INVESTIGATOR)
        investigators.append(user)
    inspector, _ = User.objects.get_or_create(username="bench-inspector")
    RoleGrant.objects.get_or_create(user=inspector, role=Role.INSPECTOR)
    return {"units": units, "teams": teams, "investigators": investigators, "categories": list(Category.objects.all())}


# --- measuring -------------------------------------------------------------------


def scenarios() -> dict[str, tuple[str, dict[str, str]]]:
    """What staff do in the inbox: (who, query string) per scenario."""
    from pakar.cases.models import Category
    from pakar.org.models import Unit

    unit = Unit.objects.order_by("pk").first()
    category = Category.objects.order_by("pk").first()
    return {
        "inspector_first_page": ("inspector", {}),
        "inspector_page_40": ("inspector", {"page": "40"}),
        "inspector_overdue": ("inspector", {"deadline": "overdue"}),
        "inspector_status": ("inspector", {"status": "investigation"}),
        "inspector_unit_category": (
            "inspector",
            {"unit": str(unit.pk if unit else ""), "category": str(category.pk if category else "")},
        ),
        "inspector_search_number": ("inspector", {"q": "PKR-1900-0421"}),
        "inspector_search_text": ("inspector", {"q": "Dinkes", "scope": "all"}),
        "inspector_newest_all": ("inspector", {"scope": "all", "sort": "newest"}),
        "investigator_first_page": ("investigator", {}),
        "investigator_mine": ("investigator", {"assignee": "me"}),
    }


def measure(cases: int) -> Figures:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pakar.accounts.models import User

    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "localhost")
    clients = {}
    for who, username in (("inspector", "bench-inspector"), ("investigator", "bench-investigator-0")):
        clients[who] = _signed_in(Client(SERVER_NAME=host), User.objects.get(username=username))
    latencies: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    cpu: list[float] = []
    load_before = os.getloadavg()[0]
    for name, (who, params) in scenarios().items():
        get = _getter(clients[who], params, [])
        get()  # warm
        with CaptureQueriesContext(connection) as captured:
            get()
        queries[name] = len(captured.captured_queries)
        get = _getter(clients[who], params, cpu)
        latencies[name] = [get() for _ in range(ROUNDS)]
    every = [value for values in latencies.values() for value in values]
    vendor = connection.vendor
    per_scenario = {name: round(percentile(values, 0.95) * 1000, 1) for name, values in latencies.items()}
    load = round(max(load_before, os.getloadavg()[0]), 2)
    return {
        "inbox_p95_ms": figure(
            percentile(every, 0.95) * 1000,
            "ms",
            "<= 100",
            cases=cases,
            database=vendor,
            requests=len(every),
            p95_by_scenario=per_scenario,
            load_average=load,
        ),
        "inbox_p50_ms": figure(percentile(every, 0.5) * 1000, "ms", None, cases=cases, database=vendor),
        "inbox_cpu_p95_ms": figure(
            percentile(cpu, 0.95) * 1000,
            "ms",
            None,
            cases=cases,
            database=vendor,
            note="CPU time of the Django process per page; with SQLite it includes the queries",
        ),
        "inbox_queries_per_page": figure(
            max(queries.values()), "queries", "<= 14", cases=cases, database=vendor, by_scenario=queries
        ),
    }


def _signed_in(client: Any, user: Any) -> Any:
    """A session for the person, with the second factor given when PAKAR asks for one."""
    from django.apps import apps

    client.force_login(user)
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _getter(client: Any, params: dict[str, str], cpu: list[float]) -> Callable[[], float]:
    """Fetch the page; return its wall time and note its CPU time (this process,
    which with SQLite includes the database work)."""

    def get() -> float:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get("/staff/kasus/", params)
        elapsed = time.perf_counter() - began
        cpu.append(time.process_time() - began_cpu)
        if response.status_code != 200:
            raise RuntimeError(f"inbox {params} answered {response.status_code}")
        return elapsed

    return get


# --- running ---------------------------------------------------------------------


def _scratch_postgres(server_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the given PostgreSQL server, and how to drop it."""
    import psycopg

    name = f"pk_bench_inbox_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server_url.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description="Inbox latency and queries per page at scale.")
    parser.add_argument("--cases", type=int, default=FULL_CASES)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to make a scratch database on")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="pk-bench-inbox-")
    for name in [n for n in os.environ if n.startswith(("PAKAR_", "DJANGO_")) or n == "DATABASE_URL"]:
        del os.environ[name]  # this script's own development settings, whatever the caller runs
    os.environ.update({"PAKAR_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "pakar.settings", "DJANGO_DEBUG": "0"})
    drop = None
    if args.database_url:
        os.environ["DATABASE_URL"], drop = _scratch_postgres(args.database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        added, seconds = seed(args.cases)
        print(f"seeded {added} cases in {seconds:.1f} s", file=sys.stderr)
        print(json.dumps(measure(args.cases)))
    finally:
        if drop is not None:
            drop()


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def bench(ctx: BenchContext) -> Figures:
    cases = FULL_CASES if ctx.full else QUICK_CASES
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKAR_", "DJANGO_")) and k != "DATABASE_URL"}
    script = Path(__file__)
    figures: Figures = {}
    runs = [("sqlite", [])] + ([("postgresql", ["--database-url", PG_URL])] if _postgres_reachable() else [])
    for database, extra in runs:
        found = ctx.run_cli(script, "--cases", str(cases), *extra, env=env, timeout=3600)
        figures.update({f"{name}_{database}": value for name, value in found.items()})
    if len(runs) == 1:
        ctx.note("inbox: PostgreSQL not reachable on 127.0.0.1; SQLite figures only")
    ctx.note(f"inbox: {cases} cases seeded with bulk_create, pages fetched in-process with Django's test client")
    return figures


if __name__ == "__main__":
    main()
