"""Transcribe's custom vocabularies and vocabulary filters: Create, Get, List and Delete of each.

A vocabulary biases recognition towards its phrases (Whisper's hotwords: the phrases are given to
the decoder as a prompt); a filter masks, removes or tags its words in transcripts. Both are ready
as soon as they are created. Words come inline (`Phrases`, `Words`) or from a text file
(`VocabularyFileUri`, `VocabularyFilterFileUri`): one entry per line, or AWS's table format with a
`Phrase` header, whose first column is the phrase.
"""

from __future__ import annotations

from core.errors import BadRequest, Conflict, NotFound, ResourceNotFound
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.service import operation
from core.storage import Storage
from speech.transcribe.languages import AWS_CODES
from speech.transcribe.shapes import (
    CreateVocabularyFilterRequest,
    CreateVocabularyFilterResponse,
    CreateVocabularyRequest,
    DeleteVocabularyFilterRequest,
    DeleteVocabularyRequest,
    Empty,
    GetVocabularyFilterRequest,
    GetVocabularyFilterResponse,
    GetVocabularyRequest,
    GetVocabularyResponse,
    ListVocabulariesRequest,
    ListVocabulariesResponse,
    ListVocabularyFiltersRequest,
    ListVocabularyFiltersResponse,
    VocabularyFilterInfo,
    VocabularyInfo,
    VocabularyResponse,
)
from speech.transcribe.word_lists import FILTER, VOCABULARY, WordList, WordListStore

MAX_FILE_BYTES = 50 * 1024  # AWS's size limit of a vocabulary
PAGE_SIZE = 5  # AWS's default MaxResults for these lists


def _file_entries(data: bytes) -> list[str]:
    lines = [line.strip() for line in data.decode("utf-8-sig", errors="replace").splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].split("\t")[0].strip().lower() == "phrase":  # the table format
        return [line.split("\t")[0].strip() for line in lines[1:] if line.split("\t")[0].strip()]
    return lines


def hotwords(vocabulary: WordList) -> str:
    """The prompt text of a vocabulary: AWS joins the words of a phrase with hyphens."""
    return " ".join(phrase.replace("-", " ") for phrase in vocabulary.words)


class VocabularyOperations:
    _models: ModelRegistry

    def _word_lists(self) -> WordListStore:
        return WordListStore(self._models.settings.data_dir / "transcribe" / "word_lists.sqlite3")

    def word_list(self, kind: str, name: str) -> WordList:
        found = self._word_lists().get(kind, name)
        if found is None:
            what = "vocabulary" if kind == VOCABULARY else "vocabulary filter"
            raise NotFound(f"The requested {what} {name!r} couldn't be found. Check the name and try again.")
        return found

    def _entries(self, inline: list[str] | None, uri: str | None, what: str) -> list[str]:
        if (inline is None) == (uri is None):
            raise BadRequest(f"Give either the {what} inline or a file URI, not both and not neither.")
        if inline is not None:
            entries = [entry.strip() for entry in inline if entry.strip()]
        else:
            try:
                data = Storage(self._models.settings).read_bytes(uri)
            except ResourceNotFound as exc:
                raise BadRequest(f"The {what} file can't be read: {exc.message}") from None
            if len(data) > MAX_FILE_BYTES:
                raise BadRequest(f"The {what} file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}.")
            entries = _file_entries(data)
        if not entries:
            raise BadRequest(f"The {what} list is empty.")
        return entries

    def _create(self, kind: str, name: str, language: str, entries: list[str]) -> WordList:
        if language not in AWS_CODES:
            raise BadRequest(f"The language code {language!r} is not a Transcribe language code.")
        created = self._word_lists().create(kind, name, language, entries)
        if created is None:
            raise Conflict(f"The requested name {name!r} already exists. Use a different name.")
        return created

    @operation
    def create_vocabulary(self, request: CreateVocabularyRequest) -> VocabularyResponse:
        """Create a custom vocabulary; jobs that name it are biased towards its phrases."""
        entries = self._entries(request.Phrases, request.VocabularyFileUri, "phrases")
        made = self._create(VOCABULARY, request.VocabularyName, request.LanguageCode, entries)
        return VocabularyResponse(VocabularyName=made.name, LanguageCode=made.language, VocabularyState="READY",
                                  LastModifiedTime=made.modified)

    @operation
    def get_vocabulary(self, request: GetVocabularyRequest) -> GetVocabularyResponse:
        """A custom vocabulary's state and language."""
        found = self.word_list(VOCABULARY, request.VocabularyName)
        return GetVocabularyResponse(VocabularyName=found.name, LanguageCode=found.language, VocabularyState="READY",
                                     LastModifiedTime=found.modified)

    @operation
    def list_vocabularies(self, request: ListVocabulariesRequest) -> ListVocabulariesResponse:
        """Custom vocabularies by name, optionally those whose name contains a text."""
        found = [] if request.StateEquals not in (None, "READY") else \
            self._word_lists().list(VOCABULARY, request.NameContains)
        page, token = offset_page(found, request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=BadRequest)
        return ListVocabulariesResponse(
            Status=request.StateEquals, NextToken=token,
            Vocabularies=[VocabularyInfo(VocabularyName=v.name, LanguageCode=v.language, VocabularyState="READY",
                                         LastModifiedTime=v.modified) for v in page],
        )

    @operation
    def delete_vocabulary(self, request: DeleteVocabularyRequest) -> Empty:
        """Delete a custom vocabulary."""
        if not self._word_lists().delete(VOCABULARY, request.VocabularyName):
            self.word_list(VOCABULARY, request.VocabularyName)  # raises NotFound
        return Empty()

    @operation
    def create_vocabulary_filter(self, request: CreateVocabularyFilterRequest) -> CreateVocabularyFilterResponse:
        """Create a vocabulary filter: words that jobs naming it mask, remove or tag."""
        entries = self._entries(request.Words, request.VocabularyFilterFileUri, "words")
        made = self._create(FILTER, request.VocabularyFilterName, request.LanguageCode, entries)
        return CreateVocabularyFilterResponse(VocabularyFilterName=made.name, LanguageCode=made.language,
                                              LastModifiedTime=made.modified)

    @operation
    def get_vocabulary_filter(self, request: GetVocabularyFilterRequest) -> GetVocabularyFilterResponse:
        """A vocabulary filter's language."""
        found = self.word_list(FILTER, request.VocabularyFilterName)
        return GetVocabularyFilterResponse(VocabularyFilterName=found.name, LanguageCode=found.language,
                                           LastModifiedTime=found.modified)

    @operation
    def list_vocabulary_filters(self, request: ListVocabularyFiltersRequest) -> ListVocabularyFiltersResponse:
        """Vocabulary filters by name, optionally those whose name contains a text."""
        found = self._word_lists().list(FILTER, request.NameContains)
        page, token = offset_page(found, request.NextToken, request.MaxResults, default_size=PAGE_SIZE,
                                  error=BadRequest)
        return ListVocabularyFiltersResponse(
            NextToken=token,
            VocabularyFilters=[VocabularyFilterInfo(VocabularyFilterName=f.name, LanguageCode=f.language,
                                                    LastModifiedTime=f.modified) for f in page],
        )

    @operation
    def delete_vocabulary_filter(self, request: DeleteVocabularyFilterRequest) -> Empty:
        """Delete a vocabulary filter."""
        if not self._word_lists().delete(FILTER, request.VocabularyFilterName):
            self.word_list(FILTER, request.VocabularyFilterName)  # raises NotFound
        return Empty()
