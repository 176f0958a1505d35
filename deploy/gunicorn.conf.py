"""Gunicorn settings for PAKAR in production.

    gunicorn -c deploy/gunicorn.conf.py pakar.wsgi

Every value can be changed from the environment:

    GUNICORN_BIND          addresses to listen on, comma separated (default 127.0.0.1:$PORT, PORT=8000)
    GUNICORN_WORKERS       worker processes (default: the number of CPUs, at least 2)
    GUNICORN_WORKER_CLASS  gthread (default) or sync
    GUNICORN_THREADS       threads per worker (default 4 for gthread, 1 for sync)
    GUNICORN_TIMEOUT       seconds a worker may stay silent before it is restarted (default 60)
    GUNICORN_MAX_REQUESTS  requests before a worker is recycled, 0 = never (default 2000)
    GUNICORN_ACCESS_LOG    file for the access log, "-" = stdout (default), "" = none
    GUNICORN_ERROR_LOG     file for the error log, "-" = stderr (default)
    GUNICORN_LOG_LEVEL     debug, info (default), warning, error
    GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket; unset = no control socket

Privacy is the product: neither log ever carries a client's address, user
agent, referrer or query string. The logger class below enforces that whatever
``access_log_format`` says, so a format changed on the command line cannot leak
either.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from gunicorn import glogging  # type: ignore[import-untyped]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


# --- sockets and processes ---------------------------------------------------
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}").split(",")
    if address.strip()
]
# Submissions are CPU-bound (one Argon2id run of 64 MiB each), so more
# processes than cores only adds memory. Threads let one process overlap the
# hashing (which releases the GIL) with uploads and database work, and keep a
# slow mobile upload from blocking a whole process.
workers = _env_int("GUNICORN_WORKERS", max(2, os.cpu_count() or 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# (gunicorn turns "sync" with more than one thread into gthread, so sync gets one.)
threads = _env_int("GUNICORN_THREADS", 4 if worker_class == "gthread" else 1)
# Import Django once in the master and fork: workers share that memory and
# a recycled worker is ready at once. (Code changes need a restart, not a HUP.)
preload_app = _env_bool("GUNICORN_PRELOAD", True)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
proc_name = "pakar"

# --- time limits ---------------------------------------------------------------
# A 20 MB upload over a poor mobile link takes a while; a reverse proxy should
# buffer request bodies, but the limit must not cut an honest reporter off.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# --- request limits (bodies are limited by Django and PAKAR's upload handler) -
limit_request_line = 4094
limit_request_fields = 64
limit_request_field_size = 8190

# The heartbeat file is touched constantly; keep it off the disk when possible.
_SHM = "/dev/shm"  # noqa: S108 - only gunicorn's empty heartbeat files go there
worker_tmp_dir = _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None

# gunicorn >= 25 opens a control socket in $HOME by default; PAKAR does not need
# one, and two servers on one host would fight over the same path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# --- logs ----------------------------------------------------------------------
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, method, path without the query string, status, bytes sent, duration.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# Atoms that cannot identify or follow a visitor. Everything else gunicorn
# offers (%(h)s address, %(a)s user agent, %(f)s referrer, %(q)s query string,
# %(r)s request line with its query, %({header}i)s, %({var}e)s ...) is withheld.
SAFE_ACCESS_ATOMS = frozenset({"t", "m", "U", "H", "s", "b", "B", "T", "D", "M", "L", "p"})

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f:]*::[0-9A-Fa-f:.]*)(?![\w:])")
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
# The server's own listening address is not a visitor's; keep it readable.
_OWN_ADDRESS_MESSAGES = ("Listening at",)


def scrub(text: str) -> str:
    """The text without IP addresses or query strings."""
    text = _QUERY.sub(r"\1?[query removed]", text)
    text = _IPV4.sub("[address removed]", text)
    return _IPV6.sub("[address removed]", text)


class ScrubAddresses(logging.Filter):
    """Remove client addresses and query strings from gunicorn's error log,
    e.g. "Invalid request from ip=203.0.113.9: ..." or a failing request's URI."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_OWN_ADDRESS_MESSAGES):
            return True
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class PrivateLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger, minus everything that could identify a visitor."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if not any(isinstance(f, ScrubAddresses) for f in self.error_log.filters):
            self.error_log.addFilter(ScrubAddresses())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: value for key, value in atoms.items() if key in SAFE_ACCESS_ATOMS}


logger_class = PrivateLogger
