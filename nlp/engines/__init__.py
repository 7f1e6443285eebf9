"""NLP engines, one file per backend. Each module's SPEC tells the model registry how to load it."""

from core.model_registry import EngineSpec
from nlp.engines import langid_fasttext, sentiment_vader

SPECS: list[EngineSpec] = [langid_fasttext.SPEC, sentiment_vader.SPEC]
