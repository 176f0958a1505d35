"""Shared fixtures: named personas, reference data and helpers for real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server

EVIDENCE_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata" / "evidence"
if not EVIDENCE_DIR.exists():
    EVIDENCE_DIR = Path(os.environ.get("PAKAR_EVIDENCE_DIR", "/work/shared/testdata/evidence"))


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    """Every test gets its own storage folder, so file assertions see only its own files."""
    settings.PAKAR_STORAGE_DIR = tmp_path / "files"
    yield
    shutil.rmtree(tmp_path / "files", ignore_errors=True)


@pytest.fixture
def evidence_file():
    def get(name: str) -> Path:
        matches = list(EVIDENCE_DIR.glob(f"*/{name}"))
        if not matches:
            pytest.fail(f"test file {name} not found under {EVIDENCE_DIR}")
        return matches[0]

    return get


@pytest.fixture
def unit(db):
    from pakar.org.models import Unit

    return Unit.objects.create(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil")


@pytest.fixture
def category(db):
    from pakar.cases.models import Category

    return Category.objects.get(code="public-service")
