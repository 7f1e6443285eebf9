"""Polly's lexicon operations, a mixin of `Polly`: lexicons live under `<data_dir>/polly/lexicons`."""

from __future__ import annotations

from core.arns import arn
from core.errors import InvalidNextToken, LexiconNotFound, MaxLexiconsNumberExceeded
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.service import operation
from speech.lexicons import Lexicon, LexiconStore
from speech.polly.shapes import (
    DeleteLexiconRequest,
    DeleteLexiconResponse,
    GetLexiconRequest,
    GetLexiconResponse,
    LexiconContent,
    LexiconDescription,
    LexiconInfo,
    ListLexiconsRequest,
    ListLexiconsResponse,
    PutLexiconRequest,
    PutLexiconResponse,
)
from speech.polly.voices import VOICES

REGION = "local"
MAX_LEXICONS = 100  # Polly's limit per account and region
PAGE_SIZE = 100
LANGUAGES = {v.language_code for v in VOICES.values()}


def _info(lexicon: Lexicon) -> LexiconInfo:
    return LexiconInfo(
        Alphabet=lexicon.alphabet, LanguageCode=lexicon.language_code, LastModified=lexicon.last_modified,
        LexiconArn=arn("polly", REGION, f"lexicon/{lexicon.name}"), LexemesCount=len(lexicon.lexemes),
        Size=lexicon.size,
    )


class LexiconOperations:
    _models: ModelRegistry

    def _lexicons(self) -> LexiconStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return LexiconStore(self._models.settings.data_dir / "polly" / "lexicons", LANGUAGES)

    def _lexicon(self, name: str) -> Lexicon:
        found = self._lexicons().get(name)
        if found is None:
            raise LexiconNotFound(f"Lexicon not found: {name}.")
        return found

    @operation
    def put_lexicon(self, request: PutLexiconRequest) -> PutLexiconResponse:
        """Store a PLS pronunciation lexicon, replacing one of the same name."""
        store = self._lexicons()
        if request.Name not in store.names() and len(store.names()) >= MAX_LEXICONS:
            raise MaxLexiconsNumberExceeded(f"There are already {MAX_LEXICONS} lexicons; delete one first.")
        store.put(request.Name, request.Content)
        return PutLexiconResponse()

    @operation
    def get_lexicon(self, request: GetLexiconRequest) -> GetLexiconResponse:
        """A lexicon's PLS content and attributes."""
        lexicon = self._lexicon(request.Name)
        return GetLexiconResponse(Lexicon=LexiconContent(Content=lexicon.content, Name=lexicon.name),
                                  LexiconAttributes=_info(lexicon))

    @operation
    def list_lexicons(self, request: ListLexiconsRequest) -> ListLexiconsResponse:
        """The stored lexicons with their attributes, by name."""
        store = self._lexicons()
        names, token = offset_page(store.names(), request.NextToken, None, default_size=PAGE_SIZE,
                                   error=InvalidNextToken)
        found = [lexicon for lexicon in map(store.get, names) if lexicon is not None]
        return ListLexiconsResponse(
            Lexicons=[LexiconDescription(Name=lexicon.name, Attributes=_info(lexicon)) for lexicon in found],
            NextToken=token,
        )

    @operation
    def delete_lexicon(self, request: DeleteLexiconRequest) -> DeleteLexiconResponse:
        """Delete a lexicon."""
        if not self._lexicons().delete(request.Name):
            raise LexiconNotFound(f"Lexicon not found: {request.Name}.")
        return DeleteLexiconResponse()
