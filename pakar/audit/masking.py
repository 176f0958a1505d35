"""What may go into an audit entry's ``data``.

The log records that something happened and, for settings and reference data,
old and new values. It must never hold a reporter's identity, an access code,
case text or file contents, whatever a caller passes by mistake. So:

- a value under a sensitive key is replaced by ``MASK`` (the key stays, so the
  log still shows *that* an e-mail changed, not what it is); a key is sensitive
  when it, or any word of it (``reporter_email``, ``accessCode``), is listed in
  ``SENSITIVE_WORDS``. This over-masks harmless keys such as
  ``category_code``: pass reference data by id or slug under a neutral key;
- any run of 16 digits (an access code, or a NIK; spaces or dashes between
  groups allowed, letters around it not) is masked wherever it appears;
- values are reduced to plain JSON that every database returns byte for byte
  (the chain hashes what is stored): non-integer numbers become text, NUL
  characters are dropped, dates and decimals become ISO text, and anything
  else (a model instance, say) is refused with ``TypeError``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise

MASK = "***"

SENSITIVE_WORDS = frozenset(
    {
        # identity of a reporter or of a reported party
        "name",
        "nik",
        "nip",
        "ktp",
        "address",
        "phone",
        "email",
        "occupation",
        "identity",
        "birth",
        "dob",
        "ip",
        "agent",
        "useragent",
        # access codes, passwords and other secrets
        "code",
        "accesscode",
        "password",
        "passphrase",
        "token",
        "secret",
        "otp",
        "totp",
        "key",
        "salt",
        "lookup",
        # case text and files
        "text",
        "body",
        "content",
        "narrative",
        "message",
        "reply",
        "note",
        "comment",
        "description",
        "summary",
        "title",
        "subject",
        "party",
        "witnesses",
        "what",
        "where",
        "when",
        "how",
        "why",
        "loss",
        "remedy",
        "file",
        "filename",
        "attachment",
    }
)

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
# 16 digits, optionally grouped by single spaces or dashes: access codes and NIKs.
# Not when glued to letters, so a hex digest (a published head) is left whole.
_SIXTEEN_DIGITS = re.compile(r"(?<![0-9A-Za-z])(?:\d[ -]?){15}\d(?![0-9A-Za-z])")


def is_sensitive_key(key: str) -> bool:
    lowered = _CAMEL.sub(r"\1_\2", key).lower()
    if lowered.replace("_", "") in SENSITIVE_WORDS:
        return True
    return any(word in SENSITIVE_WORDS for word in _WORD_SPLIT.split(lowered))


def mask_sensitive(value: Any) -> Any:
    """``value`` as plain JSON with every sensitive part masked (see the module docstring)."""
    if isinstance(value, Mapping):
        return {str(key): MASK if is_sensitive_key(str(key)) else mask_sensitive(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_sensitive(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((mask_sensitive(item) for item in value), key=repr)
    return _plain_scalar(value)


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        text = str.__str__(value).replace("\x00", "")
        return _SIXTEEN_DIGITS.sub(MASK, text)
    if isinstance(value, float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"audit data must be plain values, not {type(value).__name__}")
