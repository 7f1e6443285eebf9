"""Rekognition's image input: `Image={"Bytes"|"S3Object"}` read under AWS's limits and decoded to
an upright RGB array.

AWS's limits: JPEG or PNG only, 5 MB inline, 15 MB from S3. We add a pixel limit, checked from the
header before anything is decoded, so a small file that claims huge dimensions (a decompression
bomb) costs nothing.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np

from core.errors import ImageTooLarge, InvalidImageFormat
from core.s3_object import InlineOrS3, read_input
from core.settings import Settings

MAX_INLINE_BYTES = 5 * 1024 * 1024
MAX_S3_BYTES = 15 * 1024 * 1024
# About 7000 x 7000: above any photo Rekognition is sent, far below what would exhaust memory.
MAX_PIXELS = 50_000_000
MIN_SIDE = 16  # too few pixels for any of the models to see something
FORMATS = ("JPEG", "PNG")


@dataclass(frozen=True)
class DecodedImage:
    pixels: np.ndarray  # H x W x 3 uint8 RGB, EXIF orientation applied

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])


def decode(data: bytes) -> DecodedImage:
    """Bytes of a JPEG or PNG -> pixels; anything else is the caller's InvalidImageFormatException."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise InvalidImageFormat("The image is empty (0 bytes).")
    try:
        with warnings.catch_warnings():
            # Pillow warns (and raises above twice its own limit) on huge images: we check ourselves first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise InvalidImageFormat(f"The image is {image.format}; Rekognition reads JPEG and PNG only.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageTooLarge(f"The image is {width}x{height} pixels; the limit is {MAX_PIXELS} pixels.")
            if min(width, height) < MIN_SIDE:
                raise InvalidImageFormat(f"The image is {width}x{height} pixels; each side needs {MIN_SIDE}.")
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except Image.DecompressionBombError as exc:  # dimensions far past ours, refused by Pillow while opening
        raise ImageTooLarge(f"The image's dimensions are over the limit of {MAX_PIXELS} pixels: {exc}") from None
    except UnidentifiedImageError as exc:
        raise InvalidImageFormat(f"The bytes are not a readable JPEG or PNG image: {exc}") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data inside a valid header
        raise InvalidImageFormat(f"The image data is corrupt or truncated: {exc}") from None
    return DecodedImage(np.asarray(upright))


def read_image(value: InlineOrS3, settings: Settings, what: str = "Image") -> DecodedImage:
    data = read_input(value, settings, what=what, max_inline_bytes=MAX_INLINE_BYTES, max_s3_bytes=MAX_S3_BYTES,
                      too_large=ImageTooLarge)
    return decode(data)
