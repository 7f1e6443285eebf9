"""TranslateDocument's formats: each document is read into the texts to translate and written back
around their translations, so that the service translates all of a document's texts in one call.

- text/plain: the whole text (the service splits it at line ends and sentences, keeping both).
- text/html: text nodes and the alt/title/placeholder/aria-label attributes; everything else (tags,
  comments, scripts, styles, elements marked translate="no") is copied byte for byte. A text node
  is translated on its own, so a sentence broken by inline markup (`<b>`, `<a>`) is translated in
  pieces. Character references inside a translated text come back as characters.
- .docx (python-docx): every paragraph of the body, tables, headers, footers and text boxes,
  translated whole. The translation goes into the paragraph's first run with text and the other runs
  are emptied: paragraph and first-run formatting stay, formatting that changes inside a paragraph
  (one bold word, a hyperlink's text) does not survive, as word order changes across languages.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser

from core.errors import InvalidRequest

PLAIN = "text/plain"
HTML = "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (PLAIN, HTML, DOCX)

# A document read: its texts, and how to write it back given their translations in the same order.
Reader = Callable[[bytes], tuple[list[str], Callable[[list[str]], bytes]]]

_TRANSLATED_ATTRIBUTES = re.compile(
    r"""(\s(?:alt|title|placeholder|aria-label)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE
)
# Elements whose content is code or data, never prose; the parser reports it as data.
_RAW_TEXT = {"script", "style"}
# Elements without an end tag: translate="no" on one of them covers only its attributes.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest("The document is not UTF-8 text, which text/plain and text/html must be.") from None


class _Texts:
    """Texts to translate, each kept apart from its surrounding whitespace, which engines drop."""

    def __init__(self) -> None:
        self.cores: list[str] = []
        self._edges: list[tuple[str, str]] = []

    def add(self, text: str) -> int | None:
        """The text's index for `restore`, or None when there is nothing to translate."""
        core = text.strip()
        if not core:
            return None
        self.cores.append(core)
        self._edges.append((text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]))
        return len(self.cores) - 1

    def restore(self, translations: list[str], index: int) -> str:
        lead, trail = self._edges[index]
        return f"{lead}{translations[index].strip()}{trail}"


def read_plain(content: bytes) -> tuple[list[str], Callable[[list[str]], bytes]]:
    texts = _Texts()
    index = texts.add(_decode(content))
    if index is None:
        return [], lambda translations: content
    return texts.cores, lambda translations: texts.restore(translations, index).encode()


# Kinds of HTML pieces.
TEXT, TAG, MARKUP = "text", "tag", "markup"  # a text node; a start tag with attributes to translate; the rest


class _HtmlPieces(HTMLParser):
    """Splits a page into pieces of the kinds above. The parser reports each construct with its
    start position; a piece runs from there to the next one's start."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)  # a text node arrives as one data event, references resolved
        self._page = page
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self._starts: list[int] = []
        self._kinds: list[str] = []
        self._skipped: list[str] = []  # open elements marked translate="no", innermost last
        self.feed(page)
        self.close()

    def _mark(self, kind: str) -> None:
        if kind == TEXT and self._kinds[-1:] == [TEXT]:
            return  # a stray "<" splits a text node in two events: keep it one text
        line, column = self.getpos()
        self._starts.append(self._line_starts[line - 1] + column)
        self._kinds.append(kind)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        no = ("translate", "no") in attrs
        if tag not in _VOID and (no or self._skipped[-1:] == [tag]):
            self._skipped.append(tag)
        self._mark(MARKUP if self._skipped or no else TAG)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(MARKUP if self._skipped or ("translate", "no") in attrs else TAG)

    def handle_endtag(self, tag: str) -> None:
        self._mark(MARKUP)
        if self._skipped[-1:] == [tag]:
            self._skipped.pop()

    def handle_data(self, data: str) -> None:
        self._mark(MARKUP if self._skipped or self.cdata_elem in _RAW_TEXT else TEXT)

    def handle_comment(self, data: str) -> None:
        self._mark(MARKUP)

    handle_decl = handle_pi = unknown_decl = handle_comment

    def pieces(self) -> list[tuple[str, str]]:
        ends = self._starts[1:] + [len(self._page)]
        return [(self._page[s:e], kind) for s, e, kind in zip(self._starts, ends, self._kinds) if s < e]


def read_html(content: bytes) -> tuple[list[str], Callable[[list[str]], bytes]]:
    texts = _Texts()
    # Each piece becomes a function of the translations that gives its output text.
    writers: list[Callable[[list[str]], str]] = []
    for raw, kind in _HtmlPieces(_decode(content)).pieces():
        if kind == TEXT:
            index = texts.add(html.unescape(raw))
            writers.append(lambda tr, raw=raw, index=index: raw if index is None else html.escape(
                texts.restore(tr, index), quote=False))
        elif kind == TAG and _TRANSLATED_ATTRIBUTES.search(raw):
            writers.append(_tag_writer(raw, texts))
        else:
            writers.append(lambda tr, raw=raw: raw)
    return texts.cores, lambda translations: "".join(w(translations) for w in writers).encode()


def _tag_writer(tag: str, texts: _Texts) -> Callable[[list[str]], str]:
    """A start tag with its translatable attributes' values replaced, the rest of it untouched."""
    parts: list[str | tuple[str, int]] = []  # literal text, or (quote, text index) of a translated value
    position = 0
    for match in _TRANSLATED_ATTRIBUTES.finditer(tag):
        value = match[2]
        index = texts.add(html.unescape(value.strip("\"'")))
        if index is None:
            continue  # an empty value stays as written
        # An unquoted value gets quotes: its translation may hold spaces.
        parts += [tag[position : match.start(2)], (value[0] if value[0] in "\"'" else '"', index)]
        position = match.end(2)
    parts.append(tag[position:])

    def write(translations: list[str]) -> str:
        return "".join(
            part if isinstance(part, str) else f"{part[0]}{html.escape(texts.restore(translations, part[1]))}{part[0]}"
            for part in parts
        )

    return write


def read_docx(content: bytes) -> tuple[list[str], Callable[[list[str]], bytes]]:
    import docx
    from docx.opc.part import XmlPart
    from docx.oxml.ns import qn
    from docx.text.run import Run
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        # BadZipFile: not a zip; KeyError: a zip without Word's parts; ValueError: another Office
        # format; XMLSyntaxError: a damaged part.
        raise InvalidRequest(f"The document is not a valid .docx file: {exc}") from None
    texts = _Texts()
    paragraphs: list[tuple[list[Run], int]] = []
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart) or not part.partname.startswith(("/word/document", "/word/header",
                                                                        "/word/footer")):
            continue
        for paragraph in part.element.iter(qn("w:p")):
            # Direct runs only: a nested paragraph (a text box) is a paragraph of its own.
            runs = [run for r in paragraph.xpath("./w:r | ./w:hyperlink/w:r") if (run := Run(r, None)).text]
            index = texts.add("".join(run.text for run in runs))
            if index is not None:
                paragraphs.append((runs, index))

    def write(translations: list[str]) -> bytes:
        for runs, index in paragraphs:
            runs[0].text = texts.restore(translations, index)
            for run in runs[1:]:
                run.text = ""
        output = io.BytesIO()
        document.save(output)
        return output.getvalue()

    return texts.cores, write


READERS: dict[str, Reader] = {PLAIN: read_plain, HTML: read_html, DOCX: read_docx}
