"""The Python SDK (sync and async) against a real gateway."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import BatchSizeLimitExceeded, ServiceError, UnrecognizedClient, UnsupportedLanguage
from gateway.client import AsyncClient, Client, TransportError
from nlp.comprehend_shapes import DetectDominantLanguageResponse, DetectSentimentRequest, DetectSentimentResponse
from tests.conftest import API_KEY


def test_sync_client_all_operations(gateway) -> None:
    with Client(gateway.url) as client:
        sentiment = client.comprehend.detect_sentiment("I love it", language_code="en")
        assert isinstance(sentiment, DetectSentimentResponse)
        assert sentiment.Sentiment == "POSITIVE"
        languages = client.comprehend.detect_dominant_language("Questa è una frase scritta in italiano.")
        assert isinstance(languages, DetectDominantLanguageResponse)
        assert languages.Languages[0].LanguageCode == "it"
        batch = client.comprehend.batch_detect_sentiment(["great", "horrible"], language_code="en")
        assert [r.Sentiment for r in batch.ResultList] == ["POSITIVE", "NEGATIVE"]
        langs = client.comprehend.batch_detect_dominant_language(text_list=["Hello world, nice day", "Hola mundo, buen día"])
        assert [r.Languages[0].LanguageCode for r in langs.ResultList] == ["en", "es"]
        by_model = client.comprehend.detect_sentiment(DetectSentimentRequest(Text="I love it", LanguageCode="en"))
        assert by_model == sentiment


def test_sync_client_raises_the_in_process_exceptions(gateway) -> None:
    with Client(gateway.url) as client:
        with pytest.raises(UnsupportedLanguage) as excinfo:
            client.comprehend.detect_sentiment("Sehr gut", language_code="de")
        assert excinfo.value.code == "UnsupportedLanguageException"
        assert excinfo.value.status == 400
        assert excinfo.value.request_id
        with pytest.raises(BatchSizeLimitExceeded):
            client.comprehend.batch_detect_sentiment(["x"] * 26, language_code="en")
        with pytest.raises(AttributeError):
            client.comprehend.detect_everything("x")


def test_api_key_and_transport_errors(secured_gateway) -> None:
    with Client(secured_gateway.url, api_key=API_KEY) as client:
        assert client.comprehend.detect_sentiment("fine, thanks", language_code="en").Sentiment
    with Client(secured_gateway.url, api_key="wrong") as client, pytest.raises(UnrecognizedClient):
        client.comprehend.detect_sentiment("fine", language_code="en")
    with Client("http://127.0.0.1:9", timeout=2) as client, pytest.raises(TransportError):
        client.comprehend.detect_sentiment("fine", language_code="en")


def test_async_client_mirrors_the_sync_one(gateway) -> None:
    async def run() -> list[str]:
        async with AsyncClient(gateway.url) as client:
            texts = ["I love it", "I hate it", "It is a table"] * 4
            results = await asyncio.gather(*(client.comprehend.detect_sentiment(t, language_code="en") for t in texts))
            langs = await client.comprehend.batch_detect_dominant_language(["Bonjour à tous mes amis"])
            assert langs.ResultList[0].Languages[0].LanguageCode == "fr"
            with pytest.raises(ServiceError) as excinfo:
                await client.comprehend.detect_sentiment("", language_code="en")
            assert excinfo.value.code == "InvalidRequestException"
            return [r.Sentiment for r in results]

    assert asyncio.run(run()) == ["POSITIVE", "NEGATIVE", "NEUTRAL"] * 4


def test_every_service_is_on_the_client(gateway) -> None:
    with Client(gateway.url) as client:
        result = client.translate.translate_text("The weather is lovely today.", source_language_code="en",
                                                 target_language_code="pt")
        assert result.SourceLanguageCode == "en" and "hoje" in result.TranslatedText.lower()
        assert "translate_text" in dir(client.translate) and "detect_pii_entities" in dir(client.comprehend)


def test_pii_redaction_per_call_view_in_both_clients(gateway) -> None:
    text = "Write to maria.garcia@example.org about the meeting."
    with Client(gateway.url) as client:
        # "both": the address is gone before the engine sees it (a translation may mangle it past detection).
        redacting = client.with_pii_redaction(["EMAIL"], mode="type", scope="both")
        assert "maria" not in redacting.translate.translate_text(text, "en", "pt").TranslatedText
        # The view shares the connection; the client itself still asks for nothing.
        assert "maria" in client.translate.translate_text(text, "en", "pt").TranslatedText

    async def run() -> str:
        async with AsyncClient(gateway.url) as client:
            view = client.with_pii_redaction(mode="mask")
            return (await view.comprehend.detect_entities(text, language_code="en")).model_dump_json()

    assert "maria.garcia@example.org" not in asyncio.run(run())
