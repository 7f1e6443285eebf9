"""Comprehend's entities, key phrases, syntax and targeted sentiment on the spaCy pipelines, in
process and through a real gateway with boto3."""

from __future__ import annotations

import shutil

import pytest
from botocore.exceptions import ClientError

from core.errors import BatchSizeLimitExceeded, TextSizeLimitExceeded, UnsupportedLanguage
from core.model_registry import ModelRegistry
from core.settings import ModelChoice, Settings
from nlp import Comprehend
from nlp.engines import spacy_pipeline

ENGLISH = "Satya Nadella, the chief executive of Microsoft, spoke in London on Monday about a $10 billion deal."
FOX = "The quick brown fox jumps over the lazy dog."
RESTAURANT = "The food was great but the waiter was rude."


@pytest.fixture(scope="session")
def comprehend() -> Comprehend:
    # The process-wide registry, which the gateway fixture serves too: each pipeline loads once.
    return Comprehend()


@pytest.fixture(scope="session")
def client(gateway, aws_client):
    return aws_client("comprehend", gateway.url)


def _found(text: str, items) -> list[tuple[str, str]]:
    """(text, type) of each item, after checking that its offsets point at its text."""
    for item in items:
        assert text[item.BeginOffset:item.EndOffset] == item.Text
        assert 0 < item.Score <= 1
    return [(item.Text, getattr(item, "Type", None)) for item in items]


def test_english_entities_with_types_and_offsets(comprehend: Comprehend) -> None:
    entities = comprehend.detect_entities(ENGLISH, language_code="en").Entities
    assert _found(ENGLISH, entities) == [
        ("Satya Nadella", "PERSON"),
        ("Microsoft", "ORGANIZATION"),
        ("London", "LOCATION"),
        ("Monday", "DATE"),
        ("$10 billion", "QUANTITY"),
    ]
    assert (entities[2].BeginOffset, entities[2].EndOffset) == (58, 64)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Emmanuel Macron a rencontré les dirigeants de Renault à Paris.",
         [("Emmanuel Macron", "PERSON"), ("Renault", "ORGANIZATION"), ("Paris", "LOCATION")]),
        ("es", "Pedro Sánchez visitó Barcelona el lunes.", [("Pedro Sánchez", "PERSON"), ("Barcelona", "LOCATION")]),
    ],
)
def test_french_and_spanish_entities(comprehend: Comprehend, language: str, text: str, expected) -> None:
    assert _found(text, comprehend.detect_entities(text, language_code=language).Entities) == expected


def test_entities_offsets_count_characters_not_bytes(comprehend: Comprehend) -> None:
    text = "À Zürich, Angela Merkel a rencontré François Hollande."
    found = _found(text, comprehend.detect_entities(text, language_code="fr").Entities)
    assert ("Angela Merkel", "PERSON") in found and ("François Hollande", "PERSON") in found


def test_key_phrases_are_noun_phrases(comprehend: Comprehend) -> None:
    phrases = comprehend.detect_key_phrases(FOX, language_code="en").KeyPhrases
    assert _found(FOX, phrases) == [("The quick brown fox", None), ("the lazy dog", None)]
    french = "Le chat noir dort dans la grande maison."
    assert [p for p, _ in _found(french, comprehend.detect_key_phrases(french, language_code="fr").KeyPhrases)] == [
        "Le chat noir", "la grande maison"]


def test_key_phrases_without_a_parser_fall_back_to_tag_runs() -> None:
    # A fresh copy, not the shared one: this test removes its noun-chunk iterator.
    pipeline = spacy_pipeline.SpacyPipeline(spacy_pipeline.SPECS[0].locate())
    pipeline._has_chunker = False
    assert [p.text for p in pipeline.noun_phrases(FOX)] == ["quick brown fox", "lazy dog"]


def test_a_users_own_pipeline_folder_loads_through_the_same_code(tmp_path) -> None:
    own = tmp_path / "my-english-pipeline"
    shutil.copytree(spacy_pipeline.SPECS[0].locate(), own)
    models = ModelRegistry(Settings(models={"comprehend_spacy_en": ModelChoice(path=own)}))
    models.register(spacy_pipeline.SPECS[0])
    entities = Comprehend(models).detect_entities(ENGLISH, language_code="en").Entities
    assert entities[0].Text == "Satya Nadella"
    assert [i.path for i in models.describe() if i.loaded] == [str(own)]


def test_syntax_tags_a_known_sentence(comprehend: Comprehend) -> None:
    tokens = comprehend.detect_syntax(FOX, language_code="en").SyntaxTokens
    assert [(t.TokenId, t.Text, t.PartOfSpeech.Tag) for t in tokens] == [
        (1, "The", "DET"), (2, "quick", "ADJ"), (3, "brown", "ADJ"), (4, "fox", "NOUN"), (5, "jumps", "VERB"),
        (6, "over", "ADP"), (7, "the", "DET"), (8, "lazy", "ADJ"), (9, "dog", "NOUN"), (10, ".", "PUNCT"),
    ]
    assert all(FOX[t.BeginOffset:t.EndOffset] == t.Text and 0.5 < t.PartOfSpeech.Score <= 1 for t in tokens)


def test_targeted_sentiment_per_entity(comprehend: Comprehend) -> None:
    entities = comprehend.detect_targeted_sentiment(RESTAURANT, language_code="en").Entities
    sentiment = {m.Text: m.MentionSentiment.Sentiment for e in entities for m in e.Mentions}
    assert sentiment == {"food": "POSITIVE", "waiter": "NEGATIVE"}
    for entity in entities:
        mention = entity.Mentions[entity.DescriptiveMentionIndex[0]]
        assert RESTAURANT[mention.BeginOffset:mention.EndOffset] == mention.Text
        assert sum(dict(mention.MentionSentiment.SentimentScore).values()) == pytest.approx(1.0)


def test_targeted_sentiment_groups_mentions_of_one_entity(comprehend: Comprehend) -> None:
    text = "The pizza was cold. Later the pizza was wonderful, and Maria was lovely."
    entities = comprehend.detect_targeted_sentiment(text, language_code="en").Entities
    pizza = next(e for e in entities if e.Mentions[0].Text == "pizza")
    assert [m.MentionSentiment.Sentiment for m in pizza.Mentions] == ["NEUTRAL", "POSITIVE"]
    assert {m.Type for m in next(e for e in entities if e.Mentions[0].Text == "Maria").Mentions} == {"PERSON"}


def test_batch_reports_the_bad_item_and_answers_the_others(comprehend: Comprehend) -> None:
    texts = ["Tim Cook lives in California.", "   ", "Paris is lovely in spring."]
    result = comprehend.batch_detect_entities(texts, language_code="en")
    assert [(r.Index, [e.Text for e in r.Entities]) for r in result.ResultList] == [
        (0, ["Tim Cook", "California"]), (2, ["Paris", "spring"])]
    assert [(e.Index, e.ErrorCode) for e in result.ErrorList] == [(1, "InvalidRequestException")]
    for batch in (comprehend.batch_detect_key_phrases, comprehend.batch_detect_syntax,
                  comprehend.batch_detect_targeted_sentiment):
        assert [e.Index for e in batch(texts, language_code="en").ErrorList] == [1]


@pytest.mark.parametrize(
    ("call", "language"),
    [
        ("detect_entities", "de"),
        ("detect_key_phrases", "ja"),
        ("detect_syntax", "pt"),
        ("detect_targeted_sentiment", "fr"),  # the pipeline is there; English-only sentiment is not
        ("batch_detect_entities", "it"),
    ],
)
def test_languages_without_a_pipeline_are_unsupported(comprehend: Comprehend, call: str, language: str) -> None:
    text = ["Guten Tag"] if call.startswith("batch") else "Guten Tag"
    with pytest.raises(UnsupportedLanguage):
        getattr(comprehend, call)(text, language_code=language)


def test_size_limits_are_utf8_bytes(comprehend: Comprehend) -> None:
    assert comprehend.detect_syntax("é" * 2500, language_code="fr").SyntaxTokens  # 5,000 bytes: the limit
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_syntax("é" * 2501, language_code="fr")
    with pytest.raises(TextSizeLimitExceeded):
        comprehend.detect_entities("word " * 1001, language_code="en")
    with pytest.raises(BatchSizeLimitExceeded):
        comprehend.batch_detect_key_phrases(["text"] * 26, language_code="en")


def test_every_operation_through_the_gateway(client) -> None:
    entities = client.detect_entities(Text=ENGLISH, LanguageCode="en")["Entities"]
    assert ("Microsoft", "ORGANIZATION") in [(e["Text"], e["Type"]) for e in entities]
    phrases = client.detect_key_phrases(Text=FOX, LanguageCode="en")["KeyPhrases"]
    assert [p["Text"] for p in phrases] == ["The quick brown fox", "the lazy dog"]
    tokens = client.detect_syntax(Text=FOX, LanguageCode="en")["SyntaxTokens"]
    assert tokens[3]["PartOfSpeech"]["Tag"] == "NOUN" and tokens[3]["TokenId"] == 4
    targeted = client.detect_targeted_sentiment(Text=RESTAURANT, LanguageCode="en")["Entities"]
    assert [e["Mentions"][0]["MentionSentiment"]["Sentiment"] for e in targeted] == ["POSITIVE", "NEGATIVE"]
    assert targeted[0]["DescriptiveMentionIndex"] == [0]

    batches = {
        "batch_detect_entities": "Entities",
        "batch_detect_key_phrases": "KeyPhrases",
        "batch_detect_syntax": "SyntaxTokens",
        "batch_detect_targeted_sentiment": "Entities",
    }
    for call, member in batches.items():
        result = getattr(client, call)(TextList=[ENGLISH, " "], LanguageCode="en")
        assert [r["Index"] for r in result["ResultList"]] == [0] and result["ResultList"][0][member]
        assert [(e["Index"], e["ErrorCode"]) for e in result["ErrorList"]] == [(1, "InvalidRequestException")]

    with pytest.raises(ClientError) as excinfo:
        client.detect_entities(Text="Guten Tag, Frau Müller.", LanguageCode="de")
    assert excinfo.value.response["Error"]["Code"] == "UnsupportedLanguageException"
