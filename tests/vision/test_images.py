"""Image input under AWS's limits: every bad input is a clear 4xx before any model runs."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pydantic
import pytest
from PIL import Image

from core.errors import ImageTooLarge, InvalidImageFormat, InvalidParameter, InvalidS3Object
from core.s3_object import InlineOrS3
from core.settings import Settings
from tests.vision.sample_images import ASTRONAUT, jpeg
from vision.images import MAX_INLINE_BYTES, decode, read_image


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height over one tiny compressed row: a decompression bomb's shape."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def test_png_and_jpeg_decode_to_rgb() -> None:
    png = decode(ASTRONAUT.read_bytes())
    assert (png.width, png.height) == (512, 512) and png.pixels.dtype == np.uint8 and png.pixels.shape[2] == 3
    from_jpeg = decode(jpeg(Image.open(ASTRONAUT)))
    assert np.abs(from_jpeg.pixels.astype(int) - png.pixels.astype(int)).mean() < 5


def test_exif_orientation_is_applied() -> None:
    wide = Image.new("RGB", (120, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    upright = decode(jpeg(wide, exif=exif))
    assert (upright.width, upright.height) == (60, 120)


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"%PDF-1.4 this is not an image", "not a readable"),
    (ASTRONAUT.read_bytes()[:5000], "truncated"),
    (jpeg(Image.open(ASTRONAUT))[:4000], "truncated"),
])
def test_not_an_image_empty_and_truncated_are_invalid_format(data: bytes, fragment: str) -> None:
    with pytest.raises(InvalidImageFormat, match=fragment):
        decode(data)


def test_formats_rekognition_does_not_read_are_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buffer, format="GIF")
    with pytest.raises(InvalidImageFormat, match="GIF"):
        decode(buffer.getvalue())


@pytest.mark.parametrize("side", [8_000, 20_000, 60_000])
def test_huge_dimensions_are_refused_from_the_header(side: int) -> None:
    bomb = _png_header_only(side, side)
    assert len(bomb) < 200
    with pytest.raises(ImageTooLarge, match="pixels"):
        decode(bomb)


def test_inline_bytes_over_5_mb_are_too_large() -> None:
    with pytest.raises(ImageTooLarge, match="limit"):
        read_image(InlineOrS3(Bytes=b"\xff" * (MAX_INLINE_BYTES + 1)), Settings())


def test_bytes_and_s3object_together_or_neither_are_invalid() -> None:
    with pytest.raises(InvalidParameter):
        read_image(InlineOrS3(), Settings())
    with pytest.raises(InvalidS3Object):
        read_image(InlineOrS3(S3Object={"Bucket": "b"}), Settings())


def test_python_values_become_png_bytes() -> None:
    array = np.zeros((40, 30, 3), dtype=np.uint8)
    for value in (array, Image.fromarray(array), Image.fromarray(array).convert("CMYK")):
        encoded = InlineOrS3.model_validate(value).Bytes
        assert decode(encoded).pixels.shape == (40, 30, 3)
    assert InlineOrS3.model_validate(ASTRONAUT).Bytes == ASTRONAUT.read_bytes()
    # A string never names a file: over HTTP it would read the server's disk.
    with pytest.raises(pydantic.ValidationError):
        InlineOrS3.model_validate(str(ASTRONAUT))
