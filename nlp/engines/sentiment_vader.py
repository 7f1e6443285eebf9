"""English sentiment with VADER, extended to Comprehend's four classes.

VADER scores a text as one unit, so "I love the screen, but the battery is terrible" averages out
to mildly negative. Comprehend answers MIXED for such text. We score clauses (sentences, and the
parts around contrastive conjunctions) separately and derive a MIXED score from the strongest
positive and the strongest negative clause, so MIXED fires only when both sides are really there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from core.model_registry import EngineSpec

CAPABILITY = "comprehend_sentiment"
_STRETCH = 3.0

_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?;])\s+|\s*[;\n]\s*|,?\s+\b(?:but|however|although|though|yet|whereas|nevertheless)\b[,]?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentimentScores:
    positive: float
    negative: float
    neutral: float
    mixed: float

    @property
    def label(self) -> str:
        ranked = {
            "POSITIVE": self.positive,
            "NEGATIVE": self.negative,
            "NEUTRAL": self.neutral,
            "MIXED": self.mixed,
        }
        return max(ranked, key=ranked.__getitem__)


class VaderSentiment:
    def __init__(self, lexicon_path: Path) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer(lexicon_file=str(lexicon_path))

    def clauses(self, text: str) -> list[str]:
        return [c for c in _CLAUSE_SPLIT.split(text) if c and c.strip()] or [text]

    def score(self, text: str) -> SentimentScores:
        compounds = [self._analyzer.polarity_scores(clause)["compound"] for clause in self.clauses(text)]
        # The strongest clause on each side carries the text's polarity: a neutral clause beside
        # "I love it" does not make the whole text neutral. VADER's compound saturates slowly (a
        # plainly negative "Awful." scores -0.46), so it is stretched: |compound| 0.18 -> 0.5.
        positive = math.tanh(_STRETCH * max(0.0, *compounds))
        negative = math.tanh(_STRETCH * abs(min(0.0, *compounds)))
        neutral = 1.0 - max(positive, negative)
        # Geometric mean of the two sides, damped when one side is much weaker than the other:
        # one mildly negative aside in a glowing review is not MIXED.
        balance = min(positive, negative) / max(positive, negative, 1e-9)
        mixed = 2.0 * math.sqrt(positive * negative) * balance
        total = positive + negative + neutral + mixed
        return SentimentScores(positive / total, negative / total, neutral / total, mixed / total)


def _embedded_lexicon() -> Path | None:
    try:
        import vaderSentiment
    except ImportError:
        return None
    return Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="vader",
    model="VADER lexicon 3.3.2 (English)",
    licence="MIT",
    package="vaderSentiment==3.3.2",
    locate=_embedded_lexicon,
    load=VaderSentiment,
)
