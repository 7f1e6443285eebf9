"""Comprehend's entity, key phrase, syntax and targeted sentiment operations, on spaCy pipelines.

A mixin of `Comprehend`: it uses the host's model registry (`self._models`) and its sentiment
(`self._sentiment`). A language is served when its spaCy pipeline is installed (or configured);
other codes of the enum are UnsupportedLanguageException.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar, get_args

from core.errors import ModelUnavailable, UnsupportedLanguage
from core.model_registry import ModelRegistry
from core.service import Shape, operation
from nlp.comprehend_checks import MAX_TEXT_BYTES, check_batch, check_sentiment_language, check_text, run_batch
from nlp.comprehend_shapes import DetectSentimentResponse
from nlp.comprehend_text_analysis_shapes import (
    BatchDetectEntitiesItemResult,
    BatchDetectEntitiesRequest,
    BatchDetectEntitiesResponse,
    BatchDetectKeyPhrasesItemResult,
    BatchDetectKeyPhrasesRequest,
    BatchDetectKeyPhrasesResponse,
    BatchDetectSyntaxItemResult,
    BatchDetectSyntaxRequest,
    BatchDetectSyntaxResponse,
    BatchDetectTargetedSentimentItemResult,
    BatchDetectTargetedSentimentRequest,
    BatchDetectTargetedSentimentResponse,
    DetectEntitiesRequest,
    DetectEntitiesResponse,
    DetectKeyPhrasesRequest,
    DetectKeyPhrasesResponse,
    DetectSyntaxRequest,
    DetectSyntaxResponse,
    DetectTargetedSentimentRequest,
    DetectTargetedSentimentResponse,
    Entity,
    KeyPhrase,
    MentionSentiment,
    PartOfSpeechTag,
    PartOfSpeechTagType,
    SyntaxToken,
    TargetedSentimentEntity,
    TargetedSentimentMention,
)
from nlp.engines import sentiment_vader, spacy_pipeline
from nlp.engines.spacy_pipeline import SpacyPipeline

Response = TypeVar("Response", bound=Shape)

# spaCy label (OntoNotes in English, WikiNER in French and Spanish) -> (EntityType, TargetedSentimentEntityType).
_ENTITY_TYPES: dict[str, tuple[str, str]] = {
    "PERSON": ("PERSON", "PERSON"),
    "PER": ("PERSON", "PERSON"),
    "GPE": ("LOCATION", "LOCATION"),
    "LOC": ("LOCATION", "LOCATION"),
    # Buildings, airports, bridges: places to DetectEntities; targeted sentiment has its own FACILITY.
    "FAC": ("LOCATION", "FACILITY"),
    "ORG": ("ORGANIZATION", "ORGANIZATION"),
    "PRODUCT": ("COMMERCIAL_ITEM", "COMMERCIAL_ITEM"),
    "EVENT": ("EVENT", "EVENT"),
    # Titles of creative works; targeted sentiment splits them into BOOK, MOVIE, MUSIC…, which the label cannot.
    "WORK_OF_ART": ("TITLE", "OTHER"),
    "DATE": ("DATE", "DATE"),
    "TIME": ("DATE", "DATE"),
    "QUANTITY": ("QUANTITY", "QUANTITY"),
    "MONEY": ("QUANTITY", "QUANTITY"),
    "PERCENT": ("QUANTITY", "QUANTITY"),
    "CARDINAL": ("QUANTITY", "QUANTITY"),
    "ORDINAL": ("QUANTITY", "QUANTITY"),
}
# NORP, LAW, LANGUAGE, MISC, and any label of a user's own pipeline.
_OTHER = ("OTHER", "OTHER")

# Universal POS tags are Comprehend's tags, except X (and spaCy's SPACE), which Comprehend calls O.
_POS_TAGS = frozenset(get_args(PartOfSpeechTagType))


class TextAnalysisOperations:
    _models: ModelRegistry
    _sentiment: Callable[[str, str], DetectSentimentResponse]

    def _pipeline(self, language_code: str) -> SpacyPipeline:
        try:
            return self._models.get(spacy_pipeline.capability(language_code))
        except ModelUnavailable as exc:
            raise UnsupportedLanguage(f"Language {language_code!r} is not available: {exc.message}") from None

    def _sentiment_pipeline(self, language_code: str) -> SpacyPipeline:
        check_sentiment_language(language_code)
        return self._pipeline(language_code)

    @staticmethod
    def _entities(pipeline: SpacyPipeline, text: str) -> DetectEntitiesResponse:
        check_text(text, MAX_TEXT_BYTES)
        return DetectEntitiesResponse(Entities=[
            Entity(Score=e.score, Type=_ENTITY_TYPES.get(e.label, _OTHER)[0], Text=e.text,
                   BeginOffset=e.start, EndOffset=e.end)
            for e in pipeline.entities(text)
        ])

    @staticmethod
    def _key_phrases(pipeline: SpacyPipeline, text: str) -> DetectKeyPhrasesResponse:
        check_text(text, MAX_TEXT_BYTES)
        return DetectKeyPhrasesResponse(KeyPhrases=[
            KeyPhrase(Score=p.score, Text=p.text, BeginOffset=p.start, EndOffset=p.end)
            for p in pipeline.noun_phrases(text)
        ])

    @staticmethod
    def _syntax(pipeline: SpacyPipeline, text: str) -> DetectSyntaxResponse:
        check_text(text, MAX_TEXT_BYTES)
        return DetectSyntaxResponse(SyntaxTokens=[
            SyntaxToken(
                TokenId=number, Text=t.text, BeginOffset=t.start, EndOffset=t.end,
                PartOfSpeech=PartOfSpeechTag(Tag=t.pos if t.pos in _POS_TAGS else "O", Score=t.score),
            )
            for number, t in enumerate(pipeline.tokens(text), start=1)
        ])

    def _targeted_sentiment(self, pipeline: SpacyPipeline, text: str) -> DetectTargetedSentimentResponse:
        check_text(text, MAX_TEXT_BYTES)
        # A mention's sentiment is that of its clause (a sentence, or one side of a "but"), so in "the
        # food was great but the waiter was rude" each gets its own side.
        windows = _clause_bounds(text, self._models.get(sentiment_vader.CAPABILITY).clauses(text))
        sentiments: dict[tuple[int, int], MentionSentiment] = {}
        entities = []
        for group in _mention_groups(pipeline, text):
            # One entity, one type: that of its surest typed mention ("Maria" once misread as a nationality).
            typed = [m for m in group if m.type != "OTHER"]
            kind = max(typed, key=lambda m: m.score).type if typed else "OTHER"
            mentions = []
            for m in group:
                window = next((w for w in windows if w[0] <= m.begin < w[1]), (0, len(text)))
                if window not in sentiments:
                    sentiments[window] = MentionSentiment(**dict(self._sentiment(text[slice(*window)], "en")))
                mentions.append(TargetedSentimentMention(
                    # Grouping is by identical words, not a coreference model ("it" and "the waiter"
                    # stay apart): a member surely belongs, hence GroupScore 1.
                    Score=m.score, GroupScore=1.0, Text=m.text, Type=kind, MentionSentiment=sentiments[window],
                    BeginOffset=m.begin, EndOffset=m.end,
                ))
            # The longest mention names the entity best ("Italian food" over "food").
            descriptive = max(range(len(group)), key=lambda i: len(group[i].text))
            entities.append(TargetedSentimentEntity(DescriptiveMentionIndex=[descriptive], Mentions=mentions))
        return DetectTargetedSentimentResponse(Entities=entities)

    @operation(text_in=("Text",), text_out=("Entities[*].Text",))
    def detect_entities(self, request: DetectEntitiesRequest) -> DetectEntitiesResponse:
        """Find named entities (people, places, organizations, dates, quantities…) with their offsets."""
        return self._entities(self._pipeline(request.LanguageCode), request.Text)

    @operation(text_in=("TextList[*]",), text_out=("ResultList[*].Entities[*].Text",))
    def batch_detect_entities(self, request: BatchDetectEntitiesRequest) -> BatchDetectEntitiesResponse:
        """Find named entities in up to 25 documents in one language."""
        pipeline = self._pipeline(request.LanguageCode)
        return _batch(request.TextList, lambda text: self._entities(pipeline, text),
                      BatchDetectEntitiesItemResult, BatchDetectEntitiesResponse)

    @operation(text_in=("Text",), text_out=("KeyPhrases[*].Text",))
    def detect_key_phrases(self, request: DetectKeyPhrasesRequest) -> DetectKeyPhrasesResponse:
        """Find the noun phrases of a text, with their offsets."""
        return self._key_phrases(self._pipeline(request.LanguageCode), request.Text)

    @operation(text_in=("TextList[*]",), text_out=("ResultList[*].KeyPhrases[*].Text",))
    def batch_detect_key_phrases(self, request: BatchDetectKeyPhrasesRequest) -> BatchDetectKeyPhrasesResponse:
        """Find the noun phrases of up to 25 documents in one language."""
        pipeline = self._pipeline(request.LanguageCode)
        return _batch(request.TextList, lambda text: self._key_phrases(pipeline, text),
                      BatchDetectKeyPhrasesItemResult, BatchDetectKeyPhrasesResponse)

    @operation(text_in=("Text",), text_out=("SyntaxTokens[*].Text",))
    def detect_syntax(self, request: DetectSyntaxRequest) -> DetectSyntaxResponse:
        """Split a text into tokens and tag each with its part of speech."""
        return self._syntax(self._pipeline(request.LanguageCode), request.Text)

    @operation(text_in=("TextList[*]",), text_out=("ResultList[*].SyntaxTokens[*].Text",))
    def batch_detect_syntax(self, request: BatchDetectSyntaxRequest) -> BatchDetectSyntaxResponse:
        """Tokenize and tag up to 25 documents in one language."""
        pipeline = self._pipeline(request.LanguageCode)
        return _batch(request.TextList, lambda text: self._syntax(pipeline, text),
                      BatchDetectSyntaxItemResult, BatchDetectSyntaxResponse)

    @operation(text_in=("Text",), text_out=("Entities[*].Mentions[*].Text",))
    def detect_targeted_sentiment(self, request: DetectTargetedSentimentRequest) -> DetectTargetedSentimentResponse:
        """The sentiment expressed towards each entity a text mentions, mentions grouped per entity."""
        return self._targeted_sentiment(self._sentiment_pipeline(request.LanguageCode), request.Text)

    @operation(text_in=("TextList[*]",), text_out=("ResultList[*].Entities[*].Mentions[*].Text",))
    def batch_detect_targeted_sentiment(
        self, request: BatchDetectTargetedSentimentRequest
    ) -> BatchDetectTargetedSentimentResponse:
        """Targeted sentiment of up to 25 documents in one language."""
        pipeline = self._sentiment_pipeline(request.LanguageCode)
        return _batch(request.TextList, lambda text: self._targeted_sentiment(pipeline, text),
                      BatchDetectTargetedSentimentItemResult, BatchDetectTargetedSentimentResponse)


def _batch(texts: list[str], analyse: Callable[[str], Shape], item: type[Shape], response: type[Response]) -> Response:
    """The batch form of a one-document operation: its members and the Index in each result."""
    check_batch(texts)
    results, errors = run_batch(texts, analyse)
    return response(ResultList=[item(Index=index, **dict(result)) for index, result in results], ErrorList=errors)


class _Mention(NamedTuple):
    begin: int
    end: int
    text: str
    type: str  # TargetedSentimentEntityType
    score: float
    key: str  # mentions with the same key are one entity


def _mention_groups(pipeline: SpacyPipeline, text: str) -> list[list[_Mention]]:
    """Named entities and the nominal cores of noun phrases ("waiter"), grouped per entity, in
    order of first mention. A noun phrase inside a named entity is that entity."""
    entities, phrases = pipeline.mentions(text)
    found = [_Mention(e.start, e.end, e.text, _ENTITY_TYPES.get(e.label, _OTHER)[1], e.score, e.text.lower())
             for e in entities]
    found += [_Mention(p.start, p.end, p.text, "OTHER", p.score, p.head) for p in phrases
              if not any(p.start < e.end and e.start < p.end for e in entities)]
    groups: dict[str, list[_Mention]] = {}
    for mention in sorted(found):
        groups.setdefault(mention.key, []).append(mention)
    return list(groups.values())


def _clause_bounds(text: str, clauses: list[str]) -> list[tuple[int, int]]:
    """Character bounds of clauses that are, in order, substrings of `text`."""
    bounds, cursor = [], 0
    for clause in clauses:
        begin = text.find(clause, cursor)
        bounds.append((begin, begin + len(clause)))
        cursor = begin + len(clause)
    return bounds
