"""The audit trail's costs: writing one entry, and verifying a long chain.

    python bench/audit.py                      # own SQLite database, 1,000,000 entries verified
    python bench/audit.py --entries 100000     # a shorter chain
    python bench/audit.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Figures (the last line of standard output is JSON, as bench/run.py expects):

- ``audit_record_p50_ms``: one ``record()`` in its own transaction, as a case
  view will do (advisory lock on PostgreSQL, read of the head, insert,
  commit); p50 of 2,000 after 100 warm-up writes. Goal <= 2 ms.
- ``audit_verify_seconds``: ``verify_chain()``, the core of ``manage.py
  verify_audit``, over the whole chain; the chain is made with bulk inserts
  computing digests in Python (same code as ``record()``), after the entries
  of the first measurement.
- ``audit_verify_command_peak_rss_mb``: peak memory of ``manage.py
  verify_audit`` run as its own process over the same chain (constant memory:
  the walk reads batches by primary key).

The script never touches another database: on SQLite it makes its own data
dir; with ``--database-url`` it creates a scratch database on that server and
drops it afterwards. Under ``make bench`` (BENCH_FULL=0) the chain is 100,000
entries; BENCH_FULL=1 or a direct run verifies 1,000,000.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import figure, percentile  # noqa: E402 - the repository must be importable first

RECORDS = 2_000
WARM_UP = 100
INSERT_BATCH = 10_000


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def arguments() -> argparse.Namespace:
    full = os.environ.get("BENCH_FULL", "1") != "0"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to use (a scratch database is created on it)")
    parser.add_argument("--entries", type=int, default=1_000_000 if full else 100_000, help="chain length to verify")
    parser.add_argument("--records", type=int, default=RECORDS, help="entries written one by one for the p50")
    return parser.parse_args()


# --- an isolated PAKAR ---------------------------------------------------------


@contextmanager
def own_environment(database_url: str | None) -> Iterator[None]:
    """Point Django at a data dir (and database) of our own, whatever the caller's environment says."""
    data_dir = Path(tempfile.mkdtemp(prefix="pk-bench-audit-"))
    for name in ("PAKAR_ENV", "PAKAR_TESTING", "DATABASE_URL", "PAKAR_TEST_DB_NAME", "PAKAR_STORAGE_DIR"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pakar.settings",
            "PAKAR_DATA_DIR": str(data_dir),
            "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory
            "PAKAR_KDF_MEMORY_KIB": "8192",  # only for creating the one case; not measured
            "PAKAR_LOG_LEVEL": "WARNING",
        }
    )
    scratch = None
    try:
        if database_url:
            scratch = create_scratch_database(database_url)
            os.environ["DATABASE_URL"] = scratch
        yield
    finally:
        if scratch is not None:
            drop_scratch_database(database_url or "", scratch)
        shutil.rmtree(data_dir, ignore_errors=True)


def create_scratch_database(url: str) -> str:
    import psycopg

    name = f"pakar_bench_audit_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def drop_scratch_database(url: str, scratch: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = scratch.rpartition("/")[2]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    log(f"  migrate: {time.perf_counter() - started:.1f} s")


def a_staff_member_and_a_case() -> tuple[Any, Any]:
    from pakar.accounts.models import User
    from pakar.cases.models import Category
    from pakar.cases.services import ReportInput, submit_report
    from pakar.org.models import Unit

    user = User.objects.create_user(username="bench-verifier", password=None)
    unit = Unit.objects.create(name="Dinas Kependudukan dan Pencatatan Sipil")
    report = ReportInput(
        reporter_type="public",
        identity_mode="anonymous",
        category=Category.objects.order_by("pk").first(),  # type: ignore[arg-type]
        unit=unit,
        content={"title": "Bench", "what": "A case to view."},
        party={"name": "", "nip": "", "position": ""},
    )
    return user, submit_report(report).case


# --- (a) one entry per case view -------------------------------------------------


def measure_record(count: int) -> dict[str, dict[str, Any]]:
    from django.db import connection, transaction

    from pakar.audit.events import AuditEvent
    from pakar.audit.services import record

    user, case = a_staff_member_and_a_case()
    timings = []
    for index in range(WARM_UP + count):
        started = time.perf_counter()
        with transaction.atomic():
            record(AuditEvent.CASE_VIEWED, actor=user, case=case)
        if index >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    vendor = connection.vendor
    log(f"  record(): p50 {statistics.median(timings):.3f} ms over {count} ({vendor})")
    return {
        "audit_record_p50_ms": figure(statistics.median(timings), "ms", "<= 2", samples=count, database=vendor),
        "audit_record_p95_ms": figure(percentile(timings, 0.95), "ms", None, samples=count, database=vendor),
    }


# --- (b) verifying a long chain ----------------------------------------------------


def build_chain(total: int) -> None:
    """Extend the chain to ``total`` entries with bulk inserts, digests computed as record() does."""
    from django.db import connection, transaction

    from pakar.audit.chain import ChainFields, Hasher
    from pakar.audit.events import AuditEvent
    from pakar.audit.models import CHAIN_COLUMNS, AuditEntry
    from pakar.audit.services import head

    by_name = {field.attname: field for field in AuditEntry._meta.concrete_fields}
    fields = [by_name[name] for name in (*CHAIN_COLUMNS, "digest")]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    # Names come from the model; every value is a bound parameter.
    insert = f"INSERT INTO {AuditEntry._meta.db_table} ({columns}) VALUES ({values})"  # noqa: S608
    at_field, data_field = by_name["at"], by_name["data"]
    actor = AuditEntry.objects.exclude(actor=None).values_list("actor_id", "actor_username").first()
    actor_id, username = actor if actor is not None else (None, "")
    events = [int(AuditEvent.CASE_VIEWED), int(AuditEvent.CASE_STATUS_CHANGED), int(AuditEvent.LOGIN_SUCCEEDED)]
    hasher, last = Hasher(), head()
    sequence, previous = last.sequence, last.digest
    at = datetime.datetime.now(tz=datetime.UTC)
    started = time.perf_counter()
    while sequence < total:
        rows = []
        for _ in range(min(INSERT_BATCH, total - sequence)):
            sequence += 1
            at += datetime.timedelta(microseconds=1_000)
            data = {"old": "received", "new": "verification"} if sequence % 3 == 1 else {}
            case_id = sequence // 50
            case_number = f"PKR-2025-{case_id:05d}"
            event = events[sequence % 3]
            entry = ChainFields(sequence, at, event, actor_id, username, case_id, case_number, data, previous)
            digest = hasher.digest(entry)
            db_at = at_field.get_db_prep_save(at, connection)
            db_data = data_field.get_db_prep_save(data, connection)
            rows.append((sequence, db_at, event, actor_id, username, case_id, case_number, db_data, previous, digest))
            previous = digest
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        if sequence % 100_000 < INSERT_BATCH:
            log(f"  chain: {sequence:,} entries ({time.perf_counter() - started:.0f} s)")


def measure_verify(total: int) -> dict[str, dict[str, Any]]:
    from pakar.audit.verify import verify_chain

    short_seconds, short_rss, short_entries = run_verify_command()
    build_chain(total)
    started = time.perf_counter()
    result = verify_chain()
    seconds = time.perf_counter() - started
    if not result.ok or result.entries != total:
        raise RuntimeError(f"verify_chain failed on an untouched chain: {result}")
    log(f"  verify_chain(): {result.entries:,} entries in {seconds:.1f} s")
    command_seconds, rss, _ = run_verify_command()
    return {
        "audit_verify_seconds": figure(seconds, "s", None, entries=total),
        "audit_verify_entries_per_second": figure(total / seconds, "entries/s", None, entries=total),
        "audit_verify_command_seconds": figure(command_seconds, "s", None, entries=total),
        "audit_verify_command_peak_rss_mb": figure(
            rss, "MB", None, entries=total, peak_rss_mb_for_short_chain=round(short_rss, 1), short_chain=short_entries
        ),
    }


def run_verify_command() -> tuple[float, float, int]:
    """``manage.py verify_audit`` in its own process: seconds, peak RSS (MB) and entries checked."""
    from django.db import connections

    from pakar.audit.services import head

    entries = head().sequence
    connections.close_all()
    command = [sys.executable, str(REPO / "manage.py"), "verify_audit"]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace").strip()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"verify_audit failed: {output[-2000:]}")
    peak_mb = usage.ru_maxrss / 1024
    log(f"  manage.py verify_audit: {entries:,} entries, {seconds:.1f} s, peak RSS {peak_mb:.0f} MB: {output}")
    return seconds, peak_mb, entries


def main() -> int:
    args = arguments()
    with own_environment(args.database_url):
        setup_django()
        figures = measure_record(args.records)
        figures |= measure_verify(max(args.entries, args.records + WARM_UP))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
