"""Tables on a page: ruled ones from their drawn lines (OpenCV morphology), unruled ones from how
the words line up (rows of several cells whose gaps fall in the same vertical gutters).

A table is a grid of cells with 1-based row and column indexes; a ruled table's cell whose
separating rule is missing is merged with its neighbour (Textract's MERGED_CELL).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from core.ocr import OcrLine, OcrWord
from documents.textract.geometry import Box

# Ruled tables: a rule is a run of dark pixels at least this share of the page's side.
MIN_RULE_SHARE = 1 / 30
# A rule must cover this share of a grid edge to separate two cells there.
EDGE_COVERAGE = 0.5
# Unruled tables: at least this many aligned rows, gutters at least this many line heights wide,
# and cells no wider on average than this share of the page (wider ones are columns of prose).
MIN_ROWS = 3
MIN_GUTTER_LINE_HEIGHTS = 0.8
MAX_CELL_SHARE = 0.3
MAX_ROW_GAP_LINE_HEIGHTS = 2.5


@dataclass
class Cell:
    row: int
    column: int
    box: Box
    words: list[OcrWord] = field(default_factory=list)


@dataclass
class Table:
    box: Box
    rows: int
    columns: int
    cells: list[Cell]  # one per grid position, row by row
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, column, row span, column span)

    def lines_inside(self, lines: list[OcrLine]) -> list[OcrLine]:
        return [line for line in lines if self.box.contains(Box.of(line).center)]


def find_tables(image: np.ndarray, lines: list[OcrLine]) -> list[Table]:
    ruled = _ruled_tables(image, lines)
    outside = [line for line in lines if not any(t.box.contains(Box.of(line).center) for t in ruled)]
    tables = ruled + _unruled_tables(outside, image.shape[1])
    return sorted(tables, key=lambda t: (t.box.top, t.box.left))


def _fill(cells: list[Cell], lines: list[OcrLine]) -> None:
    for line in lines:
        for word in line.words:
            center = Box.of(word).center
            cell = next((c for c in cells if c.box.contains(center)), None)
            if cell is not None:
                cell.words.append(word)


def _rule_positions(mask: np.ndarray, axis: int, min_coverage: float) -> list[int]:
    """Centres of the rows (axis=1) or columns (axis=0) of `mask` that are covered enough, with
    adjacent ones (a thick rule) taken as one."""
    coverage = mask.mean(axis=axis) / 255
    positions, run = [], []
    for index, share in enumerate(coverage):
        if share >= min_coverage:
            run.append(index)
        elif run:
            positions.append(int(np.mean(run)))
            run = []
    if run:
        positions.append(int(np.mean(run)))
    return positions


def _ruled_tables(image: np.ndarray, lines: list[OcrLine]) -> list[Table]:
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    height, width = gray.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(10, int(width * MIN_RULE_SHARE))), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(10, int(height * MIN_RULE_SHARE)), 1), np.uint8))
    grid = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid)
    tables = []
    for left, top, w, h, _ in stats[1:count]:
        if w < width * 0.1 or h < height * 0.02:
            continue
        region = (slice(top, top + h), slice(left, left + w))
        rows = [top + y for y in _rule_positions(horizontal[region], 1, 0.3)]
        columns = [left + x for x in _rule_positions(vertical[region], 0, 0.15)]
        if len(rows) >= 2 and len(columns) >= 2:
            table = _grid_table(rows, columns, horizontal, vertical)
            _fill(table.cells, lines)
            tables.append(table)
    return tables


def _grid_table(rows: list[int], columns: list[int], horizontal: np.ndarray, vertical: np.ndarray) -> Table:
    n_rows, n_columns = len(rows) - 1, len(columns) - 1
    cells = [Cell(r + 1, c + 1, Box(columns[c], rows[r], columns[c + 1], rows[r + 1]))
             for r in range(n_rows) for c in range(n_columns)]
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def covered(mask: np.ndarray, ys: slice, xs: slice, axis: int) -> bool:
        band = mask[ys, xs]
        return band.size > 0 and (band.max(axis=axis) > 0).mean() >= EDGE_COVERAGE

    for r in range(n_rows):
        for c in range(n_columns):
            here = r * n_columns + c
            inner_y = slice(rows[r] + 2, rows[r + 1] - 1)
            inner_x = slice(columns[c] + 2, columns[c + 1] - 1)
            x = columns[c + 1] if c + 1 < n_columns else None
            if x is not None and not covered(vertical, inner_y, slice(max(x - 3, 0), x + 4), 1):
                parent[root(here + 1)] = root(here)
            y = rows[r + 1] if r + 1 < n_rows else None
            if y is not None and not covered(horizontal, slice(max(y - 3, 0), y + 4), inner_x, 0):
                parent[root(here + n_columns)] = root(here)
    groups: dict[int, list[Cell]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    merged = []
    for group in groups.values():
        if len(group) > 1:
            first_row, first_column = min(c.row for c in group), min(c.column for c in group)
            merged.append((first_row, first_column, max(c.row for c in group) - first_row + 1,
                           max(c.column for c in group) - first_column + 1))
    return Table(Box(columns[0], rows[0], columns[-1], rows[-1]), n_rows, n_columns, cells, merged)


def _rows_of(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Lines grouped into rows that share a baseline band, top to bottom, each row left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda line: Box.of(line).center[1]):
        box = Box.of(line)
        if rows and Box.enclosing(rows[-1]).vertical_overlap(box) >= 0.5:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: Box.of(line).left) for row in rows]


def _unruled_tables(lines: list[OcrLine], page_width: int) -> list[Table]:
    if not lines:
        return []
    line_height = statistics.median(Box.of(line).height for line in lines)
    tables, run = [], []
    for row in [*_rows_of(lines), []]:
        box = Box.enclosing(row) if row else None
        continues = bool(run) and box is not None and \
            box.top - Box.enclosing(run[-1]).bottom <= MAX_ROW_GAP_LINE_HEIGHTS * line_height
        if len(row) >= 2 and (continues or not run):
            run.append(row)
            continue
        if len(run) >= MIN_ROWS:
            table = _aligned_table(run, line_height, page_width)
            if table is not None:
                tables.append(table)
        run = [row] if len(row) >= 2 else []
    return tables


def _aligned_table(rows: list[list[OcrLine]], line_height: float, page_width: int) -> Table | None:
    segments = [Box.of(line) for row in rows for line in row]
    if statistics.mean(b.width for b in segments) > MAX_CELL_SHARE * page_width:
        return None
    spans = sorted((b.left, b.right) for b in segments)
    gutters, reach = [], spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= MIN_GUTTER_LINE_HEIGHTS * line_height:
            gutters.append((reach + start) / 2)
        reach = max(reach, end)
    if not gutters:
        return None
    edges = [min(b.left for b in segments), *gutters, max(b.right for b in segments)]
    row_boxes = [Box.enclosing(row) for row in rows]
    cells = [Cell(r + 1, c + 1, Box(edges[c], row_boxes[r].top, edges[c + 1], row_boxes[r].bottom))
             for r in range(len(rows)) for c in range(len(edges) - 1)]
    _fill(cells, [line for row in rows for line in row])
    return Table(Box(edges[0], row_boxes[0].top, edges[-1], row_boxes[-1].bottom), len(rows), len(edges) - 1, cells)
