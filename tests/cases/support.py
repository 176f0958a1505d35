"""Helpers for case tests: staged uploads made the way the upload handler makes them."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from pakar.cases import files as case_files
from pakar.cases import services


def stage(name: str, data: bytes) -> case_files.StagedFile:
    """Stage bytes exactly as an upload streams in, in 64 KiB pieces."""
    upload = case_files.Upload(name)
    for start in range(0, len(data), 64 * 1024):
        upload.feed(data[start : start + 64 * 1024])
    staged = upload.finish()
    assert case_files.check_staged(staged) is None, staged.error
    return staged


def report_input(category, unit, *, files=(), **content) -> services.ReportInput:
    return services.ReportInput(
        reporter_type="public",
        identity_mode="confidential",
        identity={"name": "Siti Aminah", "phone": "081234567890"},
        category=category,
        unit=unit,
        content={
            "title": "Biaya tambahan untuk KTP",
            "what": "Petugas meminta Rp 50.000 agar KTP cepat jadi.",
            "where": "Kantor Disdukcapil",
            "when": "Senin pagi",
            "how": "Diminta langsung di loket.",
            **content,
        },
        party={"name": "Petugas loket 3", "position": "Staf pelayanan"},
        files=list(files),
    )


def storage_files(folder: str) -> list[Path]:
    """Every regular file under a folder of the storage root."""
    root = Path(settings.PAKAR_STORAGE_DIR) / folder
    if not root.exists():
        return []
    return sorted(Path(dirpath) / name for dirpath, _, names in os.walk(root) for name in names)
