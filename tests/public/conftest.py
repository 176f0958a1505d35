"""Helpers for posting the reporter's forms through Django's test client."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from pakar.cases import files as case_files
from tests.cases.support import storage_files

SMALL_JPEG = "jpg_Canon_40D.jpg"
_STAGED_TOKEN = re.compile(r'name="staged" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counters live in the shared cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report_data(category, unit):
    """A complete, valid report form (confidential identity) as POST data."""

    def build(**overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "form_token": secrets.token_urlsafe(24),
            "reporter_type": "public",
            "identity_mode": "confidential",
            "name": "Siti Aminah",
            "nik": "3272011203850001",
            "address": "Jl. Merdeka 10, Sukabumi",
            "occupation": "Pedagang",
            "phone": "081234567890",
            "identity_email": "",
            "consent": "on",
            "category": str(category.pk),
            "party_name": "Petugas loket 3",
            "party_nip": "",
            "party_position": "Staf pelayanan",
            "unit": str(unit.pk),
            "title": "Biaya tambahan untuk KTP",
            "what": "Petugas meminta Rp 50.000 agar KTP cepat jadi.",
            "where": "Kantor Disdukcapil, loket 3",
            "when": "Senin, 2 November, pukul 09.00",
            "how": "Diminta langsung secara lisan di loket.",
            "witnesses": "",
            "why": "",
            "loss": "",
            "remedy": "",
            "declaration": "on",
            "notice_email": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def real_upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return upload(name or path.name, path.read_bytes())


@pytest.fixture
def small_jpeg(evidence_file):
    return evidence_file(SMALL_JPEG)


def post_report(client, data: dict[str, object], files=(), **headers: str):
    payload = dict(data)
    if files:
        payload["evidence"] = list(files)
    return client.post("/lapor/", payload, headers=headers or None)


def staged_tokens(response) -> list[str]:
    return _STAGED_TOKEN.findall(response.content.decode())


def staged_ids_on_disk() -> set[str]:
    """Upload ids of every staged file (data and metadata both present)."""
    names = {p.name for p in storage_files("staging")}
    ids = {name for name in names if "." not in name}
    metas = {name.removesuffix(".meta") for name in names if name.endswith(".meta")}
    assert ids == metas, f"a staged file without its metadata or the reverse: {names}"
    return ids


def assert_only_carried_files_staged(response, expected_names: list[str]) -> None:
    """Staging holds exactly the good files the re-rendered form carries as tokens."""
    tokens = staged_tokens(response)
    assert staged_ids_on_disk() == {token.split(".")[0] for token in tokens}
    names = sorted(case_files.load_staged(token).name for token in tokens)
    assert names == sorted(expected_names)
