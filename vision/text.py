"""DetectText: LINE and WORD detections from the OCR engine shared with Textract (core/ocr), each
with a ratio BoundingBox and Polygon; words name their line as ParentId. Filters as AWS applies
them: WordFilter on words (a line left with no word goes too) and RegionsOfInterest on centres."""

from __future__ import annotations

from typing import Any

import pydantic

from core import ocr
from core.geometry import Point
from core.ocr import OcrLine
from core.service import Shape, operation
from vision.images import DecodedImage
from vision.shapes import BoundingBox, BoundingBoxShape, Image

TEXT_MODEL_VERSION = "3.0"
MAX_REGIONS = 10


class DetectionFilter(Shape):
    MinConfidence: float | None = pydantic.Field(default=None, ge=0, le=100)
    MinBoundingBoxHeight: float | None = pydantic.Field(default=None, ge=0, le=1)
    MinBoundingBoxWidth: float | None = pydantic.Field(default=None, ge=0, le=1)


class RegionOfInterest(Shape):
    BoundingBox: BoundingBoxShape | None = None
    Polygon: list[Point] | None = None


class DetectTextFilters(Shape):
    WordFilter: DetectionFilter | None = None
    RegionsOfInterest: list[RegionOfInterest] | None = pydantic.Field(default=None, max_length=MAX_REGIONS)


class DetectTextRequest(Shape):
    Image: Image
    Filters: DetectTextFilters | None = None


class Geometry(Shape):
    BoundingBox: BoundingBox
    Polygon: list[Point]


class TextDetection(Shape):
    DetectedText: str
    Type: str
    Id: int
    ParentId: int | None = None
    Confidence: float
    Geometry: Geometry


class DetectTextResponse(Shape):
    TextDetections: list[TextDetection]
    TextModelVersion: str = TEXT_MODEL_VERSION


def _geometry(polygon: list[tuple[float, float]], width: int, height: int) -> Geometry:
    points = [Point(X=x / width, Y=y / height) for x, y in polygon]
    xs, ys = [p.X for p in points], [p.Y for p in points]
    box = BoundingBox(Left=min(xs), Top=min(ys), Width=max(xs) - min(xs), Height=max(ys) - min(ys))
    return Geometry(BoundingBox=box, Polygon=points)


def _inside(geometry: Geometry, region: RegionOfInterest) -> bool:
    """A detection is in a region when its centre is (AWS: "at least half of its area")."""
    box = geometry.BoundingBox
    cx, cy = box.Left + box.Width / 2, box.Top + box.Height / 2
    if region.BoundingBox is not None:
        r = region.BoundingBox
        return r.Left <= cx <= r.Left + r.Width and r.Top <= cy <= r.Top + r.Height
    if region.Polygon:
        # Ray casting: the centre is inside when a ray from it crosses the outline an odd number of times.
        inside, points = False, region.Polygon
        for a, b in zip(points, points[1:] + points[:1]):
            if (a.Y > cy) != (b.Y > cy) and cx < a.X + (cy - a.Y) * (b.X - a.X) / (b.Y - a.Y):
                inside = not inside
        return inside
    return True


def _kept(geometry: Geometry, confidence: float, filters: DetectTextFilters | None, *, word: bool) -> bool:
    if filters is None:
        return True
    if filters.RegionsOfInterest and not any(_inside(geometry, r) for r in filters.RegionsOfInterest):
        return False
    rule = filters.WordFilter
    if not word or rule is None:
        return True
    box = geometry.BoundingBox
    return (confidence >= (rule.MinConfidence or 0) and box.Height >= (rule.MinBoundingBoxHeight or 0)
            and box.Width >= (rule.MinBoundingBoxWidth or 0))


def text_detections(lines: list[OcrLine], width: int, height: int,
                    filters: DetectTextFilters | None) -> list[TextDetection]:
    """All LINEs first, then all WORDs (AWS's order), numbered from 0; a line whose words were all
    filtered out is dropped with them."""
    kept_lines: list[tuple[OcrLine, Geometry, list[TextDetection]]] = []
    for line in lines:
        geometry = _geometry(line.polygon, width, height)
        if not _kept(geometry, line.confidence * 100, filters, word=False):
            continue
        words = []
        for word in line.words:
            word_geometry = _geometry(word.polygon, width, height)
            if _kept(word_geometry, word.confidence * 100, filters, word=True):
                words.append(TextDetection(DetectedText=word.text, Type="WORD", Id=0, Confidence=word.confidence * 100,
                                           Geometry=word_geometry))
        if words or not line.words:
            kept_lines.append((line, geometry, words))
    detections = [TextDetection(DetectedText=" ".join(w.DetectedText for w in words) or line.text, Type="LINE",
                                Id=index, Confidence=line.confidence * 100, Geometry=geometry)
                  for index, (line, geometry, words) in enumerate(kept_lines)]
    next_id = len(detections)
    for line_id, (_, _, words) in enumerate(kept_lines):
        for word in words:
            detections.append(word.model_copy(update={"Id": next_id, "ParentId": line_id}))
            next_id += 1
    return detections


class TextOperations:
    _models: Any

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        raise NotImplementedError

    @operation(text_out=("TextDetections[*].DetectedText",))
    def detect_text(self, request: DetectTextRequest) -> DetectTextResponse:
        """Lines and words of text in the image, with their geometry."""
        image = self._image(request.Image)
        lines = self._models.get(ocr.CAPABILITY).read(image.pixels)
        return DetectTextResponse(TextDetections=text_detections(lines, image.width, image.height, request.Filters))
