"""Sealing a case's identity and evidence originals to the people who may open them.

The recipients of everything sealed for a case are every enrolled custodian
and the reporter of that case (their public key comes from the access code).
Never the instance key: the server alone opens none of it.
"""

from __future__ import annotations

import json
from typing import Any

from pakar.cases.models import Case, Evidence, IdentityMode
from pakar.identity.models import Custodian, SealedOriginal
from pakar.vault import sealing
from pakar.vault.sealing import PrivateKey  # type: ignore[attr-defined]  # the vault owns PyNaCl


def custodian_keys() -> list[bytes]:
    return [bytes(pk) for pk in Custodian.objects.order_by("pk").values_list("public_key", flat=True)]


def recipients(reporter_public_key: bytes, custodians: list[bytes] | None = None) -> list[bytes]:
    keys = custodian_keys() if custodians is None else custodians
    return [*keys, bytes(reporter_public_key)]


def seal_json(value: Any, reporter_public_key: bytes, custodians: list[bytes] | None = None) -> bytes:
    data = json.dumps(value, ensure_ascii=False).encode()
    return sealing.seal(data, recipients(reporter_public_key, custodians))


def open_json(blob: bytes, private_key: PrivateKey) -> Any:
    return json.loads(sealing.open_sealed(bytes(blob), private_key))


def is_sealed(case: Case) -> bool:
    """Whether the case's identity is sealed (confidential) rather than under the case key (open)."""
    return case.identity is not None and case.identity_mode == IdentityMode.CONFIDENTIAL


def open_identity(case: Case, private_key: PrivateKey) -> dict[str, str]:
    """A custodian's (or the reporter's) view of a sealed identity."""
    if not is_sealed(case) or case.identity is None:
        raise ValueError("this case has no sealed identity")
    result: dict[str, str] = open_json(bytes(case.identity), private_key)
    return result


def seal_original(
    evidence: Evidence, *, storage_name: str, file_key: bytes, meta: dict[str, Any], reporter_public_key: bytes
) -> SealedOriginal:
    keys = recipients(reporter_public_key)
    return SealedOriginal.objects.create(
        evidence=evidence,
        storage_name=storage_name,
        sealed_key=sealing.seal(file_key, keys),
        sealed_meta=sealing.seal(json.dumps(meta).encode(), keys),
    )


def open_original(original: SealedOriginal, private_key: PrivateKey) -> tuple[bytes, dict[str, Any]]:
    """The original's file key and metadata, for a custodian or the reporter."""
    key = sealing.open_sealed(bytes(original.sealed_key), private_key)
    meta: dict[str, Any] = json.loads(sealing.open_sealed(bytes(original.sealed_meta), private_key))
    return key, meta
