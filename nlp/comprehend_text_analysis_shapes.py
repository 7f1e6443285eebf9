"""Request and response models of Comprehend's entity, key phrase, syntax and targeted sentiment
operations (botocore's `comprehend` model); only the members we fill."""

from __future__ import annotations

from typing import Literal

from core.service import Shape
from nlp.comprehend_shapes import BatchItemError, LanguageCode, SentimentScore, SentimentType

SyntaxLanguageCode = Literal["en", "es", "fr", "de", "it", "pt"]
EntityType = Literal[
    "PERSON", "LOCATION", "ORGANIZATION", "COMMERCIAL_ITEM", "EVENT", "DATE", "QUANTITY", "TITLE", "OTHER"
]
TargetedSentimentEntityType = Literal[
    "PERSON", "LOCATION", "ORGANIZATION", "FACILITY", "BRAND", "COMMERCIAL_ITEM", "MOVIE", "MUSIC", "BOOK",
    "SOFTWARE", "GAME", "PERSONAL_TITLE", "EVENT", "DATE", "QUANTITY", "ATTRIBUTE", "OTHER",
]
PartOfSpeechTagType = Literal[
    "ADJ", "ADP", "ADV", "AUX", "CONJ", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "O", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB",
]


class TextRequest(Shape):
    Text: str
    LanguageCode: LanguageCode


class BatchTextRequest(Shape):
    TextList: list[str]
    LanguageCode: LanguageCode


class Entity(Shape):
    Score: float
    Type: EntityType
    Text: str
    BeginOffset: int
    EndOffset: int


class DetectEntitiesRequest(TextRequest):
    pass


class DetectEntitiesResponse(Shape):
    Entities: list[Entity]


class BatchDetectEntitiesRequest(BatchTextRequest):
    pass


class BatchDetectEntitiesItemResult(DetectEntitiesResponse):
    Index: int


class BatchDetectEntitiesResponse(Shape):
    ResultList: list[BatchDetectEntitiesItemResult]
    ErrorList: list[BatchItemError]


class KeyPhrase(Shape):
    Score: float
    Text: str
    BeginOffset: int
    EndOffset: int


class DetectKeyPhrasesRequest(TextRequest):
    pass


class DetectKeyPhrasesResponse(Shape):
    KeyPhrases: list[KeyPhrase]


class BatchDetectKeyPhrasesRequest(BatchTextRequest):
    pass


class BatchDetectKeyPhrasesItemResult(DetectKeyPhrasesResponse):
    Index: int


class BatchDetectKeyPhrasesResponse(Shape):
    ResultList: list[BatchDetectKeyPhrasesItemResult]
    ErrorList: list[BatchItemError]


class PartOfSpeechTag(Shape):
    Tag: PartOfSpeechTagType
    Score: float


class SyntaxToken(Shape):
    TokenId: int
    Text: str
    BeginOffset: int
    EndOffset: int
    PartOfSpeech: PartOfSpeechTag


class DetectSyntaxRequest(Shape):
    Text: str
    LanguageCode: SyntaxLanguageCode


class DetectSyntaxResponse(Shape):
    SyntaxTokens: list[SyntaxToken]


class BatchDetectSyntaxRequest(Shape):
    TextList: list[str]
    LanguageCode: SyntaxLanguageCode


class BatchDetectSyntaxItemResult(DetectSyntaxResponse):
    Index: int


class BatchDetectSyntaxResponse(Shape):
    ResultList: list[BatchDetectSyntaxItemResult]
    ErrorList: list[BatchItemError]


class MentionSentiment(Shape):
    Sentiment: SentimentType
    SentimentScore: SentimentScore


class TargetedSentimentMention(Shape):
    Score: float
    GroupScore: float
    Text: str
    Type: TargetedSentimentEntityType
    MentionSentiment: MentionSentiment
    BeginOffset: int
    EndOffset: int


class TargetedSentimentEntity(Shape):
    DescriptiveMentionIndex: list[int]
    Mentions: list[TargetedSentimentMention]


class DetectTargetedSentimentRequest(TextRequest):
    pass


class DetectTargetedSentimentResponse(Shape):
    Entities: list[TargetedSentimentEntity]


class BatchDetectTargetedSentimentRequest(BatchTextRequest):
    pass


class BatchDetectTargetedSentimentItemResult(DetectTargetedSentimentResponse):
    Index: int


class BatchDetectTargetedSentimentResponse(Shape):
    ResultList: list[BatchDetectTargetedSentimentItemResult]
    ErrorList: list[BatchItemError]
