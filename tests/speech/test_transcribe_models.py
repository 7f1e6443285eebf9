"""Whisper base ships in two packages: joining them is checked against the model's checksum."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ModelUnavailable
from core.model_registry import registry
from core.settings import Settings
from speech.engines.whisper_ct2 import BASE_FILES, _join_base, locate_base


def test_a_damaged_part_is_refused_and_leaves_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "model.bin.part1").write_bytes(b"not the first half of Whisper base")
    for name in BASE_FILES:
        (parts / name).write_text("{}")
    monkeypatch.setattr(registry, "_settings", Settings(data_dir=tmp_path / "data"))
    with pytest.raises(ModelUnavailable, match="checksum"):
        _join_base(parts)
    assert not list((tmp_path / "data").rglob("model.bin*"))


def test_the_installed_parts_join_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_settings", Settings(model_dir=tmp_path / "models"))
    joined = _join_base(locate_base())
    assert joined == tmp_path / "models" / "cache" / "whisper-base-ct2"
    stamp = (joined / "model.bin").stat().st_mtime_ns
    assert _join_base(locate_base()) == joined and (joined / "model.bin").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in joined.iterdir()) == sorted(["model.bin", *BASE_FILES])
