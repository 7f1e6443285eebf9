"""Objects by URI: `s3://bucket/key`, `file:///path` or a plain local path.

S3 goes through boto3 (already a dependency of the AWS door) rather than s3fs: s3fs's aiobotocore
pins botocore to a few patch releases, which would fight the botocore the AWS door reads its
models from. Credentials come from the usual AWS environment/config chain; the endpoint from
settings, so an on-premises S3 (MinIO, Ceph) works.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.errors import InvalidRequest, ResourceNotFound
from core.settings import Settings


@dataclass(frozen=True)
class Location:
    scheme: str  # "s3" or "file"
    bucket: str  # empty for files
    key: str  # object key, or the absolute path for files

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}" if self.scheme == "s3" else self.key

    def child(self, relative_key: str) -> Location:
        """The object `relative_key` below this prefix; refuses keys that would climb out of it."""
        parts = [p for p in relative_key.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts or not parts:
            raise InvalidRequest(f"Object key {relative_key!r} is not a plain relative key.")
        return Location(self.scheme, self.bucket, posixpath.join(self.key, *parts) if self.key else "/".join(parts))


def parse(uri: str) -> Location:
    split = urlsplit(uri)
    if split.scheme == "s3":
        if not split.netloc:
            raise InvalidRequest(f"S3 URI {uri!r} has no bucket.")
        return Location("s3", split.netloc, split.path.lstrip("/"))
    if split.scheme == "file":
        return Location("file", "", unquote(split.path))
    if split.scheme in ("", None) or len(split.scheme) == 1:  # a plain path (a Windows drive letter too)
        return Location("file", "", str(Path(uri).expanduser().resolve()))
    raise InvalidRequest(f"Unsupported storage URI scheme {split.scheme!r} in {uri!r}; use s3:// or a path.")


@functools.lru_cache(maxsize=4)
def _s3_client(endpoint_url: str | None, region: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region)


def _location(uri: str | Path | Location) -> Location:
    return uri if isinstance(uri, Location) else parse(str(uri))


class Storage:
    """Reads, writes and lists objects for one configuration (its S3 endpoint and region)."""

    def __init__(self, settings: Settings) -> None:
        self._endpoint = settings.s3_endpoint_url
        self._region = settings.s3_region

    @property
    def _s3(self):
        return _s3_client(self._endpoint, self._region)

    def read_bytes(self, uri: str | Path | Location) -> bytes:
        loc = _location(uri)
        if loc.scheme == "file":
            try:
                return Path(loc.key).read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                raise ResourceNotFound(f"No file at {loc}.") from None
        client = self._s3
        try:
            return client.get_object(Bucket=loc.bucket, Key=loc.key)["Body"].read()
        except client.exceptions.NoSuchKey:
            raise ResourceNotFound(f"No object at {loc}.") from None
        except client.exceptions.NoSuchBucket:
            raise ResourceNotFound(f"No bucket {loc.bucket!r}.") from None

    def write_bytes(self, uri: str | Path | Location, data: bytes, content_type: str = "application/octet-stream") -> None:
        loc = _location(uri)
        if loc.scheme == "file":
            path = Path(loc.key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)  # readers never see half a file
            return
        client = self._s3
        try:
            client.put_object(Bucket=loc.bucket, Key=loc.key, Body=data, ContentType=content_type)
        except client.exceptions.NoSuchBucket:
            raise ResourceNotFound(f"No bucket {loc.bucket!r}.") from None

    def list_keys(self, prefix: str | Path | Location, *, page_size: int = 1000) -> Iterator[Location]:
        """Every object under a prefix (an S3 prefix, a folder, or one file), streamed page by page:
        a million keys are never held in memory at once."""
        loc = _location(prefix)
        if loc.scheme == "file":
            root = Path(loc.key)
            if root.is_file():
                yield loc
                return
            if not root.exists():
                raise ResourceNotFound(f"No folder or file at {loc}.")
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.endswith(".part"):
                    yield Location("file", "", str(path))
            return
        client = self._s3
        try:
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=loc.bucket, Prefix=loc.key, PaginationConfig={"PageSize": page_size}
            ):
                for obj in page.get("Contents", []):
                    yield Location("s3", loc.bucket, obj["Key"])
        except client.exceptions.NoSuchBucket:
            raise ResourceNotFound(f"No bucket {loc.bucket!r}.") from None
