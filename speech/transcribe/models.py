"""Which speech model a job uses: the capability's (settings: `models.transcribe_speech.engine` =
`faster-whisper-base` | `faster-whisper-tiny-en`, or `.path` = a user's faster-whisper folder), or
the one `ModelSettings.LanguageModelName` names: an embedded model by name, or a faster-whisper
folder of that name under settings.model_dir. Each is loaded once through the model registry."""

from __future__ import annotations

from pathlib import Path

from core.errors import BadRequest
from core.model_registry import EngineSpec, ModelRegistry
from speech.engines.whisper_ct2 import CAPABILITY, WhisperEngine, locate_base, locate_tiny_en

EMBEDDED = {"whisper-base": locate_base, "whisper-tiny.en": locate_tiny_en}


def speech_engine(models: ModelRegistry, name: str | None) -> WhisperEngine:
    if name is None:
        return models.get(CAPABILITY)
    if name in EMBEDDED:
        locate = EMBEDDED[name]
    else:
        folder = models.settings.model_dir / name if models.settings.model_dir else None
        if folder is None or not (folder / "model.bin").is_file():
            raise BadRequest(f"The language model {name!r} doesn't exist: name an embedded model "
                             f"({', '.join(EMBEDDED)}) or a faster-whisper folder under the gateway's model_dir.")

        def locate(found: Path = folder) -> Path:
            return found
    capability = f"{CAPABILITY}.{name}"
    # Registering is idempotent; the registry then loads the model once and may unload it under budget.
    models.register(EngineSpec(capability=capability, engine="faster-whisper", model=name, licence="per model",
                               package="faster-whisper", locate=locate, load=WhisperEngine, optional=True))
    return models.get(capability)
