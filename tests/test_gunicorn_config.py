"""deploy/gunicorn.conf.py: real gunicorn, real requests, and logs that keep no trace of the visitor."""

from __future__ import annotations

import http.client
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "deploy" / "gunicorn.conf.py"

USER_AGENT = "PakarProbe/7.3 (agent-mark-5521)"
REFERER = "https://referrer-mark-8842.example/from/here"
QUERY_MARK = "query-mark-7731"
FORWARDED_FOR = "198.51.100.77"
CLIENT = "127.0.0.1"
TRACES = (USER_AGENT, "agent-mark-5521", "referrer-mark-8842", QUERY_MARK, FORWARDED_FOR, CLIENT)


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    access_log: Path
    error_log: Path

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> int:
        conn = http.client.HTTPConnection(CLIENT, self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def send_raw(self, data: bytes) -> bytes:
        with socket.create_connection((CLIENT, self.port), timeout=30) as sock:
            sock.sendall(data)
            return sock.recv(4096)

    def stop(self) -> tuple[str, str]:
        """Stop gunicorn (flushing its logs) and return (access log, error log)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=40)
        return self.access_log.read_text(), self.error_log.read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((CLIENT, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("gunicorn-data")
    env = {**os.environ, "PAKAR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "pakar.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, check=True, timeout=300
    )
    return data_dir


def start(data_dir: Path, logs: Path, *extra_args: str) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "PAKAR_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "pakar.settings",
        "DJANGO_DEBUG": "0",
        "GUNICORN_BIND": f"{CLIENT}:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    access_log, error_log = logs / "stdout.log", logs / "stderr.log"
    with access_log.open("wb") as out, error_log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), *extra_args, "pakar.wsgi"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=err,
        )
    server = Server(port, process, access_log, error_log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {error_log.read_text()[-2000:]}")
        try:
            server.request("GET", "/")
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    pytest.fail("gunicorn did not answer within 60 s")


@pytest.fixture
def server(migrated_data_dir: Path, tmp_path: Path) -> Iterator[Server]:
    running = start(migrated_data_dir, tmp_path)
    yield running
    running.stop()


def visit(server: Server) -> None:
    """Requests carrying everything that could identify or follow a visitor."""
    headers = {"User-Agent": USER_AGENT, "Referer": REFERER, "X-Forwarded-For": FORWARDED_FOR}
    assert server.request("GET", f"/lapor/?cari={QUERY_MARK}&asal={FORWARDED_FOR}", headers) == 200
    assert server.request("GET", f"/tidak-ada/?{QUERY_MARK}", headers) == 404
    assert server.request("POST", f"/pantau/masuk/?{QUERY_MARK}", headers) == 403  # no CSRF token


def test_access_log_records_each_request_without_address_agent_referrer_or_query(server: Server) -> None:
    visit(server)
    access_log, _ = server.stop()

    lines = [line for line in access_log.splitlines() if line.strip()]
    assert any('"GET /lapor/ HTTP/1.1" 200' in line for line in lines), access_log
    assert any('"GET /tidak-ada/ HTTP/1.1" 404' in line for line in lines), access_log
    assert any('"POST /pantau/masuk/ HTTP/1.1" 403' in line for line in lines), access_log
    for trace in TRACES:
        assert trace not in access_log, f"{trace!r} leaked into the access log"
    assert "?" not in access_log


def test_a_format_asking_for_address_agent_referrer_and_query_still_gets_none_of_them(
    migrated_data_dir: Path, tmp_path: Path
) -> None:
    leaky = '%(h)s %(a)s %(f)s %(q)s "%(r)s" %({user-agent}i)s %({x-forwarded-for}i)s %({remote_addr}e)s %(s)s'
    server = start(migrated_data_dir, tmp_path, "--access-logformat", leaky)
    try:
        visit(server)
    finally:
        access_log, _ = server.stop()

    assert " 200" in access_log and " 404" in access_log, access_log
    for trace in TRACES:
        assert trace not in access_log, f"{trace!r} leaked into the access log"


def test_error_log_does_not_name_the_client_of_a_malformed_request(server: Server) -> None:
    reply = server.send_raw(f"GET /lapor/?{QUERY_MARK}\r\nHost: x\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 400"), reply
    reply = server.send_raw(b"GET /" + b"a" * 5000 + f"?{QUERY_MARK} HTTP/1.1\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 414"), reply
    _, error_log = server.stop()

    invalid = [line for line in error_log.splitlines() if "Invalid request from" in line]
    assert len(invalid) == 2, error_log
    assert all("ip=[address removed]" in line for line in invalid), invalid
    # The only address left is the server's own, in "Listening at: http://127.0.0.1:port".
    leaking = [line for line in error_log.splitlines() if CLIENT in line and "Listening at" not in line]
    assert leaking == []
    assert QUERY_MARK not in error_log


def load_config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in [n for n in os.environ if n.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_worker_count_bind_address_and_timeouts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(
        monkeypatch,
        GUNICORN_BIND="127.0.0.1:9001,unix:/run/pakar.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="90",
    )

    assert config["bind"] == ["127.0.0.1:9001", "unix:/run/pakar.sock"]
    assert config["workers"] == 3
    assert config["timeout"] == 90


def test_defaults_listen_on_the_loopback_only_with_at_least_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)
    config = load_config(monkeypatch)

    assert config["bind"] == ["127.0.0.1:8000"]
    assert isinstance(config["workers"], int) and config["workers"] >= 2
    assert config["control_socket_disable"] is True
    if Path("/dev/shm").is_dir():
        assert config["worker_tmp_dir"] == "/dev/shm"
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s"):
        assert atom not in str(config["access_log_format"])


def test_scrub_removes_ipv4_ipv6_addresses_and_query_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    scrub = load_config(monkeypatch)["scrub"]
    assert callable(scrub)

    text = scrub(
        "Invalid request from ip=203.0.113.9: bad line 'GET /lapor/?nik=3201 HTTP/1.1' via 2001:db8::7 and ::1"
    )

    for secret in ("203.0.113.9", "nik=3201", "2001:db8::7", "::1"):
        assert secret not in text
    assert "GET /lapor/?[query removed]" in text
