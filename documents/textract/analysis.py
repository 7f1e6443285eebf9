"""AnalyzeDocument's features on one page, as Textract blocks: TABLES (TABLE, CELL, MERGED_CELL),
FORMS (KEY_VALUE_SET, SELECTION_ELEMENT), QUERIES (QUERY, QUERY_RESULT) and LAYOUT (LAYOUT_*).
SIGNATURES is accepted and finds nothing: no signature detector ships offline.
"""

from __future__ import annotations

import statistics

import numpy as np

from core.errors import InvalidParameter
from core.ocr import OcrLine, OcrWord
from documents.textract import layout
from documents.textract.blocks import PageBlocks
from documents.textract.forms import KeyValue, SelectionElement, find_key_values, find_selection_elements
from documents.textract.geometry import Box
from documents.textract.queries import answer, on_page
from documents.textract.shapes import Block, QueriesConfig, Query, Relationship
from documents.textract.tables import Table, find_tables


def check_features(features: list[str], queries: QueriesConfig | None) -> list[str]:
    """The distinct features asked for, after AWS's checks on FeatureTypes and QueriesConfig."""
    if not features:
        raise InvalidParameter("FeatureTypes needs at least one of TABLES, FORMS, QUERIES, SIGNATURES, LAYOUT.")
    if ("QUERIES" in features) != (queries is not None):
        raise InvalidParameter("QueriesConfig must be given exactly when FeatureTypes includes QUERIES.")
    return list(dict.fromkeys(features))


def _confidence(words: list[OcrWord], default: float = 90.0) -> float:
    return 100 * statistics.mean(w.confidence for w in words) if words else default


def analyze_page(blocks: PageBlocks, image: np.ndarray, lines: list[OcrLine], features: list[str],
                 queries: QueriesConfig | None) -> None:
    tables = find_tables(image, lines) if {"TABLES", "LAYOUT"} & set(features) else []
    in_tables = {id(line) for table in tables for line in table.lines_inside(lines)}
    selections = find_selection_elements(image, lines) if {"FORMS", "TABLES", "QUERIES"} & set(features) else []
    selection_ids = {id(s): blocks.add("SELECTION_ELEMENT", s.box.polygon, SelectionStatus=(
        "SELECTED" if s.selected else "NOT_SELECTED"), Confidence=s.confidence).Id
        for s in selections if {"FORMS", "TABLES"} & set(features)}
    key_values = find_key_values([line for line in lines if id(line) not in in_tables], selections) \
        if {"FORMS", "QUERIES", "LAYOUT"} & set(features) else []
    if "TABLES" in features:
        for table in tables:
            _add_table(blocks, table, selections, selection_ids)
    if "FORMS" in features:
        for pair in key_values:
            _add_key_value(blocks, pair, selection_ids)
    if "QUERIES" in features:
        for query in queries.Queries:  # type: ignore[union-attr]
            if on_page(query.Pages, blocks.number):
                _add_query(blocks, query, key_values, lines)
    if "LAYOUT" in features:
        _add_layout(blocks, lines, tables, key_values)


def _add_table(blocks: PageBlocks, table: Table, selections: list[SelectionElement],
               selection_ids: dict[int, str]) -> None:
    table_block = blocks.add("TABLE", table.box.polygon, top_level=True, EntityTypes=["STRUCTURED_TABLE"],
                             Confidence=statistics.mean(_confidence(cell.words) for cell in table.cells))
    cell_ids: dict[tuple[int, int], str] = {}
    for cell in table.cells:
        ids = blocks.words_of(cell.words) + [selection_ids[id(s)] for s in selections
                                             if id(s) in selection_ids and cell.box.contains(s.box.center)]
        cell_ids[(cell.row, cell.column)] = blocks.add(
            "CELL", cell.box.polygon, RowIndex=cell.row, ColumnIndex=cell.column, RowSpan=1, ColumnSpan=1,
            Confidence=_confidence(cell.words),
            EntityTypes=["COLUMN_HEADER"] if cell.row == 1 and table.rows > 1 else None,
            Relationships=[Relationship(Type="CHILD", Ids=ids)] if ids else None).Id
    merged_ids = []
    for row, column, row_span, column_span in table.merged:
        spanned = [c for c in table.cells
                   if row <= c.row < row + row_span and column <= c.column < column + column_span]
        merged_ids.append(blocks.add(
            "MERGED_CELL", Box.around([c.box for c in spanned]).polygon, RowIndex=row, ColumnIndex=column,
            RowSpan=row_span, ColumnSpan=column_span, Confidence=table_block.Confidence,
            Relationships=[Relationship(Type="CHILD", Ids=[cell_ids[(c.row, c.column)] for c in spanned])]).Id)
    table_block.Relationships = [Relationship(Type="CHILD", Ids=list(cell_ids.values()))]
    if merged_ids:
        table_block.Relationships.append(Relationship(Type="MERGED_CELL", Ids=merged_ids))


def _add_key_value(blocks: PageBlocks, pair: KeyValue, selection_ids: dict[int, str]) -> None:
    key_box = Box.enclosing(pair.key)
    if pair.selection is not None:
        value_box, children = pair.selection.box, [selection_ids[id(pair.selection)]]
    elif pair.value:
        value_box, children = Box.enclosing(pair.value), blocks.words_of(pair.value)
    else:  # a key with an empty field: the value is the blank just after it
        value_box, children = Box(key_box.right, key_box.top, key_box.right + key_box.height, key_box.bottom), []
    # AWS lists a key before its value.
    key = blocks.add("KEY_VALUE_SET", key_box.polygon, top_level=True, EntityTypes=["KEY"],
                     Confidence=_confidence(pair.key))
    value = blocks.add("KEY_VALUE_SET", value_box.polygon, top_level=True, EntityTypes=["VALUE"],
                       Confidence=pair.selection.confidence if pair.selection else _confidence(pair.value, 50.0),
                       Relationships=[Relationship(Type="CHILD", Ids=children)] if children else None)
    key.Relationships = [Relationship(Type="VALUE", Ids=[value.Id]),
                         Relationship(Type="CHILD", Ids=blocks.words_of(pair.key))]


def _add_query(blocks: PageBlocks, query: Query, key_values: list[KeyValue], lines: list[OcrLine]) -> None:
    block = blocks.add("QUERY", None, Query=query)
    found = answer(query.Text, key_values, lines)
    if found is None or not found.text:
        return
    polygon = Box.enclosing(found.words).polygon if found.words else None
    result = blocks.add("QUERY_RESULT", polygon, Text=found.text, Confidence=found.confidence)
    block.Relationships = [Relationship(Type="ANSWER", Ids=[result.Id])]


def _add_layout(blocks: PageBlocks, lines: list[OcrLine], tables: list[Table], key_values: list[KeyValue]) -> None:
    special = {id(line): "LAYOUT_TABLE" for table in tables for line in table.lines_inside(lines)}
    pair_words = {id(w) for pair in key_values for w in [*pair.key, *pair.value]}
    special |= {id(line): "LAYOUT_KEY_VALUE" for line in lines
                if id(line) not in special and line.words and all(id(w) in pair_words for w in line.words)}
    for region in layout.regions(lines, (blocks.width, blocks.height), blocks.number, special):
        if region.items:
            children = [_layout_block(blocks, "LAYOUT_TEXT", item, top_level=False).Id for item in region.items]
            block = blocks.add("LAYOUT_LIST", _around(region.lines), top_level=True, Confidence=80.0)
            block.Relationships = [Relationship(Type="CHILD", Ids=children)]
        else:
            _layout_block(blocks, region.kind, region.lines, top_level=True)


def _around(lines: list[OcrLine]):
    return Box.enclosing(lines).polygon


def _layout_block(blocks: PageBlocks, kind: str, lines: list[OcrLine], *, top_level: bool) -> Block:
    # A layout guess is less sure than the text it groups.
    confidence = 0.9 * _confidence([w for line in lines for w in line.words], 80.0)
    return blocks.add(kind, _around(lines), top_level=top_level, Confidence=confidence,
                      Relationships=[Relationship(Type="CHILD", Ids=[blocks.line_ids[id(line)] for line in lines])])
