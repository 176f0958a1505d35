"""Access codes: random digits, tolerant parsing, one deterministic Argon2id run
at the configured cost, and production refusing a cheap cost."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from argon2.low_level import Type

from pakar import vault
from pakar.vault import codes

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def kdf_calls(monkeypatch):
    """Every call to Argon2id with its arguments (the real function still runs)."""
    calls: list[dict] = []
    real = codes.hash_secret_raw

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(codes, "hash_secret_raw", counting)
    return calls


def test_a_new_access_code_is_sixteen_ascii_digits():
    for _ in range(200):
        code = vault.new_access_code()
        assert len(code) == 16
        assert code.isascii() and code.isdigit()


def test_access_codes_come_from_the_secrets_module(monkeypatch):
    drawn: list[str] = []
    real_choice = secrets.choice

    def counting_choice(seq):
        value = real_choice(seq)
        drawn.append(value)
        return value

    monkeypatch.setattr(codes.secrets, "choice", counting_choice)
    code = vault.new_access_code()
    assert "".join(drawn) == code


def test_every_digit_appears_in_every_position_and_codes_do_not_repeat():
    generated = [vault.new_access_code() for _ in range(2000)]
    assert len(set(generated)) == len(generated)
    for position in range(16):
        assert {code[position] for code in generated} == set("0123456789")


def test_a_code_is_shown_in_groups_of_four():
    assert vault.format_code("1234567890123456") == "1234 5678 9012 3456"


@pytest.mark.parametrize(
    "typed",
    [
        "1234567890123456",
        "1234 5678 9012 3456",
        "1234-5678-9012-3456",
        "  1234 5678-9012 3456 ",
        "1234\t5678\n9012 3456",
        "1234.5678.9012.3456",
    ],
)
def test_a_typed_code_with_spaces_or_dashes_is_accepted(typed):
    assert vault.normalise_code(typed) == "1234567890123456"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456789012345",  # 15 digits
        "12345678901234567",  # 17 digits
        "123456789012345a",
        "1234_5678_9012_3456",
        "1234/5678/9012/3456",
        "１２３４５６７８９０１２３４５６",  # full-width digits
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",  # Arabic-Indic digits
        "123456789012345²",
        "1234567890123456; DROP TABLE",
        "+1234567890123456",
    ],
)
def test_anything_else_is_refused(typed):
    assert vault.normalise_code(typed) is None


def test_none_is_refused_rather_than_crashing():
    assert vault.normalise_code(None) is None  # type: ignore[arg-type]


def test_the_same_code_always_derives_the_same_lookup_and_key_pair():
    first = vault.derive_code_keys("1234567890123456")
    again = vault.derive_code_keys("1234567890123456")
    assert first.lookup == again.lookup
    assert first.public_key == again.public_key
    assert len(first.lookup) == 64 and int(first.lookup, 16) >= 0
    assert len(first.public_key) == 32


def test_different_codes_derive_different_lookups_and_keys():
    one = vault.derive_code_keys("1234567890123456")
    other = vault.derive_code_keys("1234567890123457")
    assert one.lookup != other.lookup
    assert one.public_key != other.public_key


def test_the_lookup_never_contains_the_code():
    code = "9876543210987654"
    assert code not in vault.derive_code_keys(code).lookup


def test_the_lookup_depends_on_the_instance_salt(settings):
    code = "1234567890123456"
    before = vault.derive_code_keys(code).lookup
    settings.PAKAR_LOOKUP_SALT = base64.b64encode(os.urandom(16)).decode()
    assert vault.derive_code_keys(code).lookup != before


def test_one_derivation_is_one_argon2id_run_at_the_configured_cost(settings, kdf_calls):
    settings.PAKAR_KDF_MEMORY_KIB = 9216
    settings.PAKAR_KDF_TIME_COST = 2
    settings.PAKAR_KDF_PARALLELISM = 1
    vault.derive_code_keys("1234567890123456")
    assert len(kdf_calls) == 1
    call = kdf_calls[0]
    assert call["type"] == Type.ID
    assert call["memory_cost"] == 9216
    assert call["time_cost"] == 2
    assert call["parallelism"] == 1
    assert call["salt"] == base64.b64decode(settings.PAKAR_LOOKUP_SALT)[:16]
    assert call["hash_len"] == 64


def test_the_cost_is_read_from_settings_at_each_use(settings):
    code = "1234567890123456"
    settings.PAKAR_KDF_MEMORY_KIB = 8192
    cheap = vault.derive_code_keys(code).lookup
    settings.PAKAR_KDF_MEMORY_KIB = 8200
    assert vault.derive_code_keys(code).lookup != cheap


def test_the_default_cost_is_the_production_cost_of_64_mib(tmp_path):
    result = run_settings({"PAKAR_KDF_MEMORY_KIB": None}, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "65536"


# --- production refuses a cheap KDF ------------------------------------------------


def run_settings(overrides: dict[str, str | None], *, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Load PAKAR's settings in a fresh interpreter with production's required keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKAR_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "PAKAR_ENV": "production",
            "PAKAR_DATA_DIR": str(tmp / "data"),
            "DJANGO_SETTINGS_MODULE": "pakar.settings",
            "DJANGO_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
            "PAKAR_INSTANCE_KEY": base64.b64encode(os.urandom(32)).decode(),
            "PAKAR_LOOKUP_SALT": base64.b64encode(os.urandom(16)).decode(),
            "PAKAR_THROTTLE_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DJANGO_ALLOWED_HOSTS": "pakar.example.go.id",
            "DATABASE_URL": "postgres://pakar@127.0.0.1:5432/pakar",
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    code = "import django; django.setup(); from django.conf import settings; print(settings.PAKAR_KDF_MEMORY_KIB)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("memory", ["8192", "65535", "1024"])
def test_production_refuses_to_start_with_less_than_64_mib_for_argon2id(memory, tmp_path):
    result = run_settings({"PAKAR_KDF_MEMORY_KIB": memory}, tmp=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PAKAR_KDF_MEMORY_KIB must be at least 65536 in production" in result.stderr


@pytest.mark.parametrize("memory", ["65536", "131072"])
def test_production_starts_with_64_mib_or_more(memory, tmp_path):
    result = run_settings({"PAKAR_KDF_MEMORY_KIB": memory}, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == memory


def test_development_may_use_a_cheaper_cost_for_tests(tmp_path):
    result = run_settings(
        {"PAKAR_ENV": "development", "PAKAR_KDF_MEMORY_KIB": "8192", "DATABASE_URL": None}, tmp=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "8192"
