"""Metadata removal: what cleaning one upload costs (issue 4's `make bench` figures).

Both inputs are made here, from seeded noise, so the run needs no files:

- a ~10 MB JPEG: a noise photo (noise hardly compresses: ~12 megapixels
  make 10 MB) carrying EXIF with camera make/model and a GPS position;
- a ~10 MB PDF: ten pages, each showing a ~1 MB noise JPEG that carries its
  own EXIF and GPS, plus document information and an XMP stream.

Each is cleaned in-process with ``pakar.vault.scrub.scrub`` into a sink that
only counts bytes, several times; the figure is the median in milliseconds.
No server is involved: cleaning runs wherever uploads are processed.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchContext, Figures, figure  # noqa: E402 - the repository must be importable first

TARGET_BYTES = 10 * 1024 * 1024
GPS_IFD = 0x8825


def _exif() -> Any:
    from PIL import Image

    exif = Image.Exif()
    exif[271], exif[272], exif[305] = "PAKAR Bench Camera", "Noise 10", "bench 1.0"
    exif[GPS_IFD] = {1: "S", 2: (6.0, 55.0, 3.0), 3: "E", 4: (106.0, 55.0, 3.0)}
    return exif


def noise_jpeg(target: int, seed: int = 4) -> bytes:
    """A JPEG of about ``target`` bytes, made of seeded noise, with EXIF and GPS."""
    from PIL import Image

    rng = random.Random(seed)
    side = int((target / 0.9) ** 0.5)  # noise at quality 90 costs ~0.9 bytes a pixel
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90, exif=_exif())
        if abs(out.tell() - target) < target * 0.05:
            return out.getvalue()
        side = int(side * (target / out.tell()) ** 0.5)


def photo_pdf(target: int, pages: int = 10) -> bytes:
    """A PDF of about ``target`` bytes: ``pages`` pages, each a noise photo with EXIF."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.new()
    for number in range(pages):
        photo = noise_jpeg(target // pages, seed=number)
        width, height = _jpeg_size(photo)
        page = pdf.add_blank_page(page_size=(595, 842))
        image = pikepdf.Stream(pdf, photo)
        image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
        image.Width, image.Height, image.ColorSpace, image.BitsPerComponent = width, height, Name.DeviceRGB, 8
        page.Resources = Dictionary(XObject=Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 500 0 0 500 47 171 cm /Im0 Do Q BT /F1 12 Tf 47 100 Td (Bukti) Tj ET")
    pdf.docinfo["/Author"] = "Budi Santoso"
    pdf.docinfo["/Producer"] = "PAKAR bench"
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = ["Budi Santoso"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _jpeg_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    size: tuple[int, int] = Image.open(io.BytesIO(data)).size
    return size


class _Sink(io.RawIOBase):
    """Counts what the cleaner writes; keeps nothing, so only cleaning is timed."""

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def _time_ms(mime: str, data: bytes, repeats: int) -> tuple[float, int]:
    from pakar.vault.scrub import Limits, scrub

    times, cleaned = [], 0
    for _ in range(repeats):
        sink = _Sink()
        start = time.perf_counter()
        scrub(mime, io.BytesIO(data), sink, limits=Limits())  # type: ignore[arg-type]
        times.append((time.perf_counter() - start) * 1000)
        cleaned = sink.size
    return statistics.median(times), cleaned


def bench_scrub(repeats: int = 5) -> Figures:
    """Time the cleaning of a ~10 MB JPEG and a ~10 MB PDF; print and return the figures (ms)."""
    jpeg, pdf = noise_jpeg(TARGET_BYTES), photo_pdf(TARGET_BYTES)
    jpeg_ms, jpeg_out = _time_ms("image/jpeg", jpeg, repeats)
    pdf_ms, pdf_out = _time_ms("application/pdf", pdf, repeats)
    megapixels = _jpeg_size(jpeg)[0] * _jpeg_size(jpeg)[1] / 1e6
    figures: Figures = {
        "scrub_jpeg_10mb_ms": figure(
            jpeg_ms, "ms", "<= 3000", input_mb=round(len(jpeg) / 1e6, 2), output_mb=round(jpeg_out / 1e6, 2),
            megapixels=round(megapixels, 1), repeats=repeats,
        ),
        "scrub_pdf_10mb_ms": figure(
            pdf_ms, "ms", "<= 1000", input_mb=round(len(pdf) / 1e6, 2), output_mb=round(pdf_out / 1e6, 2),
            pages=10, repeats=repeats,
        ),
    }  # fmt: skip
    print(json.dumps(figures))
    return figures


def bench(ctx: BenchContext) -> Figures:
    return bench_scrub(repeats=9 if ctx.full else 5)


if __name__ == "__main__":
    bench_scrub()
