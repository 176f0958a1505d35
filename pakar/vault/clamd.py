"""Optional virus scanning through a ClamAV daemon (clamd).

Configured by ``PAKAR_CLAMD_SOCKET`` (a unix socket path) or
``PAKAR_CLAMD_HOST`` with ``PAKAR_CLAMD_PORT`` (TCP, default 3310);
``PAKAR_CLAMD_TIMEOUT`` bounds each socket operation (seconds, default 30).
With neither set, scanning is off and :func:`is_configured` says so.

The file is streamed with the ``INSTREAM`` command, so clamd never needs to
read PAKAR's storage (where files are encrypted anyway) and the plaintext
never touches its disk. clamd refuses streams larger than its
``StreamMaxLength`` (25 MB by default); PAKAR's upload limit is below that.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

CHUNK = 64 * 1024
DEFAULT_PORT = 3310
DEFAULT_TIMEOUT = 30.0
MAX_REPLY = 4096


class ClamdError(Exception):
    """clamd could not give a verdict (unreachable, overloaded, stream too long)."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""  # the matching signature's name, e.g. "Eicar-Test-Signature"


@dataclass(frozen=True)
class Endpoint:
    socket_path: str = ""
    host: str = ""
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_settings(cls) -> Endpoint:
        return cls(
            socket_path=getattr(settings, "PAKAR_CLAMD_SOCKET", ""),
            host=getattr(settings, "PAKAR_CLAMD_HOST", ""),
            port=int(getattr(settings, "PAKAR_CLAMD_PORT", DEFAULT_PORT)),
            timeout=float(getattr(settings, "PAKAR_CLAMD_TIMEOUT", DEFAULT_TIMEOUT)),
        )

    @property
    def configured(self) -> bool:
        return bool(self.socket_path or self.host)

    def connect(self) -> socket.socket:
        if not self.configured:
            raise ClamdError("clamd is not configured")
        try:
            if self.socket_path:
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.settimeout(self.timeout)
                conn.connect(self.socket_path)
                return conn
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ClamdError(f"cannot reach clamd: {exc.strerror or exc}") from exc


def is_configured() -> bool:
    return Endpoint.from_settings().configured


def _reply(conn: socket.socket) -> str:
    """One NUL-terminated reply (the ``z`` command prefix asks for NUL framing)."""
    data = b""
    while not data.endswith(b"\0") and len(data) < MAX_REPLY:
        piece = conn.recv(MAX_REPLY)
        if not piece:
            break
        data += piece
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(endpoint: Endpoint | None = None) -> bool:
    """Whether clamd answers (for health checks and tests waiting for start-up)."""
    endpoint = endpoint or Endpoint.from_settings()
    try:
        with endpoint.connect() as conn:
            conn.sendall(b"zPING\0")
            return _reply(conn) == "PONG"
    except (ClamdError, OSError):
        return False


def scan(stream: BinaryIO, endpoint: Endpoint | None = None) -> ScanResult:
    """Stream ``stream`` from its current position to clamd and return the verdict.

    Raises :class:`ClamdError` when there is no verdict; callers must then
    hold the file back rather than treat it as clean.
    """
    endpoint = endpoint or Endpoint.from_settings()
    with endpoint.connect() as conn:
        try:
            conn.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK):
                conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(struct.pack(">I", 0))
            reply = _reply(conn)
        except OSError as exc:
            # clamd closes the connection mid-stream when the size limit is hit.
            raise ClamdError(f"clamd stopped reading the stream: {exc.strerror or exc}") from exc
    return _verdict(reply)


def _verdict(reply: str) -> ScanResult:
    """Parse ``stream: OK`` / ``stream: <signature> FOUND`` / ``... ERROR``."""
    _, _, status = reply.partition(": ")
    if status == "OK":
        return ScanResult(infected=False)
    if status.endswith(" FOUND"):
        return ScanResult(infected=True, signature=status.removesuffix(" FOUND"))
    raise ClamdError(f"clamd gave no verdict: {reply[:200]!r}")
