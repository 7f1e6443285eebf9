"""Settings from the environment (AIGW_ prefix) and from a TOML file named by AIGW_CONFIG."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings


def test_defaults_work_offline_with_auth_off() -> None:
    settings = Settings()
    assert settings.auth_enabled is False
    assert settings.port == 8080
    assert settings.max_body_bytes == 16 * 1024 * 1024


def test_environment_with_nested_model_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIGW_PORT", "9001")
    monkeypatch.setenv("AIGW_API_KEYS", '["k1", "k2"]')
    monkeypatch.setenv("AIGW_MODELS__COMPREHEND_SENTIMENT__PATH", str(tmp_path / "lexicon.txt"))
    settings = Settings()
    assert settings.port == 9001
    assert settings.api_keys == ["k1", "k2"]
    assert settings.auth_enabled
    assert settings.models["comprehend_sentiment"].path == tmp_path / "lexicon.txt"


def test_toml_file_and_env_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "aigw.toml"
    config.write_text(
        'port = 7000\nmax_body_bytes = 1024\n[aws_credentials]\nAKID = "secret"\n'
        '[models."comprehend_dominant_language"]\nengine = "fasttext-lid"\npath = "lid/custom.ftz"\n'
    )
    monkeypatch.setenv("AIGW_CONFIG", str(config))
    monkeypatch.setenv("AIGW_PORT", "7100")  # the environment wins over the file
    settings = Settings()
    assert settings.port == 7100
    assert settings.max_body_bytes == 1024
    assert settings.aws_credentials == {"AKID": "secret"}
    assert settings.models["comprehend_dominant_language"].path == Path("lid/custom.ftz")
