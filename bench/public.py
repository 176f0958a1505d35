"""The reporter's side under load: the figures issue 2 asks `make bench` for.

1. report form requests/s, as a ratio to the smallest Django view in the same server
2. complete submissions per second with a 1 MB photo, 8 clients in parallel
3. access-code check time (one Argon2id run of 64 MiB per check)
4. worker memory growth while a 20 MB file is uploaded
5. bytes a phone downloads to show the report form
"""

from __future__ import annotations

import gzip
import io
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BenchContext,
    Client,
    Figures,
    RssWatch,
    cpu_seconds,
    csrf_token,
    figure,
    hammer,
    input_values,
    option_values,
    percentile,
    run_parallel,
    visitor_address,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 8
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "80"))
CODE_CHECKS = 30
MB = 1_000_000
LIMIT_BYTES = 20 * 1024 * 1024  # PAKAR_MAX_FILE_MB=20
PHONE = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, br",
    "Accept-Language": "id-ID,id;q=0.9",
}
RECEIPT_CODE = re.compile(r'id="access-code">\s*(\d{4} \d{4} \d{4} \d{4})\s*<')
RECEIPT_NUMBER = re.compile(r"PKR-\d{4}-\d{5}")


def bench(ctx: BenchContext) -> Figures:
    files = SampleFiles(ctx.scratch("public-files"))
    figures: Figures = {}
    figures |= page_throughput(ctx)
    receipts, submission_figures = submissions(ctx, files.photo_1mb())
    figures |= submission_figures
    figures |= code_checks(ctx, [r.code for r in receipts])
    figures |= upload_memory(ctx, files)
    figures |= phone_download(ctx)
    return figures


def say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


# --- 1. page throughput -----------------------------------------------------------


def page_throughput(ctx: BenchContext) -> Figures:
    results, cpu_ms = {}, {}
    for label, path in (("minimal view", "/__bench/min"), ("report form", "/lapor/")):
        hammer(ctx.client, path, seconds=1, connections=CONNECTIONS, warmup=0)
        pids = ctx.worker_pids()
        cpu_before = cpu_seconds(pids)
        load = hammer(ctx.client, path, seconds=SECONDS, connections=CONNECTIONS, warmup=0)
        cpu_ms[path] = (cpu_seconds(pids) - cpu_before) * 1000 / max(1, load.requests)
        if load.errors:
            raise RuntimeError(f"{path}: {load.errors} failed requests")
        say(
            f"{label:<13} {load.per_second:7.1f} req/s  p50 {load.p50 * 1000:5.1f} ms  "
            f"server CPU {cpu_ms[path]:5.2f} ms/request  ({load.requests} requests in {load.seconds:.1f} s; "
            f"the load generator used {load.client_cpu_seconds / load.seconds:.0%} of a core)"
        )
        results[path] = load
    form, minimal = results["/lapor/"], results["/__bench/min"]
    ratio = form.per_second / minimal.per_second
    return {
        "report_form_rps_ratio": figure(ratio, "ratio", ">= 0.5"),
        "report_form_rps": figure(
            form.per_second, "requests/s", None, p50_ms=round(form.p50 * 1000, 2), cpu_ms=round(cpu_ms["/lapor/"], 3)
        ),
        "minimal_view_rps": figure(
            minimal.per_second,
            "requests/s",
            None,
            p50_ms=round(minimal.p50 * 1000, 2),
            cpu_ms=round(cpu_ms["/__bench/min"], 3),
        ),
    }


# --- 2. complete submissions -------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    number: str
    code: str
    seconds: float


REPORT_TEXT = {
    "party_name": "Petugas loket pelayanan KTP",
    "party_position": "Staf pelayanan",
    "title": "Pungutan liar saat mengurus KTP",
    "what": "Saya diminta membayar Rp 50.000 agar KTP saya selesai hari itu juga. " * 8,
    "where": "Kantor Disdukcapil, loket 3",
    "when": "Senin, 2 Maret 2026, sekitar pukul 10.00",
    "how": "Petugas menyebut biaya itu 'uang percepatan' dan tidak memberi kuitansi resmi. " * 4,
    "witnesses": "Dua warga yang antre di belakang saya.",
}


def report_fields(html: str, *, declaration: bool = True) -> list[tuple[str, str]]:
    """Every field a careful reporter fills in (confidential identity), read from the form."""
    categories, units = input_values(html, "category"), option_values(html, "unit")
    tokens = input_values(html, "form_token")
    if not (categories and units and tokens):
        raise RuntimeError("the report form lacks categories, units or its form token")
    fields = [
        ("csrfmiddlewaretoken", csrf_token(html)),
        ("form_token", tokens[0]),
        ("reporter_type", input_values(html, "reporter_type")[0]),
        ("identity_mode", "confidential"),
        ("name", "Siti Aminah"),
        ("phone", "0812 3456 7890"),
        ("address", "Jl. Merdeka 1, Sukabumi"),
        ("consent", "on"),
        ("category", categories[0]),
        ("unit", units[0]),
        *REPORT_TEXT.items(),
    ]
    if declaration:
        fields.append(("declaration", "on"))
    return fields


def submit(client: Client, name: str, content_type: str, data: bytes) -> Receipt:
    """GET the form, POST it complete with one file, and read the receipt."""
    start = time.perf_counter()
    form = client.get("/lapor/")
    if form.status != 200:
        raise RuntimeError(f"form: HTTP {form.status}")
    response = client.post_multipart("/lapor/", report_fields(form.text), [("evidence", name, content_type, data)])
    number, code = RECEIPT_NUMBER.search(response.text), RECEIPT_CODE.search(response.text)
    if response.status != 200 or number is None or code is None:
        raise RuntimeError(f"submission: HTTP {response.status}, {first_error(response.text)}")
    return Receipt(number.group(0), code.group(1), time.perf_counter() - start)


def first_error(html: str) -> str:
    match = re.search(r'class="error[^"]*"[^>]*>(.*?)</', html, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()[:200] if match else "no receipt"


def submissions(ctx: BenchContext, photo: bytes) -> tuple[list[Receipt], Figures]:
    def job(index: int) -> Receipt:
        client = ctx.client(headers={"X-Real-IP": visitor_address(index)})
        try:
            return submit(client, f"bukti-{index}.jpg", "image/jpeg", photo)
        finally:
            client.close()

    run_parallel(4, 4, job)  # warm both workers up (imports, templates) before timing
    pids = ctx.worker_pids()
    cpu_before = cpu_seconds(pids)
    receipts, errors, seconds = run_parallel(SUBMISSIONS, CONNECTIONS, job)
    cpu_each = (cpu_seconds(pids) - cpu_before) / max(1, len(receipts))
    rate = len(receipts) / seconds
    latencies = [r.seconds for r in receipts]
    numbers = {r.number for r in receipts}
    if len(numbers) != len(receipts):
        errors.append(f"{len(receipts) - len(numbers)} duplicated case numbers")
    say(
        f"submissions   {rate:7.2f} /s  ({len(receipts)} complete with a {len(photo) / MB:.2f} MB photo from "
        f"{CONNECTIONS} parallel clients in {seconds:.1f} s; failures {len(errors)}; "
        f"p50 {statistics.median(latencies) if latencies else float('nan'):.2f} s per GET+POST)"
    )
    say(
        f"              server CPU {cpu_each * 1000:.0f} ms per submission (GET form + POST): the {len(pids)} "
        f"workers alone could sustain {min(len(pids), os.cpu_count() or 1) / cpu_each:.1f}/s on this machine's cores"
    )
    for error in sorted(set(errors))[:5]:
        say(f"  failure: {error}")
    return receipts, {
        "submissions_per_second": figure(rate, "submissions/s", ">= 8", clients=CONNECTIONS, file_mb=len(photo) / MB),
        "submission_failures": figure(len(errors), "failures", "== 0", attempted=SUBMISSIONS),
        "submission_p50_seconds": figure(percentile(latencies, 0.5), "s", None),
        "submission_server_cpu_ms": figure(cpu_each * 1000, "ms", None, per="GET form + POST with 1 MB photo"),
    }


# --- 3. access-code checks ---------------------------------------------------------


def check_code(client: Client, code: str) -> tuple[int, float, str]:
    page = client.get("/pantau/masuk/")
    response = client.post_form("/pantau/masuk/", [("csrfmiddlewaretoken", csrf_token(page.text)), ("code", code)])
    return response.status, response.elapsed, response.header("Location") or ""


def code_checks(ctx: BenchContext, codes: list[str]) -> Figures:
    if len(codes) < CODE_CHECKS:
        raise RuntimeError(f"only {len(codes)} access codes from the submissions; {CODE_CHECKS} needed")
    right, wrong = [], []
    for index, code in enumerate(codes[:CODE_CHECKS]):
        # Each check comes from its own (documentation-range) address, as real
        # reporters do, so the throttle counts them apart.
        client = ctx.client(headers={"X-Real-IP": visitor_address(1000 + index)})
        status, seconds, location = check_code(client, code)
        client.close()
        if status != 302 or not location.endswith("/pantau/"):
            raise RuntimeError(f"a valid access code was refused (HTTP {status})")
        right.append(seconds)
    for index in range(10):
        client = ctx.client(headers={"X-Real-IP": visitor_address(2000 + index)})
        status, seconds, _ = check_code(client, f"{9000_0000_0000_0000 + index:016d}")
        client.close()
        if status != 400:
            raise RuntimeError(f"an unknown access code got HTTP {status}")
        wrong.append(seconds)
    p50, p95, p50_wrong = percentile(right, 0.5), percentile(right, 0.95), percentile(wrong, 0.5)
    say(
        f"code check    p50 {p50:.3f} s  p95 {p95:.3f} s  ({CODE_CHECKS} sequential POSTs of real codes); "
        f"unknown codes p50 {p50_wrong:.3f} s"
    )
    return {
        "code_check_p50_seconds": figure(p50, "s", "<= 0.2", checks=CODE_CHECKS),
        "code_check_p95_seconds": figure(p95, "s", None),
        "code_check_unknown_p50_seconds": figure(p50_wrong, "s", None, checks=len(wrong)),
    }


# --- 4. memory while uploading 20 MB --------------------------------------------


def stage_upload(client: Client, name: str, content_type: str, data: bytes) -> None:
    """Upload through the report form with the declaration left out: the file is
    received, checked and kept encrypted in staging; no case, no Argon2id run."""
    form = client.get("/lapor/")
    fields = report_fields(form.text, declaration=False)
    response = client.post_multipart("/lapor/", fields, [("evidence", name, content_type, data)])
    if response.status != 400 or 'name="staged"' not in response.text:
        raise RuntimeError(
            f"{name} was not accepted into staging (HTTP {response.status}): {first_error(response.text)}"
        )


def fresh_warm_workers(ctx: BenchContext, files: SampleFiles) -> list[int]:
    """New workers (so no measurement reuses memory an earlier one freed), each
    having handled small uploads (so pikepdf, Pillow and templates are loaded)."""
    pids = ctx.restart_workers()

    def warm(index: int) -> None:
        client = ctx.client()
        stage_upload(client, "kecil.pdf", "application/pdf", files.pdf(200_000))
        stage_upload(client, "kecil.jpg", "image/jpeg", files.photo_1mb())
        client.close()

    run_parallel(8, 8, warm)
    return pids


def upload_memory(ctx: BenchContext, files: SampleFiles) -> Figures:
    pdf = files.pdf(LIMIT_BYTES - 300_000, pages=20)
    uploads = (
        # A scanned document: 20 pages, one ~1 MB picture each.
        ("upload_rss_growth_20mb_pdf_mb", "pindaian.pdf", "application/pdf", pdf, "<= 30"),
        # A ~22-megapixel photo, as a recent phone takes.
        ("upload_rss_growth_20mb_jpeg_mb", "foto.jpg", "image/jpeg", files.photo_20mb(), "<= 30"),
        # The worst case for a PDF: one page whose single picture is the whole 20 MB.
        (
            "upload_rss_growth_20mb_pdf_one_image_mb",
            "satu.pdf",
            "application/pdf",
            files.pdf(LIMIT_BYTES - 300_000),
            None,
        ),
    )
    figures: Figures = {}
    for key, name, content_type, data, goal in uploads:
        pids = fresh_warm_workers(ctx, files)
        client = ctx.client()
        client.get("/lapor/")  # open the connection before measuring
        with RssWatch(pids) as watch:
            stage_upload(client, name, content_type, data)
        client.close()
        say(f"upload {len(data) / MB:5.1f} MB {name:<13} peak worker RSS growth {watch.growth_mb():6.1f} MB")
        figures[key] = figure(
            watch.growth_mb(), "MB", goal, file_mb=round(len(data) / MB, 2), exact=watch.exact, workers=watch.detail()
        )
    pids = fresh_warm_workers(ctx, files)
    client = ctx.client()
    with RssWatch(pids) as watch:
        submit(client, "besar.pdf", "application/pdf", pdf)
    client.close()
    say(
        f"complete submission with the {len(pdf) / MB:.1f} MB scanned PDF: peak worker RSS growth {watch.growth_mb():.1f} MB "
        "(includes the 64 MiB Argon2id run, which is released after each hash)"
    )
    ctx.note(
        "upload RSS growth: each 20 MB file goes, on freshly started and warmed-up workers, through the report "
        "form with the declaration left out, so it is received, scanned, cleaned and staged without an Argon2id "
        "run; submission_rss_growth_20mb_pdf_mb is a complete submission, Argon2id's 64 MiB included."
    )
    figures["submission_rss_growth_20mb_pdf_mb"] = figure(
        watch.growth_mb(), "MB", None, includes="argon2id 64 MiB", workers=watch.detail()
    )
    return figures


# --- 5. what a phone downloads -------------------------------------------------------

_REFERENCES = re.compile(r"<(?:link|script|img|source)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


def phone_download(ctx: BenchContext) -> Figures:
    client = ctx.client(headers=PHONE)
    page = client.get("/lapor/")
    if page.status != 200:
        raise RuntimeError(f"report form: HTTP {page.status}")
    pending = [url for url in _REFERENCES.findall(page.text)]
    seen: set[str] = set()
    static_bytes, lines = 0, []
    while pending:
        url = pending.pop(0).split("#")[0]
        if not url or url.startswith("data:") or url in seen:
            continue
        if not url.startswith("/"):
            raise RuntimeError(f"the report form references {url}: not served by PAKAR itself")
        seen.add(url)
        response = client.get(url)
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        static_bytes += response.wire_bytes
        lines.append(f"{url} {response.wire_bytes} B ({response.header('Content-Encoding') or 'not compressed'})")
        if url.split("?")[0].endswith(".css"):
            base = url.rsplit("/", 1)[0]
            for found in _CSS_URL.findall(response.text):
                ref = found[0] or found[1]
                if not ref.startswith(("data:", "/")):
                    ref = f"{base}/{ref}"
                pending.append(ref)
    client.close()
    html_encoding = page.header("Content-Encoding") or "not compressed"
    html_gzip6 = len(gzip.compress(page.body, compresslevel=6))
    total = page.wire_bytes + static_bytes
    say(
        f"phone download {total / 1000:.1f} kB as sent: HTML {page.wire_bytes} B ({html_encoding}) "
        f"+ {len(seen)} files {static_bytes} B, headers included"
    )
    for line in lines:
        say(f"    {line}")
    say(f"    (the HTML gzip-compressed at level 6 by this script would be {html_gzip6} B)")
    if html_encoding == "not compressed":
        ctx.note(
            f"report_form_download_kb counts the HTML as PAKAR sends it, uncompressed ({page.wire_bytes} B); "
            f"a proxy compressing it with gzip -6 would send {html_gzip6} B of body instead."
        )
    return {
        "report_form_download_kb": figure(
            total / 1000,
            "kB",
            "<= 50",
            html_bytes=page.wire_bytes,
            html_encoding=html_encoding,
            html_gzip6_bytes=html_gzip6,
            static_files=len(seen),
            static_bytes=static_bytes,
        )
    }


# --- sample files ------------------------------------------------------------------


class SampleFiles:
    """Valid files of given sizes, made of random noise so they do not compress."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, bytes] = {}

    def photo_1mb(self) -> bytes:
        if "photo1" not in self._cache:
            self._cache["photo1"] = noise_jpeg(1024 * 1024)
        return self._cache["photo1"]

    def photo_20mb(self) -> bytes:
        """A photo just under the 20 MB limit."""
        if "photo20" not in self._cache:
            self._cache["photo20"] = noise_jpeg(LIMIT_BYTES - 500_000)
        return self._cache["photo20"]

    def pdf(self, target: int, pages: int = 1) -> bytes:
        key = f"pdf{target}x{pages}"
        if key not in self._cache:
            self._cache[key] = noise_pdf(target, pages=pages)
        return self._cache[key]


def noise_jpeg(target: int, *, quality: int = 90) -> bytes:
    """A 4:3 JPEG of random pixels, resized until it is just under ``target`` bytes."""
    from PIL import Image

    width, height = 800, 600
    for _ in range(12):
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if target * 0.97 < len(data) <= target:
            return data
        scale = (target * 0.985 / len(data)) ** 0.5
        width, height = max(16, int(width * scale)), max(12, int(height * scale))
    raise RuntimeError(f"could not make a JPEG of about {target} bytes")


def noise_pdf(target: int, *, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages, each showing an uncompressed picture of random
    pixels, about ``target`` bytes in all (20 pages is what a scanning app makes)."""
    import pikepdf

    side = int(((target - 2000 * pages) / pages / 3) ** 0.5)
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        image = pikepdf.Stream(pdf, os.urandom(side * side * 3))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = side, side, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB
        page = pdf.pages[-1]
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 500 0 0 500 47 171 cm /Im0 Do Q")
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    return buffer.getvalue()
