"""Signing staff in for tests that are not about signing in.

PAKAR opens no staff page before the second factor. Tests that only need a
signed-in person call ``client.force_login(user)``; the autouse fixture below
makes that also give the person a confirmed authenticator and mark the session
verified, exactly as the second step of the real sign-in does (the session
key django-otp reads). Tests of sign-in itself post the real forms instead.
"""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for_key(base32_key: str) -> str:
    """The current code for a key as printed for typing into an authenticator app."""
    totp = TOTP(base64.b32decode(base32_key))
    return f"{totp.token():06d}"


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def force_login_verifies_the_second_factor(monkeypatch):
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = verified_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
