"""Which speech model a job uses: the capability's (settings: `models.transcribe_speech.engine` =
`faster-whisper-base` | `faster-whisper-tiny-en` | `openai-whisper`, and `.path` = a user's
faster-whisper folder or `.pt` checkpoint), or the one `ModelSettings.LanguageModelName` names: an
embedded model by name, or, under settings.model_dir, a faster-whisper folder of that name or an
openai-whisper checkpoint file of that name (`large-v3.pt`, or `large-v3` for `large-v3.pt`).
Each is loaded once through the model registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import BadRequest, ModelUnavailable
from core.model_registry import EngineSpec, ModelRegistry
from speech.engines.speech_model import SpeechModel
from speech.engines.whisper_ct2 import CAPABILITY, WhisperEngine, locate_base, locate_tiny_en
from speech.engines.whisper_openai import ENGINE as OPENAI_WHISPER, OpenAIWhisperEngine

EMBEDDED = {"whisper-base": locate_base, "whisper-tiny.en": locate_tiny_en}


def _users_model(model_dir: Path | None, name: str) -> tuple[Path, str, Callable[[Path], SpeechModel]] | None:
    """(path, engine name, loader) of the model `name` names under model_dir, if there is one."""
    if model_dir is None or Path(name).name != name or name in (".", ".."):  # no way out of model_dir
        return None
    for path in (model_dir / name, model_dir / f"{name}.pt"):
        if (path / "model.bin").is_file():
            return path, "faster-whisper", WhisperEngine
        if path.suffix == ".pt" and path.is_file():
            return path, OPENAI_WHISPER, OpenAIWhisperEngine
    return None


def speech_engine(models: ModelRegistry, name: str | None) -> SpeechModel:
    if name is None:
        return models.get(CAPABILITY)
    if name in EMBEDDED:
        locate, engine, load = EMBEDDED[name], "faster-whisper", WhisperEngine
    else:
        found = _users_model(models.settings.model_dir, name)
        if found is None:
            raise BadRequest(f"The language model {name!r} doesn't exist: name an embedded model "
                             f"({', '.join(EMBEDDED)}), a faster-whisper folder or an openai-whisper .pt file "
                             f"under the gateway's model_dir.")
        path, engine, load = found

        def locate(found: Path = path) -> Path:
            return found
    capability = f"{CAPABILITY}.{name}"
    # Registering is idempotent; the registry then loads the model once and may unload it under budget.
    models.register(EngineSpec(capability=capability, engine=engine, model=name, licence="per model",
                               package=engine, locate=locate, load=load, optional=True))
    try:
        return models.get(capability)
    except ModelUnavailable as exc:
        if name in EMBEDDED:  # not installed: the gateway's fault
            raise
        # The caller named a file of the user's that can't be loaded: a bad request, not an outage.
        raise BadRequest(f"The language model {name!r} can't be used: {exc.message}") from None
