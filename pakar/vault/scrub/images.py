"""Pictures: decode, turn upright, re-encode the pixels and nothing else.

Re-encoding rather than deleting segments means nothing the decoder did not
understand survives: EXIF with GPS, XMP, IPTC, comments, PNG text chunks,
maker notes, embedded thumbnails, HEIF depth maps and anything appended after
the image data. The EXIF orientation is applied to the pixels first, so the
picture still stands upright without the tag.

Colour profiles: an ICC profile is a blob of its own that can name a device,
its owner or the person who calibrated it, and its parser has a history of
security bugs in viewers. So the profile never travels. Instead the pixels
are converted from the embedded profile to sRGB (the colour space a browser
assumes for an untagged picture), so a wide-gamut phone photo keeps its
colours as closely as sRGB allows. Where conversion is impossible (palette or
grey pictures, a broken profile) the profile is simply dropped.

HEIF pictures keep only their primary image; libheif has already applied
their rotation and mirroring, so the EXIF orientation is not applied twice.
They are cleaned into JPEG (see ``OUTPUT_MIME``): handlers' browsers cannot
show HEIF, and encoding HEVC again costs seconds to a minute of CPU per photo
on a small server, against a twentieth of a second for JPEG.
"""

from __future__ import annotations

import io
import struct
from typing import Any, BinaryIO

from PIL import Image, ImageCms, JpegImagePlugin, UnidentifiedImageError
from pillow_heif import register_heif_opener

from pakar.vault.scrub.base import Limits, RefusedFile

register_heif_opener()

MIME_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
    "image/tiff": "TIFF",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
}
# The type of the cleaned file when it differs from the upload's.
OUTPUT_MIME = {"image/heic": "image/jpeg", "image/heif": "image/jpeg"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
# Errors Pillow and its plugins raise for bytes that are not a readable picture.
DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)
# Keys of Image.info that change how a picture looks; everything else is metadata.
RENDERING_KEYS = ("transparency", "loop", "background")
DESCRIPTIVE_TIFF_TAGS = {270, 271, 272, 305, 306, 315, 316, 700, 33432, 33723, 34377, 34665, 34853, 37500}
GPS_IFD = 0x8825
ORIENTATION = 0x0112
TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def sniff_format(head: bytes) -> str | None:
    """The Pillow format name the first bytes announce, or None."""
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    if head[:2] == b"BM":
        return "BMP"
    return None


def scrub_image(mime: str, src: BinaryIO, dst: BinaryIO, limits: Limits) -> list[str]:
    """Clean a picture uploaded as ``mime``; returns the kinds of metadata found."""
    expected = MIME_FORMATS[mime]
    head = src.read(32)
    src.seek(0)
    if sniff_format(head) != expected:
        raise RefusedFile("type_mismatch")
    output = MIME_FORMATS[OUTPUT_MIME.get(mime, mime)]
    return clean_image(src, dst, limits, expected, output)


def clean_embedded_image(data: bytes, limits: Limits) -> tuple[bytes, list[str]]:
    """A picture inside a document, cleaned and kept in its own format."""
    fmt = sniff_format(data[:32])
    if fmt is None:
        raise RefusedFile("damaged")
    out = io.BytesIO()
    found = clean_image(io.BytesIO(data), out, limits, fmt)
    return out.getvalue(), found


def clean_image(src: BinaryIO, dst: BinaryIO, limits: Limits, fmt: str, output: str | None = None) -> list[str]:
    """Decode ``src`` (in Pillow format ``fmt``) and write its pixels alone as ``output``."""
    output = output or fmt
    lossless = fmt == "WEBP" and _webp_is_lossless(src)
    image = _open(src, fmt, limits)
    with image:
        _check_pixels(image, limits)
        try:
            found = _metadata_found(image)
            frames, durations = _clean_frames(image)
            options = _save_options(image, output, durations, lossless=lossless)
        except DECODE_ERRORS as exc:
            raise RefusedFile("damaged") from exc
    _save(frames, output, dst, options)
    return found


def _open(src: BinaryIO, fmt: str, limits: Limits) -> Image.Image:
    try:
        return Image.open(src, formats=[fmt])
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling, far above ours
        raise RefusedFile("image_too_large", limit=limits.max_pixels // 1_000_000) from exc
    except DECODE_ERRORS as exc:
        raise RefusedFile("damaged") from exc


def _frame_count(image: Image.Image) -> int:
    # A HEIF file's other images (bursts, depth maps) are not kept, so not counted.
    return 1 if image.format == "HEIF" else int(getattr(image, "n_frames", 1))


def _check_pixels(image: Image.Image, limits: Limits) -> None:
    """Refuse before decoding: the header alone says how much memory the pixels take."""
    try:
        pixels = image.width * image.height * _frame_count(image)
    except DECODE_ERRORS as exc:
        raise RefusedFile("damaged") from exc
    if pixels > limits.max_pixels or image.width <= 0 or image.height <= 0:
        raise RefusedFile("image_too_large", limit=limits.max_pixels // 1_000_000)


def _exif(image: Image.Image) -> Image.Exif | None:
    """The EXIF block, or None when it is unreadable (it is dropped all the same)."""
    try:
        exif = image.getexif()
        exif.get_ifd(GPS_IFD)
    except DECODE_ERRORS + (KeyError, TypeError):
        return None
    return exif


def _metadata_found(image: Image.Image) -> list[str]:
    found = {key.lower() for key, value in image.info.items() if isinstance(key, str) and value}
    found &= {"exif", "xmp", "xml:com.adobe.xmp", "icc_profile", "comment", "photoshop", "thumbnails"}
    found |= {"text"} if image.format == "PNG" and any(isinstance(v, str) for v in image.info.values()) else set()
    exif = _exif(image)
    if exif is not None and exif.get_ifd(GPS_IFD):
        found.add("gps")
    if exif is not None and DESCRIPTIVE_TIFF_TAGS & set(exif):
        found.add("exif")
    return sorted(found)


def _orientation(image: Image.Image) -> int:
    if image.format == "HEIF":
        return 1  # libheif applied the HEIF transforms while decoding
    exif = _exif(image)
    value = exif.get(ORIENTATION, 1) if exif is not None else 1
    return value if isinstance(value, int) else 1


def _clean_frames(image: Image.Image) -> tuple[list[Image.Image], list[int]]:
    steps = TRANSPOSE.get(_orientation(image), [])
    frames, durations = [], []
    for index in range(_frame_count(image)):
        image.seek(index)
        icc = image.info.get("icc_profile")
        durations.append(int(image.info.get("duration", 0) or 0))
        frame = image.copy()
        for step in steps:
            frame = frame.transpose(step)
        frame = _to_srgb(frame, icc)
        frame.info = {}
        frames.append(frame)
    image.seek(0)
    return frames, durations


def _to_srgb(frame: Image.Image, icc: bytes | None) -> Image.Image:
    if not icc or frame.mode not in ("RGB", "RGBA", "CMYK"):
        return frame
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if frame.mode != "CMYK" and "srgb" in ImageCms.getProfileDescription(profile).lower():
            return frame  # already what a viewer assumes; skip the costly transform
        converted = ImageCms.profileToProfile(
            frame, profile, _SRGB, outputMode="RGBA" if frame.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return frame
    return converted if converted is not None else frame


def _save_options(image: Image.Image, fmt: str, durations: list[int], *, lossless: bool) -> dict[str, Any]:
    options: dict[str, Any] = {key: image.info[key] for key in RENDERING_KEYS if key in image.info}
    if fmt == "JPEG":
        options.update(_jpeg_options(image))
    elif fmt == "WEBP":
        options.update(lossless=lossless, quality=90, method=4)
    elif fmt == "TIFF":
        options["compression"] = "group4" if image.mode == "1" else "tiff_lzw"
    if fmt in ("GIF", "WEBP") and len(durations) > 1:
        options["duration"] = durations
    return options


def _jpeg_options(image: Image.Image) -> dict[str, Any]:
    """Re-use the source's quantisation tables: same quality, similar size."""
    if isinstance(image, JpegImagePlugin.JpegImageFile) and image.quantization and image.mode == "RGB":
        options: dict[str, Any] = {"qtables": image.quantization}
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
        return options
    return {"quality": 92}


def _webp_is_lossless(src: BinaryIO) -> bool:
    """Keep lossless WebP lossless (screenshots of text stay sharp)."""
    src.seek(12)
    try:
        while len(header := src.read(8)) == 8:
            name, size = header[:4], struct.unpack("<I", header[4:])[0]
            if name in (b"VP8 ", b"VP8L"):
                return name == b"VP8L"
            if name == b"ANMF":
                src.seek(16, io.SEEK_CUR)  # the frame's header, then its own chunks
                continue
            src.seek(size + (size & 1), io.SEEK_CUR)
        return False
    finally:
        src.seek(0)


def _saveable(frame: Image.Image, fmt: str) -> Image.Image:
    allowed = {"JPEG": ("L", "RGB", "CMYK"), "WEBP": ("RGB", "RGBA"), "HEIF": ("RGB", "RGBA")}.get(fmt)
    if allowed is None or frame.mode in allowed:
        return frame
    has_alpha = frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info)
    return frame.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")


def _save(frames: list[Image.Image], fmt: str, dst: BinaryIO, options: dict[str, Any]) -> None:
    frames = [_saveable(frame, fmt) for frame in frames]
    if len(frames) > 1:
        options = {**options, "save_all": True, "append_images": frames[1:]}
    # TIFF writers seek back to patch offsets; everything else writes straight through.
    target: BinaryIO = io.BytesIO() if fmt == "TIFF" else dst
    frames[0].save(target, format=fmt, **options)
    if isinstance(target, io.BytesIO) and target is not dst:
        dst.write(target.getvalue())


def strip_jpeg_metadata(data: bytes) -> bytes:
    """A JPEG stream without APPn (except Adobe's colour transform) and COM segments.

    Lossless, for JPEGs embedded in PDFs, whose renderers ignore EXIF anyway.
    Anything after the end-of-image marker is dropped too.
    """
    if data[:2] != b"\xff\xd8":
        raise RefusedFile("damaged")
    out, pos, end = bytearray(b"\xff\xd8"), 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            raise RefusedFile("damaged")
        while pos < end and data[pos] == 0xFF:
            pos += 1
        if pos >= end:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            out += b"\xff\xd9"
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += bytes((0xFF, marker))
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise RefusedFile("damaged")
        if not ((0xE0 <= marker <= 0xEF and marker != 0xEE) or marker == 0xFE):
            out += bytes((0xFF, marker)) + data[pos : pos + length]
        pos += length
        if marker == 0xDA:
            scan_end = _entropy_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    return bytes(out)


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a SOS segment stops (the next real marker)."""
    while (pos := data.find(b"\xff", pos)) != -1 and pos + 1 < len(data):
        following = data[pos + 1]
        if following == 0x00 or following == 0xFF or 0xD0 <= following <= 0xD7:
            pos += 1
            continue
        return pos
    return len(data)
