"""spaCy's named entities as Comprehend PII types: names and places, which no pattern can find."""

from __future__ import annotations

import re
from pathlib import Path

import spacy
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

# Comprehend's ADDRESS includes a city, state or country on its own, so places count.
# Dates come from our patterns instead: spaCy's DATE also takes "2020", "1234" and "3 days".
SPACY_LABEL_TO_PII_TYPE = {"PERSON": "NAME", "GPE": "ADDRESS", "LOC": "ADDRESS", "FAC": "ADDRESS"}

# A place named without a street is weaker evidence than a person's name; spaCy gives every
# entity the same 0.85, so places are scaled down to rank below our street-address patterns.
_PLACE_SCORE_MULTIPLIER = 0.75

# The small model's usual slips, which no real name or place has: digits and "@" (user names and
# e-mail addresses: "jocon88" read as a GPE), "%" and "_" (placeholders, identifiers), a start that
# is lowercase or not a letter. A name all in capitals is an acronym or a placeholder ("SSN",
# "STRING"); a place may be one ("USA").
_SLIP = r"\d|@|%|_|^\W|^[a-z]"
_NOT_AN_ENTITY = {"NAME": re.compile(rf"{_SLIP}|^[A-Z]+$"), "ADDRESS": re.compile(_SLIP)}

# Words it pulls in at an entity's edges ("Call Mei", a trailing newline): never part of a name.
_EDGE_POS = frozenset({"VERB", "AUX", "INTJ", "ADP", "DET", "PRON", "PUNCT", "CCONJ", "SCONJ", "PART", "SPACE"})


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """Loads the model from a folder; Presidio's engine would download a missing model by name."""

    def __init__(self, model_path: Path) -> None:
        super().__init__(
            models=[{"lang_code": "en", "model_name": str(model_path)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=SPACY_LABEL_TO_PII_TYPE,
                low_score_entity_names=["ADDRESS"],
                low_confidence_score_multiplier=_PLACE_SCORE_MULTIPLIER,
            ),
        )
        self._model_path = model_path

    def load(self) -> None:
        nlp = spacy.load(self._model_path)
        # Ignore every other label the model has, so Presidio neither keeps nor warns about them.
        ner_labels = set(nlp.get_pipe("ner").labels)
        self.ner_model_configuration.labels_to_ignore = sorted(ner_labels - SPACY_LABEL_TO_PII_TYPE.keys())
        self.nlp = {"en": nlp}


class FilteredNerRecognizer(SpacyRecognizer):
    """spaCy's names and places, trimmed at the edges and rid of the small model's slips."""

    def __init__(self) -> None:
        super().__init__(supported_language="en", supported_entities=sorted(set(SPACY_LABEL_TO_PII_TYPE.values())))

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            tokens = list(nlp_artifacts.tokens.char_span(result.start, result.end))
            while tokens and tokens[0].pos_ in _EDGE_POS:
                tokens.pop(0)
            while tokens and tokens[-1].pos_ in _EDGE_POS:
                tokens.pop()
            # A name or place without a proper noun is a common word: "Password" read as a PERSON.
            if not any(token.pos_ == "PROPN" for token in tokens):
                continue
            result.start, result.end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            if not _NOT_AN_ENTITY[result.entity_type].search(text[result.start : result.end]):
                kept.append(result)
        return kept
