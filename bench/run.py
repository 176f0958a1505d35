"""`make bench`: serve a fresh PAKAR with gunicorn and measure it.

Sets up a temporary data dir on SQLite (migrate, demo data, collectstatic),
starts gunicorn with deploy/gunicorn.conf.py and two workers under production
settings (real Argon2id cost, whitenoise with compressed static files), runs
every benchmark module in bench/ against it, prints the figures and writes
them to bench.json. See bench/README.md for the module convention.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402 - the repository must be importable first
    BENCH_DIR,
    REPO,
    BenchContext,
    Client,
    Figures,
    child_pids,
    environment_without,
    figure,
    goal_met,
    load_average,
    run_checked,
)

NOT_MODULES = {"__init__", "run", "common", "settings", "urls", "views", "wsgi"}
FIRST = ["public"]  # the reporter-side figures run on an idle, freshly started server
OUTPUT = REPO / "bench.json"
MODULE_TIMEOUT = int(os.environ.get("BENCH_MODULE_TIMEOUT", "600"))  # seconds; BENCH_FULL=1 allows an hour
MODULE_TIMEOUT_FULL = 3600
WORKERS = 2
# Variables of the caller that would change what is measured.
CALLER_ONLY = {
    "PAKAR_DATA_DIR",
    "PAKAR_STORAGE_DIR",
    "PAKAR_TESTING",
    "PAKAR_KDF_MEMORY_KIB",
    "PAKAR_KDF_TIME_COST",
    "PAKAR_KDF_PARALLELISM",
    "PAKAR_ENV",
    "DATABASE_URL",
    "PAKAR_CACHE_URL",
    "DJANGO_DEBUG",
    "DJANGO_SETTINGS_MODULE",
}


def main() -> int:
    print_machine()
    data_dir = Path(tempfile.mkdtemp(prefix="pk-bench-"))
    keep = os.environ.get("BENCH_KEEP") == "1"
    server: subprocess.Popen[bytes] | None = None
    started = time.perf_counter()
    try:
        env = prepare(data_dir)
        port = free_port()
        server = start_server(env, port, data_dir)
        ctx = BenchContext(
            host="127.0.0.1",
            port=port,
            data_dir=data_dir,
            env=env,
            server_pid=server.pid,
            full=os.environ.get("BENCH_FULL") == "1",
            scratch_root=data_dir / "scratch",
        )
        figures, crashed = run_modules(ctx)
    finally:
        if server is not None:
            stop_server(server)
        if keep:
            print(f"\nData dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    figures = {"machine": machine_figure(), **figures}
    OUTPUT.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print_summary(figures, ctx.notes)
    print(f"\nWrote {OUTPUT.relative_to(REPO)} in {time.perf_counter() - started:.0f} s.")
    if crashed:
        print(f"Modules that failed: {', '.join(crashed)}")
        return 1
    return 0


# --- the machine -----------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def versions() -> dict[str, str]:
    import django
    import gunicorn  # type: ignore[import-untyped]

    return {"python": platform.python_version(), "django": django.get_version(), "gunicorn": gunicorn.__version__}


def machine_figure() -> dict[str, Any]:
    return figure(
        f"{os.cpu_count()} x {cpu_model()}",
        "machine",
        None,
        cpus=os.cpu_count(),
        **versions(),
        measured_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        load_average_at_end=round(load_average(), 2),
    )


def print_machine() -> None:
    v = versions()
    print(f"Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}; load average {load_average():.2f}")
    print(f"Python {v['python']}, Django {v['django']}, gunicorn {v['gunicorn']} ({WORKERS} workers)")
    if load_average() > 0.5 * (os.cpu_count() or 1):
        print("Warning: the machine is busy with other work; throughput figures will be lower than on an idle one.")


# --- a fresh, production-like PAKAR --------------------------------------------


def prepare(data_dir: Path) -> dict[str, str]:
    """Migrate and load demo data (development mode creates the keys), then
    return the production environment that reuses those keys."""
    base = environment_without(CALLER_ONLY) | {"PAKAR_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    manage = [sys.executable, str(REPO / "manage.py")]
    step("migrate", lambda: run_checked([*manage, "migrate", "--noinput", "-v0"], env=base, timeout=300))
    step("seed_demo", lambda: run_checked([*manage, "seed_demo"], env=base, timeout=120))
    keys = data_dir / "keys"
    env = base | {
        "DJANGO_SETTINGS_MODULE": "pakar.settings",
        "PAKAR_ENV": "production",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY_FILE": str(keys / "django-secret.key"),
        "PAKAR_INSTANCE_KEY_FILE": str(keys / "instance.key"),
        "PAKAR_LOOKUP_SALT_FILE": str(keys / "lookup-salt.key"),
        "PAKAR_THROTTLE_KEY_FILE": str(keys / "throttle.key"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS.
        "PAKAR_SSL_REDIRECT": "0",
        "PAKAR_KDF_MEMORY_KIB": "65536",
        "PAKAR_MAX_FILE_MB": "20",
        # As behind a reverse proxy: each simulated reporter has its own address.
        "PAKAR_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "PAKAR_LOG_LEVEL": "WARNING",
        "PAKAR_BENCH": "1",
    }
    step(
        "collectstatic (compressed, hashed names)",
        lambda: run_checked([*manage, "collectstatic", "--noinput", "-v0"], env=env, timeout=300),
    )
    return env


def step(label: str, action: Any) -> None:
    start = time.perf_counter()
    action()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    server_env = env | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(WORKERS),
        # Recycling workers guards against slow leaks in production; here it
        # would measure gunicorn forking and reset the per-worker CPU and memory counters.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(REPO / "deploy" / "gunicorn.conf.py"), "bench.wsgi"]
    logs = data_dir / "logs"
    logs.mkdir()
    with open(logs / "access.log", "wb") as out, open(logs / "error.log", "wb") as err:
        server = subprocess.Popen(command, env=server_env, cwd=REPO, stdout=out, stderr=err)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{(logs / 'error.log').read_text()[-3000:]}")
        try:
            client = Client("127.0.0.1", port, timeout=5)
            if client.get("/__bench/min").status == 200 and len(child_pids(server.pid)) >= WORKERS:
                client.close()
                worker = re.search(r"Using worker: (\S+)", (logs / "error.log").read_text())
                kind = f"{worker.group(1)} workers" if worker else "workers"
                print(f"  gunicorn on 127.0.0.1:{port}, {WORKERS} {kind} (pid {server.pid})", file=sys.stderr)
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- modules -----------------------------------------------------------------------


def discover() -> list[str]:
    names = sorted(p.stem for p in BENCH_DIR.glob("*.py") if p.stem not in NOT_MODULES and not p.stem.startswith("_"))
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def run_modules(ctx: BenchContext) -> tuple[Figures, list[str]]:
    figures: Figures = {}
    crashed: list[str] = []
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    for name in discover():
        if only and name not in only:
            continue
        print(f"\n[{name}]", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            found = run_isolated(ctx, name)
        except Exception as exc:  # noqa: BLE001 - one broken module must not hide the others' figures
            print(f"  {name} failed: {exc}", file=sys.stderr, flush=True)
            crashed.append(name)
            continue
        clashes = set(found) & set(figures)
        if clashes:
            print(f"  {name} repeats figure names {sorted(clashes)}; they are overwritten", file=sys.stderr)
        figures |= found
        print(f"  ({name}: {time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    return figures, crashed


def run_isolated(ctx: BenchContext, name: str) -> Figures:
    """Run one module in a process of its own, so whatever it does to the process
    (django.setup() against some database, environment variables) cannot
    change what the next module measures."""
    context = dataclasses.asdict(ctx) | {
        "data_dir": str(ctx.data_dir),
        "scratch_root": str(ctx.scratch_root),
        "notes": [],  # the child sends back only its own
    }
    result = ctx.data_dir / f"result-{name}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--module", name, "--result", str(result)]
    limit = MODULE_TIMEOUT_FULL if ctx.full else MODULE_TIMEOUT
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        command,
        input=json.dumps(context),
        text=True,
        env=environment_without(CALLER_ONLY),
        cwd=REPO,
        timeout=limit,
        check=False,
    )
    if done.returncode != 0 or not result.exists():
        raise RuntimeError(f"exit status {done.returncode}")
    data = json.loads(result.read_text())
    ctx.notes.extend(data["notes"])
    figures: Figures = data["figures"]
    return figures


def module_main(name: str, result: Path) -> int:
    """The child side of run_isolated: the context arrives as JSON on stdin."""
    fields = json.load(sys.stdin)
    ctx = BenchContext(**fields | {"data_dir": Path(fields["data_dir"]), "scratch_root": Path(fields["scratch_root"])})
    module = importlib.import_module(f"bench.{name}")
    if callable(getattr(module, "bench", None)):
        figures = module.bench(ctx)
    else:
        figures = ctx.run_cli(BENCH_DIR / f"{name}.py")
    if not isinstance(figures, dict) or not all(isinstance(v, dict) and "value" in v for v in figures.values()):
        raise TypeError(f"bench.{name} did not return {{name: {{value, unit, goal}}}}")
    result.write_text(json.dumps({"figures": figures, "notes": ctx.notes}, ensure_ascii=False))
    return 0


# --- output ------------------------------------------------------------------------


def print_summary(figures: Figures, notes: list[str]) -> None:
    print("\nFigure                               Value          Goal        ")
    print("-" * 72)
    for name, entry in figures.items():
        if name == "machine":
            continue
        met = goal_met(entry)
        verdict = "" if met is None else ("met" if met else "MISSED")
        value = entry["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{name:<36} {shown:>10} {entry['unit']:<13} {entry.get('goal') or '':<8} {verdict}")
    for note in notes:
        print(f"Note: {note}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--module" and sys.argv[3] == "--result":
        sys.exit(module_main(sys.argv[2], Path(sys.argv[4])))
    sys.exit(main())
