"""Lines in reading order, by recursive XY-cut: split the page at its widest blank gap (a gutter
between columns, or the space between blocks), then each part the same way, reading parts left to
right across a vertical cut and top to bottom across a horizontal one.

Before that, a line an engine ran across a wide gap (two columns' lines on one baseline, the cells
of an unruled table row) is split there, as Textract gives one LINE per column and per cell.
"""

from __future__ import annotations

import math
import statistics

from core.ocr import OcrLine
from core.ocr.result import line_of

# A gap between words wider than this many line heights ends a line.
SPLIT_GAP_LINE_HEIGHTS = 1.5
# A vertical gutter must be at least this many line heights wide to be a column boundary; narrower
# blank strips are word spacing that happens to line up.
COLUMN_GAP_LINE_HEIGHTS = 1.0


def _box(line: OcrLine) -> tuple[float, float, float, float]:
    xs = [x for x, _ in line.polygon]
    ys = [y for _, y in line.polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _height(line: OcrLine) -> float:
    left, top, right, bottom = _box(line)
    return max(bottom - top, 1.0)


def without_rules(lines: list[OcrLine]) -> list[OcrLine]:
    """OCR reads a table's vertical rules as "|" words; they are drawing, not text."""
    kept = []
    for line in lines:
        words = [w for w in line.words if w.text.strip("|")]
        if len(words) == len(line.words):
            kept.append(line)
        elif words:
            kept.append(line_of(words))
    return kept


def split_wide_gaps(lines: list[OcrLine]) -> list[OcrLine]:
    result = []
    for line in lines:
        limit = SPLIT_GAP_LINE_HEIGHTS * _height(line)
        parts = [[line.words[0]]] if line.words else []
        for previous, word in zip(line.words, line.words[1:]):
            gap = min(x for x, _ in word.polygon) - max(x for x, _ in previous.polygon)
            if gap > limit:
                parts.append([])
            parts[-1].append(word)
        result += [line] if len(parts) <= 1 else [line_of(part) for part in parts]
    return result


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Blank intervals between the union of spans, as (start, end)."""
    gaps = []
    spans = sorted(spans)
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _skew(lines: list[OcrLine]) -> float:
    """The page's text angle in radians: the median slope of long lines' top edges (engines that
    outline lines as rotated quadrilaterals show it; axis-aligned boxes give 0)."""
    slopes = []
    for line in lines:
        (x0, y0), (x1, y1) = line.polygon[0], line.polygon[1]
        if x1 - x0 > 3 * _height(line):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def _upright_box(line: OcrLine, angle: float) -> tuple[float, float, float, float]:
    """The line's box once the page is turned back by `angle`: on a skewed scan, column gutters
    and the gaps between blocks run at that angle and axis-aligned boxes would cover them."""
    cos, sin = math.cos(-angle), math.sin(-angle)
    turned = [(x * cos - y * sin, x * sin + y * cos) for x, y in line.polygon]
    xs = [x for x, _ in turned]
    ys = [y for _, y in turned]
    return min(xs), min(ys), max(xs), max(ys)


def order(lines: list[OcrLine]) -> list[OcrLine]:
    if len(lines) < 2:
        return list(lines)
    line_height = statistics.median(_height(line) for line in lines)
    angle = _skew(lines)
    return _xy_cut(lines, [_upright_box(line, angle) for line in lines], line_height)


def _xy_cut(lines: list[OcrLine], boxes: list[tuple[float, float, float, float]],
            line_height: float) -> list[OcrLine]:
    if len(lines) < 2:
        return list(lines)
    vertical = [g for g in _gaps([(b[0], b[2]) for b in boxes]) if g[1] - g[0] >= COLUMN_GAP_LINE_HEIGHTS * line_height]
    horizontal = _gaps([(b[1], b[3]) for b in boxes])
    widest_v = max(vertical, key=lambda g: g[1] - g[0], default=None)
    widest_h = max(horizontal, key=lambda g: g[1] - g[0], default=None)
    if widest_v is None and widest_h is None:
        # Nothing separates them (boxes of a skewed scan overlap): the engine's own order, which
        # follows its text lines, beats any sort of tilted boxes.
        return list(lines)
    if widest_h is None or (widest_v is not None and widest_v[1] - widest_v[0] >= widest_h[1] - widest_h[0]):
        axis, cut = 0, (widest_v[0] + widest_v[1]) / 2
    else:
        axis, cut = 1, (widest_h[0] + widest_h[1]) / 2
    before = [i for i, b in enumerate(boxes) if (b[axis] + b[axis + 2]) / 2 < cut]
    after = [i for i, b in enumerate(boxes) if (b[axis] + b[axis + 2]) / 2 >= cut]
    return [*_xy_cut([lines[i] for i in before], [boxes[i] for i in before], line_height),
            *_xy_cut([lines[i] for i in after], [boxes[i] for i in after], line_height)]
