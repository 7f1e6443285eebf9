"""Custom terminologies: parsing CSV/TSV/TMX files, storing them, and applying them to a translation.

A terminology is a table: one column per language (the header row of a CSV, the `xml:lang` of a TMX
`tuv`), one row per term. With Directionality UNI the first language is the only source; with MULTI
any language may be the source. Terms are applied by mask-translate-restore: each source term in
the input is replaced by a placeholder the translation models copy through unchanged ("ZXQ0"), and
the placeholder in the output is replaced by the target term. Matching ignores case and the target
term takes the case of the matched text, as Amazon Translate documents.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from core.errors import InvalidParameterValue
from core.sqlite_db import transaction

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PLACEHOLDER = re.compile(r"ZXQ(\d+)")


@dataclass
class Terminology:
    name: str
    description: str | None
    languages: list[str]  # the file's languages, source first
    directionality: str  # UNI or MULTI
    format: str  # CSV, TSV or TMX, as imported
    entries: list[dict[str, str]]  # language -> term, one per row
    size_bytes: int
    skipped: int  # rows without a source term and at least one target term
    created_at: datetime
    updated_at: datetime

    def terms(self, source: str, target: str) -> dict[str, str]:
        """source term -> target term, for a translation from `source` to `target` ({} if not applicable)."""
        sources = self.languages if self.directionality == "MULTI" else self.languages[:1]
        if source not in sources or target not in self.languages or source == target:
            return {}
        return {e[source]: e[target] for e in self.entries if e.get(source) and e.get(target)}


def _keep_rows(languages: list[str], rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    kept = [r for r in rows if r.get(languages[0]) and any(r.get(lang) for lang in languages[1:])]
    return kept, len(rows) - len(kept)


def parse(data: bytes, fmt: str) -> tuple[list[str], list[dict[str, str]], int]:
    """(languages, entries, skipped rows) of a terminology file; InvalidParameterValue when malformed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidParameterValue("The terminology file is not UTF-8 text.") from None
    languages, rows = _parse_tmx(text) if fmt == "TMX" else _parse_table(text, "\t" if fmt == "TSV" else ",")
    if len(languages) < 2 or len(set(languages)) != len(languages) or not all(languages):
        raise InvalidParameterValue(
            f"A {fmt} terminology needs at least two distinct language codes (found {languages})."
        )
    entries, skipped = _keep_rows(languages, rows)
    if not entries:
        raise InvalidParameterValue("The terminology file has no terms.")
    return languages, entries, skipped


def _parse_table(text: str, delimiter: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InvalidParameterValue(f"The terminology file is not valid CSV/TSV: {exc}.") from None
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise InvalidParameterValue("The terminology file is empty.")
    header = [cell.strip() for cell in lines[0]]
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            raise InvalidParameterValue(
                f"Row {number} of the terminology file has {len(line)} columns; its header has {len(header)}."
            )
    return header, [{lang: cell.strip() for lang, cell in zip(header, line)} for line in lines[1:]]


def _parse_tmx(text: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InvalidParameterValue(f"The terminology file is not valid TMX: {exc}.") from None
    header = root.find("header")
    source = header.get("srclang") if header is not None else None
    if root.tag != "tmx" or not source:
        raise InvalidParameterValue("A TMX terminology needs a <tmx> root and a <header srclang=...>.")
    languages, rows = [source], []
    for unit in root.iter("tu"):
        row = {}
        for variant in unit.iter("tuv"):
            lang = variant.get(_XML_LANG) or variant.get("lang")
            seg = variant.find("seg")
            if lang and seg is not None:
                row[lang] = "".join(seg.itertext()).strip()
                languages += [] if lang in languages else [lang]
        rows.append(row)
    return languages, rows


def render(terminology: Terminology, fmt: str) -> bytes:
    """The terminology as a file of the given format, for GetTerminology."""
    langs = terminology.languages
    if fmt != "TMX":
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if fmt == "TSV" else ",", lineterminator="\n")
        writer.writerows([langs, *([e.get(lang, "") for lang in langs] for e in terminology.entries)])
        return out.getvalue().encode()
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", srclang=langs[0], datatype="PlainText", segtype="phrase",
                  creationtool="aigw", creationtoolversion="1", adminlang="en", **{"o-tmf": "aigw"})
    body = ET.SubElement(root, "body")
    for entry in terminology.entries:
        unit = ET.SubElement(body, "tu")
        for lang in langs:
            if entry.get(lang):
                ET.SubElement(ET.SubElement(unit, "tuv", {_XML_LANG: lang}), "seg").text = entry[lang]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


class TerminologyStore:
    """Terminologies in one SQLite file, so they survive restarts and are shared by workers."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, "CREATE TABLE IF NOT EXISTS terminology (name TEXT PRIMARY KEY, record TEXT NOT NULL)")

    def put(self, terminology: Terminology) -> None:
        record = json.dumps(asdict(terminology), default=datetime.isoformat)
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO terminology VALUES (?, ?)", (terminology.name, record))

    def get(self, name: str) -> Terminology | None:
        with self._db() as db:
            row = db.execute("SELECT record FROM terminology WHERE name = ?", (name,)).fetchone()
        return _load(row[0]) if row else None

    def list(self) -> list[Terminology]:
        with self._db() as db:
            return [_load(r[0]) for r in db.execute("SELECT record FROM terminology ORDER BY name")]

    def delete(self, name: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM terminology WHERE name = ?", (name,)).rowcount > 0


def _load(record: str) -> Terminology:
    data = json.loads(record)
    for key in ("created_at", "updated_at"):
        data[key] = datetime.fromisoformat(data[key])
    return Terminology(**data)


def _match_case(matched: str, term: str) -> str:
    if matched.isupper():
        return term.upper()
    if matched.islower():
        return term
    if all(word[:1].isupper() for word in matched.split()):
        return " ".join(word[:1].upper() + word[1:] for word in term.split())
    return term


@dataclass
class Masked:
    text: str  # the input with placeholders
    targets: list[str]  # placeholder i -> the target term, cased
    sources: list[str]  # placeholder i -> the source term it stands for, as the terminology spells it


def mask_terms(text: str, terms: dict[str, str]) -> Masked:
    masked = Masked(text, [], [])
    if not terms:
        return masked
    by_key = {source.casefold(): source for source in terms}
    # Longest first, so a multi-word term wins over a term inside it.
    alternatives = "|".join(re.escape(s) for s in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def placeholder(match: re.Match[str]) -> str:
        source = by_key[match.group().casefold()]
        masked.sources.append(source)
        masked.targets.append(_match_case(match.group(), terms[source]))
        return f"ZXQ{len(masked.targets) - 1}"

    masked.text = pattern.sub(placeholder, text)
    return masked


def restore_terms(translated: str, masked: Masked) -> tuple[str, list[int]]:
    """The translation with target terms in place, and which placeholders came through."""
    restored: list[int] = []

    def target(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(masked.targets):
            return match.group()
        restored.append(index)
        return masked.targets[index]

    return _PLACEHOLDER.sub(target, translated), restored
