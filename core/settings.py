"""Settings: environment variables prefixed `AIGW_`, optionally a TOML file named by `AIGW_CONFIG`.

Every default works offline on a fresh machine: embedded models, auth off, data under the user's
data folder. Nested values use `__` in env vars (`AIGW_MODELS__COMPREHEND_SENTIMENT__PATH=/models/lexicon.txt`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
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


class JobSettings(BaseModel):
    """Batch jobs over S3 prefixes and folders (gateway/jobs)."""

    executor: Literal["local", "ray"] = Field(default="local", description="local = a thread pool in the gateway.")
    workers: int = Field(default=4, ge=1, description="Threads of the local executor, shared by all jobs.")
    window: int = Field(default=32, ge=1, description="Objects in flight per job: memory stays bounded.")
    max_running: int = Field(default=2, ge=1, description="Jobs run at once; later ones wait as SUBMITTED.")
    ray_actors: int = Field(default=2, ge=1, description="Ray actors per job, each keeping the model loaded.")
    ray_num_cpus: float = Field(default=0.5, gt=0, description="CPUs per Ray actor: fractional so that actors "
                                "and Ray Data's own tasks fit on small machines without deadlocking.")
    ray_chunk: int = Field(default=2000, ge=1, description="Keys per Ray dataset: listing stays streamed.")
    database_url: str | None = Field(default=None, description="postgresql://user:pass@host/db keeps job "
                                     "records in PostgreSQL (shared by gateways); default: SQLite in data_dir.")
    local_roots: list[Path] = Field(default_factory=list, description="Folders that jobs started over HTTP "
                                    "may read and write; none by default (the CLI in process may use any).")


class PiiRedactionSettings(BaseModel):
    """PII redaction the gateway enforces (gateway/middleware/pii_redaction.py). Clients may also ask
    for it per request (X-Pii-Redaction headers); they can widen what is enforced, never narrow it."""

    routes: list[str] = Field(default_factory=list, description='Operations where redaction is enforced: '
                              '"comprehend.DetectEntities", "translate.*", "*". Empty: off.')
    types: list[str] = Field(default_factory=lambda: ["ALL"], description="Comprehend PII types, or ALL.")
    mode: Literal["mask", "type", "hash"] = "mask"
    scope: Literal["response", "request", "both"] = "response"
    hash_key: SecretStr | None = Field(default=None, description="Key of hash mode's tokens: set it for tokens "
                                       "that stay the same across restarts and machines.")


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
    pii_redaction: PiiRedactionSettings = Field(default_factory=PiiRedactionSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)

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
