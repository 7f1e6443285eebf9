"""Settings: environment variables prefixed `AIGW_`, optionally a TOML file named by `AIGW_CONFIG`.

Every default works offline on a fresh machine: embedded models, auth off, data under the user's
data folder. Nested values use `__` in env vars (`AIGW_MODELS__COMPREHEND_SENTIMENT__PATH=/models/lexicon.txt`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "AIGW_CONFIG"


class ModelChoice(BaseModel):
    """Which engine serves a capability and, for user-supplied weights, where they are."""

    engine: str | None = None
    path: Path | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIGW_", env_nested_delimiter="__", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "aigw")
    model_dir: Path | None = Field(
        default=None, description="Folder holding users' own weights; a capability's relative path resolves here."
    )
    models: dict[str, ModelChoice] = Field(default_factory=dict, description="capability -> engine/path override")
    model_memory_budget_mb: int | None = Field(
        default=None, description="Unload least recently used models when loaded weights exceed this."
    )

    s3_endpoint_url: str | None = Field(
        default=None, description="S3 server for s3:// inputs and outputs (MinIO, Ceph, ...); None = AWS's."
    )
    s3_region: str = "us-east-1"

    api_keys: list[str] = Field(default_factory=list, description="Bearer keys for the REST door.")
    aws_credentials: dict[str, str] = Field(
        default_factory=dict, description="Access key id -> secret, checked by SigV4 on the AWS door."
    )
    max_body_bytes: int = Field(default=16 * 1024 * 1024, description="Largest request body accepted.")
    log_level: str = "info"

    @property
    def auth_enabled(self) -> bool:
        # One switch for both doors: configuring keys for one must not leave the other open.
        return bool(self.api_keys or self.aws_credentials)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        config_file = os.environ.get(CONFIG_ENV)
        if config_file:
            sources += (TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)),)
        return sources


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
