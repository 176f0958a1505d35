"""Logging that never carries a visitor's address, user agent or referrer."""

from __future__ import annotations

import logging


class PrivacyFilter(logging.Filter):
    """Drop what identifies a visitor from log records.

    Formatters and handlers (an error mailer, Sentry-like integrations) read
    the client address and headers from ``record.request``; without it they
    cannot leak them. Django's CSRF rejections name the foreign Origin or
    Referer in their message, and the development server names the client's
    address when a connection breaks: both are cut out. Messages otherwise
    name only the path and status.

    Installed on the loggers that attach the request (so every handler, even
    one added later, gets a clean record) and on the console handler (which
    also receives records from loggers not listed, like django.security.*).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request", None) is not None:
            record.request = None
        if hasattr(record, "server_time"):
            record.server_time = ""
        if record.name == "django.security.csrf":
            _drop_csrf_detail(record)
        elif record.name == "django.server" and str(record.msg).startswith("- Broken pipe from"):
            record.msg, record.args = "- Broken pipe", ()
        return True


def _drop_csrf_detail(record: logging.LogRecord) -> None:
    """ "Forbidden (Referer checking failed - https://… does not match …): /path"
    becomes "Forbidden (Referer checking failed): /path"."""
    args = record.args
    if isinstance(args, tuple) and args and isinstance(args[0], str):
        record.args = (args[0].split(" - ", 1)[0].rstrip("."), *args[1:])
