"""Nothing that identifies a reporter, opens a case or tells its story reaches the log."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from pakar.audit.masking import MASK, is_sensitive_key, mask_sensitive
from pakar.cases.models import Status

SENSITIVE = [
    "name",
    "full_name",
    "reporter_name",
    "nik",
    "nip",
    "address",
    "ip_address",
    "phone",
    "email",
    "notice_email",
    "code",
    "access_code",
    "accessCode",
    "text",
    "body",
    "content",
    "narrative",
    "password",
    "new_password",
    "passphrase",
    "token",
    "form_token",
    "otp_secret",
    "identity",
    "message",
    "note",
    "file_name",
    "filename",
    "Email-Address",
    "user_agent",
]
HARMLESS = [
    "status",
    "old",
    "new",
    "case_number",
    "officer_id",
    "evidence_id",
    "category",
    "username",
    "role",
    "unit_id",
]


@pytest.mark.parametrize("key", SENSITIVE)
def test_sensitive_keys_are_recognised(key):
    assert is_sensitive_key(key)


@pytest.mark.parametrize("key", HARMLESS)
def test_keys_that_describe_a_change_are_kept(key):
    assert not is_sensitive_key(key)


def test_values_under_sensitive_keys_are_masked_and_the_keys_kept():
    masked = mask_sensitive({"email": "andi@example.org", "status": "verification", "access_code": "1234"})

    assert masked == {"email": MASK, "status": "verification", "access_code": MASK}


def test_masking_reaches_into_old_and_new_values_and_lists():
    data = {
        "old": {"phone": "0812 3456 7890", "role": "verifier"},
        "new": {"phone": "0813 0000 1111", "role": "inspector"},
        "items": [{"body": "Petugas meminta uang"}, {"evidence_id": 3}],
    }

    assert mask_sensitive(data) == {
        "old": {"phone": MASK, "role": "verifier"},
        "new": {"phone": MASK, "role": "inspector"},
        "items": [{"body": MASK}, {"evidence_id": 3}],
    }


@pytest.mark.parametrize(
    "value",
    [
        "1234567890123456",
        "1234 5678 9012 3456",
        "1234-5678-9012-3456",
        "kode 3201234567890001 dipakai",
        "NIK:3201234567890001",
    ],
)
def test_sixteen_digit_numbers_are_masked_under_any_key(value):
    """An access code or a NIK slipped in under an innocent key is still masked."""
    masked = mask_sensitive({"detail": value})["detail"]

    assert not any(char.isdigit() for char in masked)
    assert MASK in masked


@pytest.mark.parametrize(
    "value",
    [
        "PKR-2025-00001",
        "2025-01-02T03:04:05.123456+07:00",
        "081234567890",
        "12:ab1234567890123456789012345678901234567890123456789012345678cd",
    ],
)
def test_shorter_numbers_are_kept(value):
    assert mask_sensitive({"detail": value}) == {"detail": value}


def test_values_become_plain_json_every_database_returns_unchanged():
    when = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert mask_sensitive(
        {
            "status": Status.VERIFICATION,
            "at": when,
            "day": when.date(),
            "amount": decimal.Decimal("10.50"),
            "ratio": 0.25,
            "ids": (3, 1),
            "roles": {"verifier"},
            "ref": ident,
            "flag": True,
            "none": None,
            "nul": "a\x00b",
            7: "numeric key",
        }
    ) == {
        "status": "verification",
        "at": "2025-03-01T09:30:00+00:00",
        "day": "2025-03-01",
        "amount": "10.50",
        "ratio": "0.25",
        "ids": [3, 1],
        "roles": ["verifier"],
        "ref": "12345678-1234-5678-1234-567812345678",
        "flag": True,
        "none": None,
        "nul": "ab",
        "7": "numeric key",
    }


def test_objects_that_are_not_plain_values_are_refused(alice):
    with pytest.raises(TypeError, match="plain values, not User"):
        mask_sensitive({"officer": alice})
