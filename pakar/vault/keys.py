"""The instance keyring: the current instance key and any retired ones.

Keys come from settings (environment or files, never the database). Each key
is known by a short identifier so that a wrapped key names the key that
wrapped it, which lets ``rotate_instance_key`` re-wrap case by case.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

KEY_BYTES = 32
KEY_SETTINGS = frozenset(
    {"PAKAR_INSTANCE_KEY", "PAKAR_RETIRED_INSTANCE_KEYS", "PAKAR_LOOKUP_SALT", "PAKAR_THROTTLE_KEY"}
)


@dataclass(frozen=True)
class InstanceKey:
    key_id: bytes
    secret: bytes


def decode_key(text: str, *, name: str, length: int = KEY_BYTES) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} is not valid base64") from exc
    if len(raw) < length:
        raise ImproperlyConfigured(f"{name} must hold at least {length} bytes")
    return raw[:length]


def key_id_of(secret: bytes) -> bytes:
    return hashlib.blake2b(secret, digest_size=4, person=b"pakar-keyid").digest()


@cache
def keyring() -> dict[bytes, InstanceKey]:
    """Every instance key this server can unwrap with, by identifier."""
    texts = [settings.PAKAR_INSTANCE_KEY, *getattr(settings, "PAKAR_RETIRED_INSTANCE_KEYS", [])]
    ring: dict[bytes, InstanceKey] = {}
    for index, text in enumerate(texts):
        secret = decode_key(text, name="PAKAR_INSTANCE_KEY" if index == 0 else "retired key")
        ring[key_id_of(secret)] = InstanceKey(key_id_of(secret), secret)
    return ring


def current_key() -> InstanceKey:
    return keyring()[key_id_of(decode_key(settings.PAKAR_INSTANCE_KEY, name="PAKAR_INSTANCE_KEY"))]


@cache
def lookup_salt() -> bytes:
    return decode_key(settings.PAKAR_LOOKUP_SALT, name="PAKAR_LOOKUP_SALT", length=16)


@cache
def throttle_key() -> bytes:
    return decode_key(settings.PAKAR_THROTTLE_KEY, name="PAKAR_THROTTLE_KEY")


def clear_caches() -> None:
    """Forget cached keys (tests and key rotation change settings)."""
    keyring.cache_clear()
    lookup_salt.cache_clear()
    throttle_key.cache_clear()


@receiver(setting_changed)
def _forget_keys_when_settings_change(*, setting: str, **kwargs: Any) -> None:
    # The caches above would otherwise keep serving the old keys: a key
    # rotation test (or override_settings) would wrap under a key the
    # settings no longer name.
    if setting in KEY_SETTINGS:
        clear_caches()
