"""A real SMTP server (aiosmtpd) on a free local port, which tests can stop and restart."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.consultations.conftest import ask, topics  # noqa: F401 - fixtures for the asker tests


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


@dataclass
class Inbox:
    mails: list[Mail] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        self.mails.append(
            Mail(
                envelope.mail_from, list(envelope.rcpt_tos), str(parsed["Subject"]), body.get_content() if body else ""
            )
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def mails(self) -> list[Mail]:
        return self.inbox.mails


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    """Mail goes over SMTP to a listener in this process (the test runner swaps in locmem; undo that)."""
    # aiosmtpd logs every envelope address at INFO; tests need none of it.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer(free_port())
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "pakar@inspektorat.example.go.id"
    settings.PAKAR_PUBLIC_URL = "https://pakar.example.go.id/"
    yield server
    server.stop()
