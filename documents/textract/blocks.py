"""Textract Blocks from what was found on a page: ids, geometry as page ratios, relationships.

AWS lists a page's blocks as PAGE, then its LINEs, then their WORDs, then the blocks of each
analysis feature; a PAGE's CHILD ids are its top-level blocks (LINEs, TABLEs, KEY_VALUE_SETs,
LAYOUT_*). Confidences are percentages.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from core.geometry import BoundingBox
from core.geometry import Point as PointShape
from core.ocr import OcrLine, OcrWord
from core.ocr.result import Point, box_polygon
from documents.textract.shapes import Block, Geometry, Relationship


def new_id() -> str:
    return str(uuid.uuid4())


class PageBlocks:
    """The blocks of one page, in AWS's order, with ids to link them."""

    def __init__(self, number: int, width: int, height: int) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.page = Block(BlockType="PAGE", Id=new_id(), Page=number,
                          Geometry=self.geometry(box_polygon(0, 0, width, height)))
        self.blocks: list[Block] = [self.page]
        self.top_level: list[str] = []
        # id(OcrLine) / id(OcrWord) -> its LINE / WORD block's Id, for the features that cite them.
        self.line_ids: dict[int, str] = {}
        self.word_ids: dict[int, str] = {}

    def geometry(self, polygon: Sequence[Point]) -> Geometry:
        clamp = lambda v: min(max(v, 0.0), 1.0)  # noqa: E731
        points = [(clamp(x / self.width), clamp(y / self.height)) for x, y in polygon]
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return Geometry(
            BoundingBox=BoundingBox(Width=max(xs) - min(xs), Height=max(ys) - min(ys), Left=min(xs), Top=min(ys)),
            Polygon=[PointShape(X=x, Y=y) for x, y in points],
        )

    def add(self, block_type: str, polygon: Sequence[Point] | None, *, top_level: bool = False, **members) -> Block:
        """A block of this page; one without a polygon (a QUERY) has no Geometry."""
        block = Block(BlockType=block_type, Id=new_id(), Page=self.number,
                      Geometry=self.geometry(polygon) if polygon else None, **members)
        self.blocks.append(block)
        if top_level:
            self.top_level.append(block.Id)
        return block

    def add_text(self, lines: list[OcrLine]) -> None:
        """LINE blocks in reading order, then every line's WORD blocks."""
        line_blocks = [self.add("LINE", line.polygon, top_level=True, Text=line.text,
                                Confidence=100 * line.confidence) for line in lines]
        for line, line_block in zip(lines, line_blocks):
            self.line_ids[id(line)] = line_block.Id
            ids = [self._word(word).Id for word in line.words]
            line_block.Relationships = [Relationship(Type="CHILD", Ids=ids)]

    def _word(self, word: OcrWord) -> Block:
        block = self.add("WORD", word.polygon, Text=word.text, TextType="PRINTED", Confidence=100 * word.confidence)
        self.word_ids[id(word)] = block.Id
        return block

    def words_of(self, words: Sequence[OcrWord]) -> list[str]:
        return [self.word_ids[id(w)] for w in words if id(w) in self.word_ids]

    def finish(self) -> list[Block]:
        if self.top_level:
            self.page.Relationships = [Relationship(Type="CHILD", Ids=list(self.top_level))]
        return self.blocks
