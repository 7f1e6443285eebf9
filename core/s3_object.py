"""Inputs that arrive either inline (`Bytes`) or by reference (`S3Object`): Rekognition's `Image`,
Textract's `Document`. One shape and one reader, so every service resolves them the same way and a
missing object is the same `InvalidS3ObjectException` everywhere. S3 is the gateway's configured
endpoint (settings.s3_endpoint_url: MinIO, Ceph, moto in tests).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pydantic

from core.errors import InvalidParameter, InvalidS3Object, ResourceNotFound
from core.service import Blob, Shape
from core.settings import Settings
from core.storage import Location, Storage


class S3ObjectRef(Shape):
    Bucket: str | None = None
    Name: str | None = None
    Version: str | None = None  # accepted; the object's current version is read


def as_bytes(value: Any) -> Any:
    """What in-process and SDK callers may pass as Bytes: bytes, a file path (`pathlib.Path`), a PIL
    image or a numpy array (both sent as PNG). Anything else is left for the model to judge."""
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, os.PathLike):
        return Path(value).read_bytes()
    module = type(value).__module__
    if module.startswith("PIL.") or module == "numpy":
        from PIL import Image  # only when a caller hands us an image object: Pillow is then installed

        image = value if module.startswith("PIL.") else Image.fromarray(value)
        if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):  # CMYK, YCbCr, ...: not PNG's
            image = image.convert("RGB")
        encoded = io.BytesIO()
        image.save(encoded, format="PNG")
        return encoded.getvalue()
    return value


class InlineOrS3(Shape):
    """`{"Bytes": ...}` or `{"S3Object": {...}}`, exactly one of them. In-process and SDK callers may
    also pass the bytes, a path, a PIL image or a numpy array in place of the whole member."""

    Bytes: Blob | None = None
    S3Object: S3ObjectRef | None = None

    @pydantic.model_validator(mode="before")
    @classmethod
    def _inline(cls, value: Any) -> Any:
        return value if isinstance(value, dict | pydantic.BaseModel | str) else {"Bytes": value}

    @pydantic.field_validator("Bytes", mode="before")
    @classmethod
    def _bytes(cls, value: Any) -> Any:
        return as_bytes(value)


def read_input(value: InlineOrS3, settings: Settings, *, what: str, max_inline_bytes: int,
               max_s3_bytes: int, too_large: type[Exception]) -> bytes:
    """The input's bytes. `too_large` is the service's own error for inputs over its limits
    (Rekognition: ImageTooLargeException; Textract: DocumentTooLargeException)."""
    if (value.Bytes is None) == (value.S3Object is None):
        raise InvalidParameter(f"{what} needs exactly one of Bytes or S3Object.")
    if value.Bytes is not None:
        if len(value.Bytes) > max_inline_bytes:
            raise too_large(f"{what}.Bytes is {len(value.Bytes)} bytes; the limit is {max_inline_bytes}.")
        return value.Bytes
    ref = value.S3Object
    if not ref.Bucket or not ref.Name:
        raise InvalidS3Object(f"{what}.S3Object needs a Bucket and a Name.")
    location = Location("s3", ref.Bucket, ref.Name)
    try:
        data = Storage(settings).read_bytes(location)
    except ResourceNotFound as exc:
        raise InvalidS3Object(f"Unable to get object metadata from S3: {exc.message}") from None
    except Exception as exc:  # unreachable endpoint, access denied: still the caller's object to fix
        raise InvalidS3Object(f"Unable to read s3://{ref.Bucket}/{ref.Name}: {type(exc).__name__}") from None
    if len(data) > max_s3_bytes:
        raise too_large(f"s3://{ref.Bucket}/{ref.Name} is {len(data)} bytes; the limit is {max_s3_bytes}.")
    return data
