"""The model registry: which engine serves each capability, where its weights are, and one loaded
copy per process.

Domain packages register an `EngineSpec` per engine; the registry loads lazily on first use under
a per-capability lock, so concurrent first requests load once. A capability's engine and weights
folder can be overridden by settings (`models.<capability>`), which is how users point a
capability at their own weights through the same code path as the embedded default.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ModelUnavailable, ServiceError
from core.settings import Settings, get_settings

@dataclass(frozen=True)
class EngineSpec:
    capability: str  # e.g. "comprehend_dominant_language"
    engine: str  # e.g. "fasttext-lid"
    model: str  # human name of the default weights
    licence: str
    package: str  # the pip/Debian package that carries the default weights
    locate: Callable[[], Path | None]  # the embedded weights, or None when not installed
    load: Callable[[Path], Any]  # weights path -> engine object
    default: bool = True  # the engine used when settings name none
    # No embedded weights (a user's own model folder): absent until settings give a path, and
    # readiness does not wait for it.
    optional: bool = False


@dataclass
class ModelInfo:
    capability: str
    engine: str
    model: str
    licence: str
    package: str
    path: str | None
    size_bytes: int | None
    installed: bool
    loaded: bool
    selected: bool
    optional: bool


@dataclass
class _Loaded:
    engine: Any
    path: Path
    size_bytes: int
    last_used: float = field(default_factory=time.monotonic)


def _size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class ModelRegistry:
    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._specs: dict[tuple[str, str], EngineSpec] = {}
        self._loaded: dict[tuple[str, str, Path], _Loaded] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    def configure(self, settings: Settings) -> None:
        self._settings = settings

    def register(self, spec: EngineSpec) -> None:
        # Idempotent: domain packages register at import, and may be imported many times.
        self._specs[(spec.capability, spec.engine)] = spec

    def specs(self) -> list[EngineSpec]:
        return list(self._specs.values())

    def _select(self, capability: str) -> tuple[EngineSpec, Path | None]:
        choice = self.settings.models.get(capability)
        candidates = [s for s in self._specs.values() if s.capability == capability]
        if not candidates:
            raise ModelUnavailable(f"No engine is registered for capability {capability!r}.")
        if choice and choice.engine:
            named = [s for s in candidates if s.engine == choice.engine]
            if not named:
                known = ", ".join(s.engine for s in candidates)
                raise ModelUnavailable(f"Capability {capability!r} has no engine {choice.engine!r} (known: {known}).")
            spec = named[0]
        else:
            spec = next((s for s in candidates if s.default), candidates[0])
        path = None
        if choice and choice.path:
            path = choice.path
            if not path.is_absolute() and self.settings.model_dir:
                path = self.settings.model_dir / path
        return spec, path or spec.locate()

    def get(self, capability: str) -> Any:
        """The loaded engine for a capability, loading it on first use."""
        spec, path = self._select(capability)
        if path is None or not path.exists():
            raise ModelUnavailable(
                f"The weights of {spec.engine} for {capability!r} are not installed "
                f"(expected from package {spec.package!r}{f' at {path}' if path else ''})."
            )
        key = (capability, spec.engine, path)
        loaded = self._loaded.get(key)
        if loaded is None:
            with self._guard:
                lock = self._locks.setdefault(capability, threading.Lock())
            with lock:
                loaded = self._loaded.get(key)
                if loaded is None:
                    loaded = _Loaded(spec.load(path), path, _size_of(path))
                    self._loaded[key] = loaded
                    self._enforce_budget(keep=key)
        loaded.last_used = time.monotonic()
        return loaded.engine

    def _enforce_budget(self, keep: tuple[str, str, Path]) -> None:
        budget = self.settings.model_memory_budget_mb
        if budget is None:
            return
        # Least recently used first; the model just loaded always stays.
        for key, entry in sorted(self._loaded.items(), key=lambda kv: kv[1].last_used):
            if sum(e.size_bytes for e in self._loaded.values()) <= budget * 1024 * 1024:
                return
            if key != keep:
                del self._loaded[key]
                close = getattr(entry.engine, "close", None)
                if callable(close):
                    close()

    def describe(self) -> list[ModelInfo]:
        infos = []
        for spec in sorted(self._specs.values(), key=lambda s: (s.capability, s.engine)):
            try:
                selected_spec, selected_path = self._select(spec.capability)
            except ServiceError:
                selected_spec, selected_path = None, None
            selected = selected_spec is spec
            path = selected_path if selected else spec.locate()
            installed = bool(path and path.exists())
            infos.append(
                ModelInfo(
                    capability=spec.capability,
                    engine=spec.engine,
                    model=spec.model,
                    licence=spec.licence,
                    package=spec.package,
                    path=str(path) if path else None,
                    size_bytes=_size_of(path) if installed and path else None,
                    installed=installed,
                    loaded=any(k[0] == spec.capability and k[1] == spec.engine for k in self._loaded),
                    selected=selected,
                    optional=spec.optional,
                )
            )
        return infos


registry = ModelRegistry()
