"""Helpers shared by every benchmark module: the context a module receives,
figures, a browser-like HTTP client, a load generator and worker memory.

Standard library only (plus what PAKAR already installs), so ``make bench``
needs nothing extra.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "bench"
Figures = dict[str, dict[str, Any]]


# --- figures -----------------------------------------------------------------


def figure(value: float | int | str | None, unit: str, goal: str | None = None, **extra: Any) -> dict[str, Any]:
    """One entry of bench.json. ``goal`` reads like ">= 0.5" or "<= 0.2" (or None)."""
    if isinstance(value, float):
        value = round(value, 4)
    return {"value": value, "unit": unit, "goal": goal, **extra}


_GOAL = re.compile(r"^\s*(>=|<=|==|>|<)\s*(-?[\d.]+)\s*$")


def goal_met(entry: Mapping[str, Any]) -> bool | None:
    """True/False when the figure has a numeric goal, None when there is nothing to compare."""
    goal, value = entry.get("goal"), entry.get("value")
    match = _GOAL.match(goal) if isinstance(goal, str) else None
    if match is None or not isinstance(value, int | float):
        return None
    target = float(match.group(2))
    return {
        ">=": value >= target,
        "<=": value <= target,
        "==": value == target,
        ">": value > target,
        "<": value < target,
    }[match.group(1)]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p50 of [1, 2, 3, 4] is 2)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


# --- the context a module gets -------------------------------------------------


@dataclass
class BenchContext:
    """What ``bench(ctx)`` receives.

    ``base_url`` is a PAKAR served by gunicorn (deploy/gunicorn.conf.py, two
    workers, production settings) over ``data_dir``; ``env`` is the environment
    that server runs with, for subprocesses that must see the same database
    and keys. ``full`` is True under BENCH_FULL=1 (the long benches).
    """

    host: str
    port: int
    data_dir: Path
    env: dict[str, str]
    server_pid: int
    full: bool = False
    scratch_root: Path = field(default_factory=lambda: Path("/tmp"))
    notes: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self, **kwargs: Any) -> Client:
        return Client(self.host, self.port, **kwargs)

    def worker_pids(self) -> list[int]:
        return child_pids(self.server_pid)

    def restart_workers(self, timeout: float = 60) -> list[int]:
        """Replace the workers with fresh ones (SIGHUP to gunicorn) and return their pids,
        e.g. so a memory measurement does not reuse what an earlier one left behind."""
        old = set(self.worker_pids())
        os.kill(self.server_pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) >= len(old) and not old & set(pids):
                return pids
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not replace its workers")

    def scratch(self, name: str) -> Path:
        """A fresh, empty folder for a module's own data (removed with the run's data dir)."""
        path = self.scratch_root / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def subprocess_env(self, **overrides: str) -> dict[str, str]:
        """The server's environment with some values replaced (e.g. PAKAR_DATA_DIR=ctx.scratch(...))."""
        return {**self.env, **overrides}

    def manage(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 600) -> str:
        """Run ``manage.py`` with the server's settings (or ``env``) and return its output."""
        return run_checked([sys.executable, str(REPO / "manage.py"), *args], env=env or self.env, timeout=timeout)

    def run_cli(
        self, script: str | Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 600
    ) -> Figures:
        """Run a script that prints figures as JSON (its last line) and return them."""
        output = run_checked([sys.executable, str(script), *args], env=env or self.cli_env(), timeout=timeout)
        return parse_figures(output)

    def cli_env(self) -> dict[str, str]:
        return {
            **self.env,
            "BENCH_BASE_URL": self.base_url,
            "BENCH_FULL": "1" if self.full else "0",
            "BENCH_SCRATCH": str(self.scratch_root),
        }

    def setup_django(self) -> None:
        """Configure Django in this process against the server's database and keys
        (for modules that create data before measuring it over HTTP). Idempotent."""
        import django
        from django.apps import apps

        if apps.ready:
            return
        os.environ.update(self.env)
        django.setup()

    def note(self, text: str) -> None:
        """A line printed under the figures (what was measured, caveats)."""
        self.notes.append(text)


def run_checked(command: Sequence[str], *, env: Mapping[str, str], timeout: float) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        list(command), env=dict(env), cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def parse_figures(output: str) -> Figures:
    """The JSON object on the last non-empty line of a CLI module's output."""
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        raise ValueError("the module printed nothing")
    data = json.loads(lines[-1])
    if not isinstance(data, dict) or not all(isinstance(v, dict) and "value" in v for v in data.values()):
        raise ValueError('expected {"name": {"value": ..., "unit": ..., "goal": ...}}')
    return data


# --- processes and memory ------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return sorted(int(p) for p in children.read_text().split())
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                continue
        return sorted(found)


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def load_average() -> float:
    return os.getloadavg()[0]


def reset_peak_rss(pid: int) -> bool:
    """Reset VmHWM so it records the peak from now on (Linux >= 4.0)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssWatch:
    """Peak RSS growth of some processes while a block runs.

    Uses the kernel's exact peak (VmHWM after a reset) when it can, and also
    samples VmRSS every few milliseconds as a cross-check.
    """

    def __init__(self, pids: Iterable[int], interval: float = 0.002) -> None:
        self.pids = list(pids)
        self.interval = interval
        self.baseline: dict[int, int] = {}
        self.sampled_peak: dict[int, int] = {}
        self.kernel_peak: dict[int, int] = {}
        self.exact = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> RssWatch:
        self.baseline = {pid: memory_kib(pid)["VmRSS"] for pid in self.pids}
        self.sampled_peak = dict(self.baseline)
        self.exact = all(reset_peak_rss(pid) for pid in self.pids)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self.exact:
            self.kernel_peak = {pid: memory_kib(pid)["VmHWM"] for pid in self.pids}

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                try:
                    rss = memory_kib(pid)["VmRSS"]
                except (OSError, KeyError):
                    continue
                self.sampled_peak[pid] = max(self.sampled_peak.get(pid, 0), rss)
            time.sleep(self.interval)

    def detail(self) -> dict[str, dict[str, float]]:
        """Per process: RSS before and at its peak, in MB."""
        return {
            str(pid): {
                "before_mb": round(self.baseline[pid] * 1024 / 1e6, 1),
                "peak_mb": round(max(self.sampled_peak.get(pid, 0), self.kernel_peak.get(pid, 0)) * 1024 / 1e6, 1),
            }
            for pid in self.pids
        }

    def growth_mb(self) -> float:
        """The largest growth of any one process, in MB (10^6 bytes)."""
        growth = 0
        for pid in self.pids:
            peak = max(self.sampled_peak.get(pid, 0), self.kernel_peak.get(pid, 0))
            growth = max(growth, peak - self.baseline[pid])
        return growth * 1024 / 1e6


# --- a browser-like HTTP client -----------------------------------------------


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    elapsed: float
    wire_bytes: int  # status line + headers + body, as received

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One visitor: a keep-alive connection to 127.0.0.1 and a cookie jar."""

    def __init__(self, host: str, port: int, *, timeout: float = 120, headers: Mapping[str, str] | None = None) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("benchmarks only target this machine")
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.default_headers = dict(headers or {})
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(
        self, path: str, fields: Sequence[tuple[str, str]], headers: Mapping[str, str] | None = None
    ) -> Response:
        from urllib.parse import urlencode

        body = urlencode(fields).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        )

    def post_multipart(
        self,
        path: str,
        fields: Sequence[tuple[str, str]],
        files: Sequence[tuple[str, str, str, bytes]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """``files`` are (field, filename, content type, bytes)."""
        boundary = "----pakarbench" + uuid.uuid4().hex
        body = multipart_body(boundary, fields, files)
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body, {"Content-Type": content_type, **(headers or {})})

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        all_headers = {**self.default_headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reused = self._conn is not None
        try:
            return self._send(method, path, body, all_headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection before reading
            # this request; a browser retries on a new connection too.
            self.close()
            if not reused:
                raise
            return self._send(method, path, body, all_headers)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Response:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        start = time.perf_counter()
        self._conn.request(method, path, body=body, headers=headers)
        raw = self._conn.getresponse()
        data = raw.read()
        elapsed = time.perf_counter() - start
        pairs = list(raw.getheaders())
        for key, value in pairs:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        status_line = f"HTTP/1.1 {raw.status} {raw.reason}\r\n"
        head = len(status_line) + sum(len(k) + len(v) + 4 for k, v in pairs) + 2
        if raw.will_close:
            self.close()
        return Response(raw.status, pairs, data, elapsed, head + len(data))


def multipart_body(
    boundary: str, fields: Sequence[tuple[str, str]], files: Sequence[tuple[str, str, str, bytes]]
) -> bytes:
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content_type, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts += [head.encode(), data, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


# --- reading forms -------------------------------------------------------------

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def input_values(html: str, name: str) -> list[str]:
    """The ``value`` of every <input name=...> (radio buttons give one per choice)."""
    values = []
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") == name and "value" in attrs:
            values.append(attrs["value"])
    return values


def option_values(html: str, name: str) -> list[str]:
    """Non-empty option values of <select name=...>."""
    match = re.search(rf'<select\b[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S | re.I)
    if match is None:
        return []
    return [v for v in re.findall(r'<option\b[^>]*value="([^"]*)"', match.group(1)) if v]


def csrf_token(html: str) -> str:
    values = input_values(html, "csrfmiddlewaretoken")
    if not values:
        raise ValueError("no CSRF token in the page")
    return values[0]


# --- load ----------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    client_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


def hammer(
    make_client: Callable[[], Client],
    path: str,
    *,
    seconds: float,
    connections: int,
    expect: int = 200,
    warmup: float = 1.0,
) -> LoadResult:
    """GET ``path`` as fast as ``connections`` keep-alive clients can for ``seconds``."""
    if warmup:
        hammer(make_client, path, seconds=warmup, connections=connections, expect=expect, warmup=0)
    lock = threading.Lock()
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    start = time.perf_counter()
    deadline = start + seconds
    cpu_start = time.process_time()

    def worker() -> None:
        client = make_client()
        ok = errors = 0
        mine: list[float] = []
        while time.perf_counter() < deadline:
            try:
                response = client.get(path)
            except OSError:
                errors += 1
                client.close()
                continue
            if response.status == expect:
                ok += 1
                mine.append(response.elapsed)
            else:
                errors += 1
        client.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return LoadResult(counts["ok"], counts["errors"], elapsed, latencies, time.process_time() - cpu_start)


def run_parallel[T](jobs: int, clients: int, job: Callable[[int], T]) -> tuple[list[T], list[str], float]:
    """Run ``job(i)`` for i in range(jobs) on ``clients`` threads; results, errors, seconds."""
    lock = threading.Lock()
    queue = list(range(jobs))
    results: list[T] = []
    errors: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index = queue.pop(0)
            try:
                result = job(index)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                results.append(result)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.perf_counter() - start


def visitor_address(index: int) -> str:
    """A distinct address from the documentation ranges (RFC 5737) for visitor ``index``."""
    block = ("198.51.100", "203.0.113", "192.0.2")[index // 254 % 3]
    return f"{block}.{index % 254 + 1}"


def environment_without(names: Iterable[str]) -> dict[str, str]:
    skip = set(names)
    return {key: value for key, value in os.environ.items() if key not in skip}
