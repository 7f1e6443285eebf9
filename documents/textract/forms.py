"""Form fields: key-value pairs and check boxes, by layout heuristics (no key-value model ships
offline). A key is a label ending in a colon, its value the rest of its line, the next cell on its
row, or the line just below; a check box is a small hollow square, SELECTED when its inside is
inked, and its key is the label beside it.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

import numpy as np

from core.ocr import OcrLine, OcrWord
from documents.textract.geometry import Box

# A check box's side, in line heights, and how much of its inside must be inked to be checked.
BOX_SIDE_LINE_HEIGHTS = (0.6, 2.2)
CHECKED_INK_SHARE = 0.12
# A label may be this many words; more is a sentence that happens to contain a colon.
MAX_KEY_WORDS = 6
_URL_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass
class SelectionElement:
    box: Box
    selected: bool
    confidence: float


@dataclass
class KeyValue:
    key: list[OcrWord]
    value: list[OcrWord]
    selection: SelectionElement | None = None

    @property
    def key_text(self) -> str:
        return " ".join(w.text for w in self.key).rstrip(":").strip()

    @property
    def value_text(self) -> str:
        if self.selection is not None:
            return "SELECTED" if self.selection.selected else "NOT_SELECTED"
        return " ".join(w.text for w in self.value)


def find_selection_elements(image: np.ndarray, lines: list[OcrLine]) -> list[SelectionElement]:
    import cv2

    if not lines:
        return []
    line_height = statistics.median(Box.of(line).height for line in lines)
    low, high = (line_height * share for share in BOX_SIDE_LINE_HEIGHTS)
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found: list[SelectionElement] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (low <= w <= high and low <= h <= high and 0.8 <= w / h <= 1.25):
            continue
        approx = cv2.approxPolyDP(contour, 0.08 * cv2.arcLength(contour, True), True)
        if len(approx) != 4 or cv2.contourArea(contour) < 0.7 * w * h:
            continue
        box = Box(x, y, x + w, y + h)
        if not _square_outline(ink[y:y + h, x:x + w]):
            continue  # a letter such as O or D: rounded or open sides
        if any(abs(box.left - f.box.left) < w / 2 and abs(box.top - f.box.top) < h / 2 for f in found):
            continue  # the inner and outer edges of one drawn square
        # The border's own ink is left out: only the inside tells checked from empty.
        margin = max(2, int(0.2 * w))
        inside = ink[y + margin:y + h - margin, x + margin:x + w - margin]
        share = float(inside.mean() / 255) if inside.size else 0.0
        # Confidence grows with how far the ink share is from the threshold.
        confidence = 100 * min(1.0, 0.6 + abs(share - CHECKED_INK_SHARE))
        found.append(SelectionElement(box, share >= CHECKED_INK_SHARE, confidence))
    return sorted(found, key=lambda s: (s.box.top, s.box.left))


def _square_outline(patch: np.ndarray) -> bool:
    """Whether all four sides of the patch are straight inked strokes."""
    band = max(2, patch.shape[0] // 8)
    sides = (patch[:band, :], patch[-band:, :], patch[:, :band].T, patch[:, -band:].T)
    return all((side.max(axis=0) > 0).mean() >= 0.9 for side in sides)


def find_key_values(lines: list[OcrLine], selections: list[SelectionElement]) -> list[KeyValue]:
    pairs: list[KeyValue] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        if index in used:
            continue
        colon = next((i for i, w in enumerate(line.words[:MAX_KEY_WORDS])
                      if w.text.endswith(":") and not _URL_LIKE.match(w.text)), None)
        if colon is None:
            continue
        key, value = line.words[:colon + 1], line.words[colon + 1:]
        if not value:
            follower = _value_line(index, lines, used)
            if follower is not None:
                used.add(follower)
                value = lines[follower].words
        pairs.append(KeyValue(key, value))
    for selection in selections:
        label = _label_beside(selection, lines)
        if label:
            pairs.append(KeyValue(label, [], selection))
    return pairs


def _value_line(index: int, lines: list[OcrLine], used: set[int]) -> int | None:
    """The line holding a bare key's value: the next one on its row to the right, else the one right below."""
    key = Box.of(lines[index])
    boxes = [Box.of(line) for line in lines]
    beside = [(box.left, i) for i, box in enumerate(boxes)
              if i != index and i not in used and box.left > key.right and box.vertical_overlap(key) > 0.5]
    if beside:
        return min(beside)[1]
    below = [(box.top, i) for i, box in enumerate(boxes)
             if i not in used and 0 <= box.top - key.bottom <= 1.5 * key.height
             and abs(box.left - key.left) <= 2 * key.height and not lines[i].text.rstrip().endswith(":")]
    return min(below)[1] if below else None


def _label_beside(selection: SelectionElement, lines: list[OcrLine]) -> list[OcrWord]:
    """The words of the nearest line to the right of a check box on its row (a label such as "Yes").
    OCR may have read the box itself as a character ("□") at the line's start: words from the box's
    right edge on count."""
    box = selection.box
    candidates = []
    for line in lines:
        words = [w for w in line.words if Box.of(w).left >= box.right - 2]
        if words and Box.of(line).vertical_overlap(box) > 0.4:
            gap = Box.of(words[0]).left - box.right
            if gap <= 4 * box.height:
                candidates.append((gap, words))
    return min(candidates, key=lambda pair: pair[0])[1] if candidates else []
