"""HTML, XML and Markdown: text without the markup, paragraphs kept apart, the title where one is named."""

from __future__ import annotations

import re

from documents.parsers.parsed import ParsedDocument, decode

# Elements whose end is the end of a paragraph.
_BLOCKS = ["p", "div", "section", "article", "li", "dd", "dt", "pre", "blockquote", "table", "tr",
           "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "th"]
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _tidy(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in _BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _soup_text(soup) -> str:
    for node in soup(["script", "style", "noscript", "template", "head"]):
        node.decompose()
    for node in soup.find_all(_BLOCKS):
        node.insert_after("\n\n")
    return _tidy(soup.get_text(" "))


def parse_html(data: bytes) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data), "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    if not title and (heading := soup.find("h1")):
        title = heading.get_text(" ", strip=True)
    return ParsedDocument(_soup_text(soup), title or None)


def parse_xml(data: bytes) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data), "lxml-xml")
    if soup.find() is None:
        raise ValueError("no XML element")
    return ParsedDocument(_tidy("\n\n".join(soup.stripped_strings)))


def parse_markdown(data: bytes) -> ParsedDocument:
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    source = decode(data)
    soup = BeautifulSoup(MarkdownIt("commonmark").enable("table").render(source), "lxml")
    heading = soup.find(["h1", "h2"])
    title = heading.get_text(" ", strip=True) if heading else None
    return ParsedDocument(_soup_text(soup), title)
