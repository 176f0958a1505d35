"""Pictures lose EXIF, GPS, XMP, comments and text chunks, and still look the same."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat
from pillow_heif import register_heif_opener

from pakar.vault.scrub import Limits, RefusedFile, ScrubReport, scrub

register_heif_opener()

GPS_IFD = 0x8825
MAKE, MODEL, SOFTWARE = 271, 272, 305
MIMES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}
MIMES |= {".tiff": "image/tiff", ".heic": "image/heic"}
PHOTOS_WITH_GPS = [
    "jpg_gps_DSCN0010.jpg",
    "jpg_gps_DSCN0021.jpg",
    "jpg_mobile_HMD_Nokia_8.3_5G.jpg",
    "jpg_Canon_40D.jpg",
    "heic_IMG_5195.HEIC",
]
ALL_PICTURES = PHOTOS_WITH_GPS + [
    "jpg_orientation_landscape_6.jpg",
    "jpg_orientation_portrait_8.jpg",
    "dirty.jpg",
    "dirty.png",
    "dirty.webp",
    "dirty.gif",
    "dirty.tiff",
    "dirty.heic",
]


def scrubbed(path: Path, mime: str | None = None, **kwargs: object) -> tuple[ScrubReport, bytes]:
    out = io.BytesIO()
    with path.open("rb") as src:
        report = scrub(mime or MIMES[path.suffix.lower()], src, out, limits=Limits(), **kwargs)  # type: ignore[arg-type]
    return report, out.getvalue()


def scrubbed_bytes(data: bytes, mime: str, limits: Limits | None = None) -> bytes:
    out = io.BytesIO()
    scrub(mime, io.BytesIO(data), out, limits=limits or Limits())
    return out.getvalue()


def as_displayed(image: Image.Image) -> Image.Image:
    """The picture as a colour-managed viewer shows it: upright, in sRGB."""
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image).convert("RGB")
    if not icc:
        return upright
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.profileToProfile(upright, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Average per-channel difference (0-255) of two pictures seen at thumbnail size."""
    size = (min(a.width, 256), min(a.height, 256))
    diff = ImageChops.difference(a.convert("RGB").resize(size), b.convert("RGB").resize(size))
    return sum(ImageStat.Stat(diff).mean) / 3


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.append(kind)
        position += 12 + length
    return chunks


def riff_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 12
    while position + 8 <= len(data):
        kind, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        chunks.append(kind)
        position += 8 + size + (size & 1)
    return chunks


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("name", PHOTOS_WITH_GPS)
def test_it_removes_gps_camera_and_xmp_from_photos(evidence_file, name):
    path = evidence_file(name)
    original = Image.open(path)
    original_exif = original.getexif()
    assert original_exif.get_ifd(GPS_IFD), "the sample should carry GPS tags"

    report, data = scrubbed(path)

    cleaned = Image.open(io.BytesIO(data))
    assert len(cleaned.getexif()) == 0
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(cleaned.info)
    assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap/" not in data
    for tag in (MAKE, MODEL, SOFTWARE):
        value = str(original_exif.get(tag, "")).strip("\x00 ")
        if len(value) > 3:
            assert value.encode() not in data, f"{value!r} survived"
    assert "gps" in report.removed


@pytest.mark.parametrize("name", ALL_PICTURES)
def test_the_cleaned_picture_looks_like_the_original(evidence_file, name):
    path = evidence_file(name)
    _, data = scrubbed(path)

    original, cleaned = as_displayed(Image.open(path)), Image.open(io.BytesIO(data))
    assert cleaned.size == original.size
    # Re-encoding and the conversion of wide-gamut profiles to sRGB move
    # colours a little; a wrong rotation or lost content moves them a lot.
    assert mean_difference(original, cleaned) < 6


@pytest.mark.parametrize(
    ("name", "stored_size"),
    [("jpg_orientation_landscape_6.jpg", (450, 600)), ("jpg_orientation_portrait_8.jpg", (600, 450))],
)
def test_it_turns_rotated_photos_upright_before_dropping_the_orientation_tag(evidence_file, name, stored_size):
    path = evidence_file(name)
    assert Image.open(path).size == stored_size
    assert Image.open(path).getexif()[0x0112] in (6, 8)

    _, data = scrubbed(path)

    cleaned = Image.open(io.BytesIO(data))
    assert cleaned.size == (stored_size[1], stored_size[0])  # width and height swapped, as displayed
    assert 0x0112 not in cleaned.getexif()
    assert mean_difference(as_displayed(Image.open(path)), cleaned) < 4
    # Against the unrotated pixels the difference is large: the test sees a wrong turn.
    wrong = Image.open(path).convert("RGB").transpose(Image.Transpose.ROTATE_180).resize(cleaned.size)
    assert mean_difference(wrong, cleaned) > 20


def test_it_removes_the_jpeg_comment_block(evidence_file):
    path = evidence_file("dirty.jpg")
    comment = Image.open(path).info["comment"]
    assert comment

    _, data = scrubbed(path)

    assert "comment" not in Image.open(io.BytesIO(data)).info
    assert comment not in data
    assert b"\xff\xfe" not in data.split(b"\xff\xda", 1)[0]  # no COM segment before the image data


def test_it_removes_the_gif_comment(evidence_file):
    path = evidence_file("dirty.gif")
    comment = Image.open(path).info["comment"]

    _, data = scrubbed(path)

    assert "comment" not in Image.open(io.BytesIO(data)).info
    assert comment not in data


def test_it_removes_png_text_chunks(evidence_file):
    path = evidence_file("dirty.png")
    original = path.read_bytes()
    assert {b"tEXt", b"iTXt", b"zTXt"} & set(png_chunks(original))

    _, data = scrubbed(path)

    assert set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    assert Image.open(io.BytesIO(data)).info == {}


def test_it_removes_the_webp_exif_chunk(evidence_file):
    path = evidence_file("dirty.webp")
    assert b"EXIF" in riff_chunks(path.read_bytes())

    _, data = scrubbed(path)

    assert not {b"EXIF", b"XMP ", b"ICCP"} & set(riff_chunks(data))
    assert len(Image.open(io.BytesIO(data)).getexif()) == 0


def test_it_removes_camera_tags_from_tiff(evidence_file):
    path = evidence_file("dirty.tiff")
    tags = Image.open(path).getexif()
    assert tags.get(MAKE) and tags.get(MODEL)

    _, data = scrubbed(path)

    cleaned = Image.open(io.BytesIO(data)).getexif()
    assert MAKE not in cleaned and MODEL not in cleaned and SOFTWARE not in cleaned
    assert 0x8769 not in cleaned  # no EXIF sub-IFD
    assert str(tags[MAKE]).strip().encode() not in data


@pytest.mark.parametrize(
    ("name", "carried", "telltale"),
    [("dirty.heic", "icc_profile", b"acsp"), ("heic_IMG_5195.HEIC", "exif", b"Apple")],  # acsp: an ICC header,
)
def test_heif_pictures_become_jpeg_without_their_metadata(evidence_file, name, carried, telltale):
    path = evidence_file(name)
    assert Image.open(path).info.get(carried)
    assert telltale in path.read_bytes()

    report, data = scrubbed(path)

    cleaned = Image.open(io.BytesIO(data))
    assert report.mime == "image/jpeg" and cleaned.format == "JPEG"
    assert len(cleaned.getexif()) == 0
    assert not {"xmp", "icc_profile", "exif"} & set(cleaned.info)
    assert telltale not in data


def test_an_animated_gif_keeps_every_frame_and_loses_its_comment():
    frames = [Image.new("P", (40, 30), color) for color in (1, 2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 756)
    source = io.BytesIO()
    frames[0].save(
        source, format="GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], comment=b"Budi"
    )

    cleaned = Image.open(io.BytesIO(scrubbed_bytes(source.getvalue(), "image/gif")))

    assert cleaned.n_frames == 3
    assert "comment" not in cleaned.info
    colours = []
    for index in range(3):
        cleaned.seek(index)
        colours.append(cleaned.convert("RGB").getpixel((5, 5)))
    assert colours == [(255, 0, 0), (0, 255, 0), (0, 0, 255)]


@pytest.mark.parametrize("name", ["jpg_corrupted.jpg", "jpg_invalid_image00971.jpg"])
def test_photos_with_broken_metadata_are_cleaned_because_their_pixels_decode(evidence_file, name):
    """Their damage is in the EXIF/XMP blocks; those are exactly what cleaning drops."""
    path = evidence_file(name)

    report, data = scrubbed(path)

    cleaned = Image.open(io.BytesIO(data))
    cleaned.load()
    assert cleaned.size == Image.open(path).size
    assert len(cleaned.getexif()) == 0 and "xmp" not in cleaned.info
    assert report.removed


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_a_truncated_photo_is_refused_as_damaged(evidence_file, cut):
    data = evidence_file("jpg_corrupted.jpg").read_bytes()

    with pytest.raises(RefusedFile) as refused:
        scrubbed_bytes(data[: int(len(data) * cut)], "image/jpeg")

    assert refused.value.reason_code == "damaged"
    assert "damaged" in refused.value.message


def test_a_tiny_png_declaring_ten_billion_pixels_is_refused_before_decoding():
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 100

    with pytest.raises(RefusedFile) as refused:
        scrubbed_bytes(bomb, "image/png")

    assert refused.value.reason_code == "image_too_large"
    assert "60 megapixels" in refused.value.message


def test_a_picture_above_the_pixel_limit_is_refused_with_the_limit_in_the_message():
    with pytest.raises(RefusedFile) as refused:
        scrubbed_bytes(png_declaring(9_000, 9_000), "image/png", Limits(max_pixels=60_000_000))

    assert refused.value.reason_code == "image_too_large"
    assert "60 megapixels" in refused.value.message


def test_the_pixel_limit_comes_from_settings(settings, evidence_file):
    settings.PAKAR_SCRUB_MAX_PIXELS = 100 * 100
    out = io.BytesIO()
    with evidence_file("jpg_gps_DSCN0010.jpg").open("rb") as src, pytest.raises(RefusedFile) as refused:
        scrub("image/jpeg", src, out)  # limits from settings

    assert refused.value.reason_code == "image_too_large"


@pytest.mark.parametrize(
    ("name", "declared"),
    [("dirty.png", "image/jpeg"), ("dirty.jpg", "image/png"), ("dirty.pdf", "image/webp"), ("dirty.mp3", "image/heic")],
)
def test_content_that_is_not_the_declared_picture_type_is_refused(evidence_file, name, declared):
    with pytest.raises(RefusedFile) as refused:
        scrubbed(evidence_file(name), declared)

    assert refused.value.reason_code == "type_mismatch"
