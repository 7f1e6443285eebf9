"""Apertium's rule-based pairs, a user's CTranslate2 model folder, and TranslateDocument (plain text, HTML,
.docx) in process and through a gateway with boto3."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from core.errors import InvalidRequest, UnsupportedLanguagePair, ValidationError
from core.model_registry import ModelRegistry
from core.settings import ModelChoice, Settings
from gateway.catalog import ServiceCatalog
from nlp.engines import langid_fasttext, translate_apertium, translate_bergamot, translate_ctranslate2
from nlp.translate import Translate
from nlp.translate_documents import DOCX, HTML, PLAIN
from tests.nlp.test_translate import CSV_TERMS, _tiny_marian

MODES = translate_apertium.DATA_DIR / "modes"
needs_apertium = pytest.mark.skipif(
    translate_apertium.SPEC.locate() is None or not (MODES / "spa-eng.mode").is_file(),
    reason="Debian's Apertium English<->Spanish is not installed: apt-get install apertium apertium-eng-spa",
)

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The house</title>
<style>p { color: red; } /* The cat */</style>
<script>if (a < b) { document.title = "The cat"; }</script></head>
<body><!-- The dog sleeps. -->
<p class="intro">The cat is sleeping on the table.</p>
<img src="cat.png" alt="The black cat">
<p>Tom &amp; Jerry open the widget settings.</p>
<div translate="no"><p>The dog is sleeping.</p></div>
<a href="/help" title='The file'>Please restart the server!</a><br/>
</body></html>
"""


def _registry(settings: Settings, *specs) -> ModelRegistry:
    models = ModelRegistry(settings)
    for spec in (langid_fasttext.SPEC, translate_bergamot.SPEC, translate_apertium.SPEC, *specs):
        models.register(spec)
    return models


@pytest.fixture(scope="module")
def translate(tmp_path_factory: pytest.TempPathFactory) -> Translate:
    return Translate(_registry(Settings(data_dir=tmp_path_factory.mktemp("translate-documents"))))


def _document(translate: Translate, content: bytes, content_type: str, source: str = "en", target: str = "pt",
              **members) -> bytes:
    result = translate.translate_document(document={"Content": content, "ContentType": content_type},
                                          source_language_code=source, target_language_code=target, **members)
    return result.TranslatedDocument.Content


# Apertium


@needs_apertium
@pytest.mark.parametrize(
    ("text", "source", "target", "expected"),
    [
        ("El gato negro duerme en la mesa.\nMi hermano tiene tres perros.", "es", "en",
         ["black cat", "table", "\n", "My brother has three dogs."]),
        ("The white house is very big. My brother has three dogs.", "en", "es",
         ["La casa blanca es muy grande.", "Mi hermano tiene tres perros."]),
    ],
)
def test_apertium_translates_spanish_and_english(translate: Translate, text: str, source: str, target: str,
                                                 expected: list[str]) -> None:
    result = translate.translate_text(text, source_language_code=source, target_language_code=target)
    assert all(words in result.TranslatedText for words in expected), result.TranslatedText


@needs_apertium
def test_apertium_pairs_are_listed_beside_bergamot(translate: Translate) -> None:
    codes = {lang.LanguageCode for lang in translate.list_languages().Languages}
    assert {"en", "es", "pt"} <= codes
    if (MODES / "fr-es.mode").is_file():
        assert "fr" in codes


@needs_apertium
def test_a_pair_no_engine_serves_goes_through_english(translate: Translate) -> None:
    # es->pt: Apertium es->en, then Bergamot en->pt.
    result = translate.translate_text("El gato negro duerme en la mesa.", source_language_code="es",
                                      target_language_code="pt")
    assert "gato" in result.TranslatedText and result.SourceLanguageCode == "es"
    # Only through English: Apertium's fr->es does not make fr->en.
    if (MODES / "fr-es.mode").is_file():
        with pytest.raises(UnsupportedLanguagePair):
            translate.translate_text("Le chat noir dort.", source_language_code="fr", target_language_code="en")


@needs_apertium
def test_a_batch_of_50_segments_costs_less_than_50_program_starts() -> None:
    started = time.perf_counter()
    subprocess.run(["apertium", "-u", "spa-eng"], input=b"Hola.\n", capture_output=True, check=True)
    one_start = time.perf_counter() - started
    engine = translate_apertium.ApertiumTranslator(translate_apertium.DATA_DIR)
    segments = [f"El perro número {i} duerme." for i in range(50)]
    try:
        started = time.perf_counter()
        translated = engine.translate(segments, "es", "en")  # a cold engine: its pipeline starts here
        elapsed = time.perf_counter() - started
    finally:
        engine.close()
    assert [f"number {i} " in t for i, t in enumerate(translated)] == [True] * 50, translated
    # 50 starts would take 50 * one_start; a tenth of that leaves room for a slow machine.
    assert elapsed < 5 * one_start, (elapsed, one_start)


@needs_apertium
def test_apertium_stream_format_characters_survive() -> None:
    engine = translate_apertium.ApertiumTranslator(translate_apertium.DATA_DIR)
    try:
        [out] = engine.translate([r"Hola [uno] ^dos$ qq/zz @c <d> {k} ~f \g."], "es", "en")
    finally:
        engine.close()
    assert all(token in out for token in ["[", "]", "^", "$", "qq/zz", "@c", "<d>", "{k}", "~f", r"\g"]), out


@needs_apertium
def test_a_caret_at_the_end_of_a_segment_does_not_stall_the_pipeline() -> None:
    # A real UI string from the gettext catalogs ("invalid operand of S^#") once stalled the
    # pipeline for good, hanging every later request in that direction.
    engine = translate_apertium.ApertiumTranslator(translate_apertium.DATA_DIR)
    try:
        out = engine.translate(["invalid operand of S^#", "S^", "^", "x^2", "Hello world"], "en", "es")
    finally:
        engine.close()
    assert out[1:4] == ["S^", "^", "x^2"]
    assert out[0].endswith("S^#") and out[4] != "Hello world"


# TranslateDocument


def _markup(page: str) -> str:
    """The page without its text nodes and translated attribute values."""
    return re.sub(r"""(alt|title)=("[^"]*"|'[^']*')""", r"\1=", re.sub(r">[^<]+<", "><", page))


def test_html_markup_is_kept_byte_for_byte(translate: Translate) -> None:
    out = _document(translate, PAGE, HTML).decode()
    for kept in [b"<script>if (a < b) { document.title = \"The cat\"; }</script>", b"/* The cat */",
                 b"<!-- The dog sleeps. -->", b'<div translate="no"><p>The dog is sleeping.</p></div>',
                 b'<img src="cat.png" alt=', b"<br/>\n</body></html>\n"]:
        assert kept.decode() in out
    # Scripts aside (they hold a "<"), everything outside text nodes is the input's.
    without_script = re.compile(r"<script>.*?</script>", re.DOTALL)
    assert _markup(without_script.sub("", out)) == _markup(without_script.sub("", PAGE.decode()))
    assert "gato" in out and "mesa" in out and "<title>A casa</title>" in out
    assert re.search(r'alt="[^"]*gato', out) and re.search(r"title='[^']*arquivo", out)
    assert "&amp;" in out  # text is escaped again after translation


def test_plain_text_keeps_its_paragraphs_and_applies_terminology(translate: Translate) -> None:
    translate.import_terminology(name="doc-terms", merge_strategy="OVERWRITE",
                                 terminology_data={"File": CSV_TERMS, "Format": "CSV"})
    text = "The cat is sleeping on the table.\n\n  Open the widget settings.\n"
    result = translate.translate_document(document={"Content": text.encode(), "ContentType": PLAIN},
                                          source_language_code="auto", target_language_code="pt",
                                          terminology_names=["doc-terms"])
    out = result.TranslatedDocument.Content.decode()
    assert result.SourceLanguageCode == "en"
    assert out.count("\n") == 3 and "\n\n  " in out and "gato" in out and "engenhoca" in out
    assert result.AppliedTerminologies[0].Terms[0].TargetText == "engenhoca"


def _sample_docx() -> bytes:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "The file could not be opened."
    document.add_heading("The black cat", level=1)
    paragraph = document.add_paragraph("The cat is ")
    paragraph.add_run("very").bold = True
    paragraph.add_run(" small.")
    document.add_paragraph("")
    bold = document.add_paragraph()
    bold.add_run("Please restart the server!").bold = True
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "The cat is sleeping on the table."
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_docx_round_trip_keeps_structure_and_paragraph_formatting(translate: Translate) -> None:
    import docx

    original = docx.Document(io.BytesIO(_sample_docx()))
    out = docx.Document(io.BytesIO(_document(translate, _sample_docx(), DOCX)))
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in original.paragraphs]
    heading, mixed, empty, bold = out.paragraphs
    assert "gato" in heading.text and empty.text == ""
    assert "servidor" in bold.text and bold.runs[0].bold
    # Formatting inside a paragraph does not survive: the text moves into the first run.
    assert "gato" in mixed.runs[0].text and [r.text for r in mixed.runs[1:]] == ["", ""]
    assert "mesa" in out.tables[0].rows[0].cells[1].text and out.tables[0].rows[0].cells[0].text == ""
    assert "arquivo" in out.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize(
    ("content", "content_type", "error"),
    [
        (b"x" * 102_401, PLAIN, ValidationError),  # botocore's DocumentContent max: 100 KB
        (b"%PDF-1.7", "application/pdf", InvalidRequest),
        (b"not a zip", DOCX, InvalidRequest),
        (b"PK\x05\x06" + b"\0" * 18, DOCX, InvalidRequest),  # an empty zip: no Word parts
        (b"<p>caf\xe9</p>", HTML, InvalidRequest),  # Latin-1, not UTF-8
    ],
)
def test_oversized_unsupported_and_corrupt_documents_are_refused(translate: Translate, content: bytes,
                                                                 content_type: str, error: type) -> None:
    with pytest.raises(error):
        _document(translate, content, content_type)


def test_a_damaged_docx_part_is_refused(translate: Translate) -> None:
    source = zipfile.ZipFile(io.BytesIO(_sample_docx()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, b"<w:document" if name == "word/document.xml" else source.read(name))
    with pytest.raises(InvalidRequest):
        _document(translate, damaged.getvalue(), DOCX)


def test_boto3_translate_document(start_gateway, aws_client) -> None:
    running = start_gateway(catalog=ServiceCatalog([Translate()]))
    client = aws_client("translate", running.url, validate=False)
    result = client.translate_document(Document={"Content": PAGE, "ContentType": HTML},
                                       SourceLanguageCode="en", TargetLanguageCode="pt")
    out = result["TranslatedDocument"]["Content"].decode()
    assert "gato" in out and "<!-- The dog sleeps. -->" in out
    assert (result["SourceLanguageCode"], result["TargetLanguageCode"]) == ("en", "pt")
    for document, code in [
        ({"Content": b"x" * 102_401, "ContentType": PLAIN}, "ValidationException"),
        ({"Content": b"%PDF", "ContentType": "application/pdf"}, "InvalidRequestException"),
        ({"Content": b"not a zip", "ContentType": DOCX}, "InvalidRequestException"),
    ]:
        with pytest.raises(ClientError) as excinfo:
            client.translate_document(Document=document, SourceLanguageCode="en", TargetLanguageCode="pt")
        assert excinfo.value.response["Error"]["Code"] == code
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# A user's CTranslate2 model folder


@pytest.fixture(scope="module")
def ct2_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny random en->de Marian model, converted as opus-mt conversions ship: with source.spm/target.spm."""
    ctranslate2 = pytest.importorskip("ctranslate2")
    for module in ("transformers", "sentencepiece", "torch"):
        pytest.importorskip(module)
    hf_model = tmp_path_factory.mktemp("marian-hf")
    _tiny_marian(hf_model)
    output = tmp_path_factory.mktemp("ct2") / "opus-mt-en-de"
    converter = ctranslate2.converters.TransformersConverter(str(hf_model), copy_files=["source.spm", "target.spm"])
    converter.convert(str(output))
    # Without tokenizer_config.json beside, the pair comes from the manifest.
    (output / "translation.json").write_text(json.dumps({"source": "en", "target": "de"}))
    return output


@pytest.mark.slow
def test_ctranslate2_engine_loads_a_converted_folder_through_the_registry(ct2_model: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data",
                        models={translate_ctranslate2.CAPABILITY: ModelChoice(path=ct2_model)})
    translate = Translate(_registry(settings, translate_ctranslate2.SPEC))
    assert "de" in {lang.LanguageCode for lang in translate.list_languages().Languages}
    result = translate.translate_text("the cat sat on the mat. hello world", source_language_code="en",
                                      target_language_code="de")
    assert isinstance(result.TranslatedText, str)
    # pt->de: Bergamot pt->en, then the user's en->de.
    document = _document(translate, "O gato está dormindo.".encode(), PLAIN, source="pt", target="de")
    assert isinstance(document.decode(), str)


@pytest.mark.slow
def test_ctranslate2_multilingual_manifest_serves_every_pair(ct2_model: Path, tmp_path: Path) -> None:
    folder = tmp_path / "multilingual"
    shutil.copytree(ct2_model, folder)
    # The model's language tokens must be in its vocabulary; any two words of the tiny one stand in.
    (folder / "translation.json").write_text(json.dumps({"languages": {"en": "▁cat", "de": "▁dog"}}))
    engine = translate_ctranslate2.CTranslate2Translator(folder)
    assert engine.pairs == {("en", "de"), ("de", "en")}
    assert all(isinstance(t, str) for t in engine.translate(["the cat sat", "hello world"], "de", "en"))
