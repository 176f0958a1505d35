"""Logging that never carries a visitor's address, user agent or referrer."""

from __future__ import annotations

import logging


class PrivacyFilter(logging.Filter):
    """Drop the request object Django attaches to log records.

    Formatters and handlers (an error mailer, Sentry-like integrations) read
    the client address and headers from ``record.request``; without it they
    cannot leak them. Messages themselves name only the path and status.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if hasattr(record, "server_time"):
            record.server_time = ""
        return True
