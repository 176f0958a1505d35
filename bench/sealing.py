"""Identity sealing: what sealing and opening cost per case (issue 4's `make bench` figures).

Measured in-process (no server): a case's identity (the six fields, ~300
bytes of JSON) sealed to three custodians and the reporter, and the same
blob opened with one custodian's private key; the original file key of one
piece of evidence is sealed alongside, as on submission. Figures are the
median over many cases, in milliseconds. Unlocking a custodian's key with
the passphrase (Argon2id, 64 MiB) is a separate, once-per-session cost,
reported too.

    python bench/sealing.py
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchContext, Figures, figure  # noqa: E402 - the repository must be importable first

CUSTODIANS = 3
IDENTITY = {
    "name": "Siti Aminah binti Abdullah",
    "nik": "3272011203850001",
    "address": "Jl. Merdeka No. 10, RT 02/RW 05, Kelurahan Gunungparang, Kecamatan Cikole, Kota Sukabumi",
    "occupation": "Pedagang",
    "phone": "081234567890",
    "email": "siti.aminah@example.id",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakar.settings")
    os.environ.setdefault("PAKAR_DATA_DIR", f"/tmp/pk-bench-sealing-{os.getpid()}")
    import django

    django.setup()


def bench_sealing(cases: int = 500) -> Figures:
    _setup()
    from pakar.vault import sealing
    from pakar.vault.sealing import PrivateKey  # type: ignore[attr-defined]

    custodians = [PrivateKey.generate() for _ in range(CUSTODIANS)]
    data = json.dumps(IDENTITY, ensure_ascii=False).encode()
    seal_ms, open_ms = [], []
    for _ in range(cases):
        recipients = [bytes(k.public_key) for k in custodians] + [bytes(PrivateKey.generate().public_key)]
        start = time.perf_counter()
        blob = sealing.seal(data, recipients)
        sealing.seal(secrets.token_bytes(32), recipients)  # the original file's key
        seal_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert sealing.open_sealed(blob, custodians[1]) == data
        open_ms.append((time.perf_counter() - start) * 1000)

    keys, _recovery = sealing.enrol_custodian("bench passphrase, long enough")
    start = time.perf_counter()
    sealing.unlock_custodian(keys, "bench passphrase, long enough")
    unlock_ms = (time.perf_counter() - start) * 1000
    note = f"{CUSTODIANS} custodians + reporter, identity and one file key, p50 of {cases} cases"
    return {
        "seal_per_case_p50_ms": figure(statistics.median(seal_ms), "ms", "<= 5", note=note),
        "open_identity_p50_ms": figure(statistics.median(open_ms), "ms", "<= 2", note=note),
        "custodian_unlock_ms": figure(unlock_ms, "ms", None, note="Argon2id at the configured cost, once per decision"),
    }


def bench(ctx: BenchContext) -> Figures:
    return bench_sealing(cases=2000 if ctx.full else 500)


if __name__ == "__main__":
    print(json.dumps(bench_sealing()))
