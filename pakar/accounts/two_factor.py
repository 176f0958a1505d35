"""Two-factor authentication for staff: TOTP (django-otp) with one-time backup codes.

Every staff account must have a confirmed TOTP device before any back-office
page opens (enforced in :func:`pakar.backoffice.access.roles_required`). The
QR code is drawn here as SVG, never fetched from a service, so the secret
leaves the server only in the page the staff member scans.
"""

from __future__ import annotations

import base64
import io
from binascii import unhexlify

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pakar.accounts.models import User
from pakar.audit.events import AuditEvent
from pakar.audit.services import record

BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
BACKUP_NAME = "backup"


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def is_verified(request: HttpRequest) -> bool:
    """Whether this session gave the second factor (django-otp's middleware knows)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (made once, kept across page reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(unhexlify(device.key)).decode()


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG: attributes only, no style (CSP)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, nl=False, title="QR"
    )
    return out.getvalue().decode()


def confirm_enrolment(device: TOTPDevice, token: str, *, actor: User) -> list[str] | None:
    """Confirm the device with a first code; returns fresh backup codes, or None for a wrong code."""
    if not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(AuditEvent.TWO_FACTOR_ENROLLED, actor=actor, data={"user_id": device.user_id})
        return new_backup_codes(device.user, actor=actor)


def new_backup_codes(user: User, *, actor: User) -> list[str]:
    """Replace the backup codes; the codes are shown once and only their use is logged."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
        record(AuditEvent.BACKUP_CODES_GENERATED, actor=actor, data={"user_id": user.pk, "count": len(codes)})
    return codes


def verify_second_factor(user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``token`` (an authenticator code or an unused backup code)."""
    token = "".join(token.split())
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, (TOTPDevice, StaticDevice)) and device.verify_token(token):
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                record(AuditEvent.BACKUP_CODE_USED, actor=user, data={"user_id": user.pk, "left": left})
            return device
    return None


def reset_two_factor(user: User, *, actor: User) -> None:
    """An administrator removes a person's devices: they enrol again at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(AuditEvent.TWO_FACTOR_RESET, actor=actor, data={"user_id": user.pk})


def set_demo_device(user: User, secret: bytes) -> str:
    """A confirmed device with a known secret, for demo accounts only; returns it in base32."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=secret.hex(), confirmed=True)
    return secret_base32(device)
