"""Objects by URI against a real S3 server (moto) and the local filesystem."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InvalidRequest, ResourceNotFound
from core.settings import Settings
from core.storage import Storage, parse


def test_s3_round_trip_and_streamed_listing(s3_server) -> None:
    s3_server.client().create_bucket(Bucket="docs")
    storage = Storage(Settings(s3_endpoint_url=s3_server.endpoint_url))
    for i in range(120):
        s3_server.client().put_object(Bucket="docs", Key=f"in/{i:05d}.txt", Body=f"doc {i}".encode())
    keys = [loc.key for loc in storage.list_keys("s3://docs/in/", page_size=50)]  # three pages
    assert len(keys) == 120 and keys[0] == "in/00000.txt" and keys[-1] == "in/00119.txt"
    out = parse("s3://docs/out/").child("results/a.json")
    storage.write_bytes(out, b'{"ok": true}', "application/json")
    assert storage.read_bytes("s3://docs/out/results/a.json") == b'{"ok": true}'
    with pytest.raises(ResourceNotFound):
        storage.read_bytes("s3://docs/missing.txt")
    with pytest.raises(ResourceNotFound):
        storage.read_bytes("s3://no-such-bucket/x")


def test_local_folder_round_trip(tmp_path: Path) -> None:
    storage = Storage(Settings())
    storage.write_bytes(tmp_path / "a" / "b.txt", b"hello")
    storage.write_bytes(f"file://{tmp_path}/c.txt", b"world")
    assert [Path(l.key).name for l in storage.list_keys(str(tmp_path))] == ["b.txt", "c.txt"]
    assert storage.read_bytes(str(tmp_path / "a" / "b.txt")) == b"hello"
    with pytest.raises(ResourceNotFound):
        list(storage.list_keys(str(tmp_path / "nope")))


@pytest.mark.parametrize("key", ["../escape.txt", "a/../../b", "", "/"])
def test_keys_never_escape_their_prefix(key: str) -> None:
    with pytest.raises(InvalidRequest):
        parse("s3://bucket/out/").child(key)


def test_unsupported_scheme() -> None:
    with pytest.raises(InvalidRequest):
        parse("ftp://host/file")
