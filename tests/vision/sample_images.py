"""Real photographs that ship inside packages (scikit-image, matplotlib), for every vision test."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.cbook
import skimage
from PIL import Image

SKIMAGE_DATA = Path(skimage.__file__).parent / "data"
ASTRONAUT = SKIMAGE_DATA / "astronaut.png"  # Eileen Collins, one face
CHELSEA = SKIMAGE_DATA / "chelsea.png"  # a tabby cat
COFFEE = SKIMAGE_DATA / "coffee.png"  # a cup of espresso
GRACE_HOPPER = Path(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def jpeg(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def astronaut_flipped() -> bytes:
    """The same person, mirrored and at another scale: a different photograph to the models."""
    image = Image.open(ASTRONAUT).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return jpeg(image.resize((380, 380)))
