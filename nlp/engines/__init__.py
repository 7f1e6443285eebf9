"""NLP engines, one file per backend. Each module's SPEC(S) tell the model registry how to load it."""

from core.model_registry import EngineSpec
from nlp.engines import (
    langid_fasttext,
    sentiment_vader,
    spacy_pipeline,
    text_classifier,
    translate_apertium,
    translate_bergamot,
    translate_ctranslate2,
    translate_marian,
)

SPECS: list[EngineSpec] = [
    langid_fasttext.SPEC,
    sentiment_vader.SPEC,
    *spacy_pipeline.SPECS,
    translate_bergamot.SPEC,
    translate_marian.SPEC,
    translate_ctranslate2.SPEC,
    translate_apertium.SPEC,
    text_classifier.SPEC,
]
