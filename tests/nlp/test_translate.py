"""Translate in process on the embedded Bergamot en<->pt models, a tiny Marian model built here for the
heavy engine's loading path, and one boto3 round trip through a real gateway."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from botocore.exceptions import ClientError

from core.errors import (
    InvalidParameterValue,
    ResourceNotFound,
    TextSizeLimitExceeded,
    UnsupportedLanguagePair,
)
from core.model_registry import ModelRegistry
from core.settings import ModelChoice, Settings
from gateway.app import create_app
from gateway.catalog import ServiceCatalog
from nlp.comprehend import Comprehend
from nlp.engines import langid_fasttext, translate_bergamot, translate_marian
from nlp.translate import Translate
from nlp.translate_profanity import MASK
from nlp.translate_terminology import parse
from tests.conftest import _free_port

CSV_TERMS = b"en,pt\nwidget,engenhoca\nAcme Cloud,Acme Cloud\n"
TMX_TERMS = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="pt" datatype="PlainText" segtype="phrase" adminlang="en" o-tmf="t"
 creationtool="t" creationtoolversion="1"/><body>
  <tu><tuv xml:lang="pt"><seg>servidor</seg></tuv><tuv xml:lang="en"><seg>host machine</seg></tuv></tu>
</body></tmx>""".encode()


def _registry(settings: Settings) -> ModelRegistry:
    models = ModelRegistry(settings)
    for spec in (langid_fasttext.SPEC, translate_bergamot.SPEC, translate_marian.SPEC):
        models.register(spec)
    return models


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("translate-data"))


@pytest.fixture(scope="session")
def translate(settings: Settings) -> Translate:
    return Translate(_registry(settings))


def _import(translate: Translate, name: str, data: bytes, fmt: str) -> None:
    translate.import_terminology(
        name=name, merge_strategy="OVERWRITE", terminology_data={"File": data, "Format": fmt}
    )


@pytest.mark.parametrize(
    ("text", "source", "target", "expected"),
    [
        ("The cat is sleeping on the table.\nPlease restart the server!", "en", "pt",
         ["gato", "mesa", "\n", "servidor"]),
        ("O arquivo não pôde ser aberto. O gato está dormindo.", "pt", "en", ["file", "opened", "cat"]),
    ],
)
def test_translates_both_directions(translate: Translate, text: str, source: str, target: str,
                                    expected: list[str]) -> None:
    result = translate.translate_text(text, source_language_code=source, target_language_code=target)
    assert all(word in result.TranslatedText for word in expected), result.TranslatedText
    assert (result.SourceLanguageCode, result.TargetLanguageCode) == (source, target)
    assert result.AppliedTerminologies is None and result.AppliedSettings is None


def test_auto_source_reports_the_detected_language(translate: Translate) -> None:
    result = translate.translate_text("Não foi possível abrir o arquivo de configuração.",
                                      source_language_code="auto", target_language_code="en")
    assert result.SourceLanguageCode == "pt"
    assert "file" in result.TranslatedText


@pytest.mark.parametrize(("source", "target"), [("en", "ja"), ("de", "pt"), ("en", "en")])
def test_a_pair_nobody_serves_is_refused(translate: Translate, source: str, target: str) -> None:
    with pytest.raises(UnsupportedLanguagePair) as excinfo:
        translate.translate_text("Hello", source_language_code=source, target_language_code=target)
    assert excinfo.value.fields == {"SourceLanguageCode": source, "TargetLanguageCode": target}


def test_text_over_10000_bytes_is_refused(translate: Translate) -> None:
    # 5,001 characters, 10,002 bytes: the limit is on bytes.
    with pytest.raises(TextSizeLimitExceeded):
        translate.translate_text("ã" * 5001, source_language_code="pt", target_language_code="en")


def test_profanity_is_masked_in_the_output(translate: Translate) -> None:
    text = "This shit is broken."
    plain = translate.translate_text(text, source_language_code="en", target_language_code="pt")
    masked = translate.translate_text(text, source_language_code="en", target_language_code="pt",
                                      settings={"Profanity": "MASK"})
    assert "merda" in plain.TranslatedText.lower()
    assert MASK in masked.TranslatedText and "merda" not in masked.TranslatedText.lower()
    assert masked.AppliedSettings.Profanity == "MASK"


def test_csv_terminology_survives_translation_with_the_source_case(translate: Translate) -> None:
    _import(translate, "product-terms", CSV_TERMS, "CSV")
    result = translate.translate_text("Widget is ready. Open the widget settings.", source_language_code="en",
                                      target_language_code="pt", terminology_names=["product-terms"])
    assert "Engenhoca" in result.TranslatedText and "engenhoca" in result.TranslatedText
    [applied] = result.AppliedTerminologies
    assert applied.Name == "product-terms"
    assert [(t.SourceText, t.TargetText) for t in applied.Terms] == [("widget", "engenhoca")]


def test_tmx_terminology_applies_from_its_source_language(translate: Translate) -> None:
    _import(translate, "infra_terms", TMX_TERMS, "TMX")
    result = translate.translate_text("O servidor está desligado.", source_language_code="pt",
                                      target_language_code="en", terminology_names=["infra_terms"])
    assert "host machine" in result.TranslatedText
    # UNI: the file's first language is the only source, so en->pt leaves the text to the model.
    reverse = translate.translate_text("The host machine is off.", source_language_code="en",
                                       target_language_code="pt", terminology_names=["infra_terms"])
    assert reverse.AppliedTerminologies[0].Terms == []


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"en,pt\nwidget,engenhoca,extra\n", "CSV"),
        (b"en\nwidget\n", "CSV"),
        (b"\xff\xfe not utf-8", "CSV"),
        (b"<tmx><header srclang='en'/><body><tu>", "TMX"),
        (b"<tmx><body/></tmx>", "TMX"),
    ],
)
def test_malformed_terminology_files_are_refused(translate: Translate, data: bytes, fmt: str) -> None:
    with pytest.raises(InvalidParameterValue):
        _import(translate, "broken", data, fmt)


def test_terminologies_persist_across_instances(settings: Settings, translate: Translate) -> None:
    _import(translate, "persisted", CSV_TERMS, "CSV")
    reopened = Translate(_registry(settings))  # a restart: new service, new registry, same data_dir
    props = reopened.get_terminology(name="persisted", terminology_data_format="TMX")
    assert props.TerminologyProperties.TermCount == 2
    assert props.TerminologyProperties.TargetLanguageCodes == ["pt"]
    exported = Path(props.TerminologyDataLocation.Location.removeprefix("file://")).read_bytes()
    assert parse(exported, "TMX")[:2] == parse(CSV_TERMS, "CSV")[:2]
    assert "persisted" in [p.Name for p in reopened.list_terminologies().TerminologyPropertiesList]
    reopened.delete_terminology(name="persisted")
    with pytest.raises(ResourceNotFound):
        translate.get_terminology(name="persisted")
    with pytest.raises(ResourceNotFound):
        translate.translate_text("Hi", source_language_code="en", target_language_code="pt",
                                 terminology_names=["persisted"])


def test_list_languages_is_what_the_installed_engines_serve(translate: Translate) -> None:
    languages = translate.list_languages().Languages
    assert [(lang.LanguageCode, lang.LanguageName) for lang in languages] == [
        ("en", "English"), ("pt", "Portuguese (Brazil)")]
    first = translate.list_languages(max_results=1)
    assert [lang.LanguageCode for lang in first.Languages] == ["en"]
    rest = translate.list_languages(next_token=first.NextToken)
    assert [lang.LanguageCode for lang in rest.Languages] == ["pt"] and rest.NextToken is None


def _tiny_marian(folder: Path) -> None:
    """A randomly initialised en->de Marian model with a SentencePiece vocabulary of a few words."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    corpus = ["the cat sat on the mat", "a dog runs in the park", "hello world how are you"] * 20
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus), model_prefix=str(folder / "spm"), vocab_size=30, model_type="word",
        pad_id=-1, bos_id=-1, eos_id=-1, unk_id=0, hard_vocab_limit=False, minloglevel=2,
    )
    pieces = [line.split("\t")[0] for line in (folder / "spm.vocab").read_text().splitlines()]
    # <pad> last, as in opus-mt: CTranslate2's converter drops that row (tests/nlp/test_translate_documents.py).
    vocab = {p: i for i, p in enumerate(["</s>", "<unk>", *(p for p in pieces if p != "<unk>"), "<pad>"])}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    spm_file = str(folder / "spm.model")
    # source_lang/target_lang land in tokenizer_config.json, where the engine reads the pair from.
    tokenizer = MarianTokenizer(spm_file, spm_file, str(folder / "vocab.json"), source_lang="en", target_lang="de")
    tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=32,
        pad_token_id=vocab["<pad>"], eos_token_id=vocab["</s>"], decoder_start_token_id=vocab["<pad>"],
    )
    MarianMTModel(config).save_pretrained(folder)


@pytest.mark.slow
def test_heavy_engine_loads_a_user_model_folder_through_the_registry(tmp_path: Path) -> None:
    for module in ("transformers", "sentencepiece", "torch"):
        pytest.importorskip(module)
    model_dir = tmp_path / "opus-mt-en-de"
    model_dir.mkdir()
    _tiny_marian(model_dir)
    settings = Settings(data_dir=tmp_path / "data",
                        models={translate_marian.CAPABILITY: ModelChoice(path=model_dir)})
    translate = Translate(_registry(settings))
    assert [lang.LanguageCode for lang in translate.list_languages().Languages] == ["de", "en", "pt"]
    result = translate.translate_text("the cat sat on the mat", source_language_code="en", target_language_code="de")
    assert isinstance(result.TranslatedText, str)
    # pt->de has no direct engine: Bergamot pt->en, then the user's en->de.
    pivoted = translate.translate_text("O gato está dormindo.", source_language_code="pt", target_language_code="de")
    assert isinstance(pivoted.TranslatedText, str) and pivoted.SourceLanguageCode == "pt"


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("gateway-data"))
    models = _registry(settings)
    catalog = ServiceCatalog([Comprehend(models), Translate(models)])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, catalog=catalog, models=models),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "gateway did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_boto3_round_trip(gateway_url: str, aws_client) -> None:
    client = aws_client("translate", gateway_url)
    imported = client.import_terminology(Name="boto-terms", MergeStrategy="OVERWRITE",
                                         TerminologyData={"File": CSV_TERMS, "Format": "CSV"})
    assert imported["TerminologyProperties"]["TermCount"] == 2
    assert imported["TerminologyProperties"]["CreatedAt"].year >= 2024
    result = client.translate_text(Text="Open the widget settings.", SourceLanguageCode="auto",
                                   TargetLanguageCode="pt", TerminologyNames=["boto-terms"])
    assert result["SourceLanguageCode"] == "en" and "engenhoca" in result["TranslatedText"]
    assert result["AppliedTerminologies"][0]["Terms"] == [{"SourceText": "widget", "TargetText": "engenhoca"}]
    languages = client.list_languages()["Languages"]
    assert {lang["LanguageCode"] for lang in languages} == {"en", "pt"}
    with pytest.raises(ClientError) as excinfo:
        client.translate_text(Text="Hello", SourceLanguageCode="en", TargetLanguageCode="ja")
    assert excinfo.value.response["Error"]["Code"] == "UnsupportedLanguagePairException"
    with pytest.raises(ClientError) as excinfo:
        client.get_terminology(Name="missing")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
