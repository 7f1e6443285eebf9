"""Whisper base ships in two packages: joining them is checked against the model's checksum."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ModelUnavailable
from core.settings import Settings
from speech.engines.whisper_ct2 import BASE_FILES, _join_base, base_cache, locate_base


def test_a_damaged_part_is_refused_and_leaves_no_model(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "model.bin.part1").write_bytes(b"not the first half of Whisper base")
    for name in BASE_FILES:
        (parts / name).write_text("{}")
    with pytest.raises(ModelUnavailable, match="checksum"):
        _join_base(parts, base_cache(Settings(data_dir=tmp_path / "data")))
    assert not list((tmp_path / "data").rglob("model.bin*"))


def test_the_installed_parts_join_once(tmp_path: Path) -> None:
    cache = base_cache(Settings(model_dir=tmp_path / "models"))
    joined = _join_base(locate_base(), cache)
    assert joined == tmp_path / "models" / "cache" / "whisper-base-ct2"
    stamp = (joined / "model.bin").stat().st_mtime_ns
    assert _join_base(locate_base(), cache) == joined and (joined / "model.bin").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in joined.iterdir()) == sorted(["model.bin", *BASE_FILES])
