"""Pronunciation lexicons (W3C PLS 1.0): parsed and checked as Polly checks them, kept as files under
the data folder, and applied to a script before synthesis: a grapheme becomes its alias (said as
text) or its phonemes (said as given).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from core.errors import InvalidLexicon, LexiconSizeExceeded, UnsupportedPlsAlphabet, UnsupportedPlsLanguage
from speech.polly.phonemes import to_ipa
from speech.ssml import Piece, Script, Speech

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ALPHABETS = ("ipa", "x-sampa")
MAX_CHARACTERS = 4000  # Polly's limit on one lexicon
_NS = f"{{{PLS_NAMESPACE}}}"


@dataclass(frozen=True)
class Lexeme:
    graphemes: tuple[str, ...]
    alias: str | None
    phonemes: str | None  # IPA


@dataclass(frozen=True)
class Lexicon:
    name: str
    content: str
    alphabet: str
    language_code: str
    lexemes: tuple[Lexeme, ...]
    last_modified: datetime

    @property
    def size(self) -> int:
        return len(self.content)


def parse_pls(name: str, content: str, languages: set[str], modified: datetime) -> Lexicon:
    """A lexicon from PLS text; raises Polly's errors for bad XML, alphabets and languages."""
    if len(content) > MAX_CHARACTERS:
        raise LexiconSizeExceeded(f"The lexicon has {len(content)} characters; the limit is {MAX_CHARACTERS}.")
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise InvalidLexicon(f"The lexicon is not well-formed XML: {exc}.") from None
    if root.tag != f"{_NS}lexicon":
        raise InvalidLexicon(f"The root element must be <lexicon> in the namespace {PLS_NAMESPACE}.")
    alphabet = root.get("alphabet", "")
    if alphabet not in ALPHABETS:
        raise UnsupportedPlsAlphabet(f"Unsupported alphabet {alphabet!r}: use ipa or x-sampa.")
    language = root.get(XML_LANG, "")
    if language not in languages:
        raise UnsupportedPlsLanguage(f"Unsupported lexicon language {language!r}.")
    lexemes = []
    for element in root.iter(f"{_NS}lexeme"):
        graphemes = tuple(g.text.strip() for g in element.iter(f"{_NS}grapheme") if g.text and g.text.strip())
        phoneme = element.find(f"{_NS}phoneme")
        alias = element.find(f"{_NS}alias")
        if not graphemes or (phoneme is None and alias is None):
            raise InvalidLexicon("Every <lexeme> needs a <grapheme> and a <phoneme> or an <alias>.")
        lexemes.append(Lexeme(
            graphemes,
            alias.text.strip() if alias is not None and alias.text else None,
            to_ipa(phoneme.text.strip(), element.get("alphabet", alphabet))
            if alias is None and phoneme is not None and phoneme.text else None,
        ))
    return Lexicon(name, content, alphabet, language, tuple(lexemes), modified)


class LexiconStore:
    """One `<name>.pls` file per lexicon; its modification time is the lexicon's LastModified."""

    def __init__(self, folder: Path, languages: set[str]) -> None:
        self.folder = folder
        self.languages = languages

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pls"

    def put(self, name: str, content: str) -> Lexicon:
        lexicon = parse_pls(name, content, self.languages, datetime.now(timezone.utc))
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self._path(name).with_suffix(".part")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, self._path(name))  # readers never see half a lexicon
        return lexicon

    def get(self, name: str) -> Lexicon | None:
        path = self._path(name)
        try:
            content = path.read_text(encoding="utf-8")
            modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        except FileNotFoundError:
            return None
        return parse_pls(name, content, self.languages, modified)

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.pls")) if self.folder.is_dir() else []

    def delete(self, name: str) -> bool:
        try:
            self._path(name).unlink()
        except FileNotFoundError:
            return False
        return True


def _substitute(piece: Piece, pattern: re.Pattern[str], lexemes: dict[str, Lexeme]) -> list[Piece]:
    """A verbatim piece split around the graphemes it contains, each replaced by its pronunciation."""
    pieces, at = [], 0
    for match in pattern.finditer(piece.text):
        lexeme = lexemes[match.group(0)]
        if match.start() > at:
            pieces.append(_slice(piece, at, match.start()))
        span = _slice(piece, match.start(), match.end())
        pieces.append(Piece(lexeme.alias or span.text, span.start, span.end,
                            phonemes=None if lexeme.alias else lexeme.phonemes))
        at = match.end()
    if at < len(piece.text):
        pieces.append(_slice(piece, at, len(piece.text)))
    return pieces


def _slice(piece: Piece, begin: int, end: int) -> Piece:
    start = piece.start + len(piece.text[:begin].encode())
    return Piece(piece.text[begin:end], start, start + len(piece.text[begin:end].encode()), exact=True)


def apply_lexicons(script: Script, lexicons: list[Lexicon]) -> Script:
    """The script with every grapheme of the lexicons replaced in verbatim text; the first lexicon
    that lists a grapheme wins, as in Polly. Matching is case-sensitive and on whole words."""
    lexemes: dict[str, Lexeme] = {}
    for lexicon in lexicons:
        for lexeme in lexicon.lexemes:
            for grapheme in lexeme.graphemes:
                lexemes.setdefault(grapheme, lexeme)
    if not lexemes:
        return script
    # Longest graphemes first, so "W3C Web" wins over "W3C".
    alternatives = "|".join(re.escape(g) for g in sorted(lexemes, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    items = []
    for item in script.items:
        if isinstance(item, Speech):
            pieces = [p for piece in item.pieces
                      for p in (_substitute(piece, pattern, lexemes) if piece.exact else [piece])]
            item = replace(item, pieces=pieces)
        items.append(item)
    return replace(script, items=items)
