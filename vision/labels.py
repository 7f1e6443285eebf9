"""DetectLabels: image-level labels from the ImageNet classifier with WordNet Parents and
Categories, Person and Face instances from MediaPipe, and the instances of every class of the
user's own detector when one is configured (vision/engines/detector_*.py)."""

from __future__ import annotations

from typing import Any, Literal

import pydantic

from core.errors import ModelUnavailable
from core.service import Shape, operation
from vision.engines import detector, faces_mediapipe, labels_efficientnet
from vision.engines.faces_mediapipe import Box
from vision.face_details import quality, ratio_box
from vision.images import DecodedImage
from vision.label_taxonomy import ScoredLabel, labels_from_probabilities
from vision.shapes import BoundingBox, Image

LABEL_MODEL_VERSION = "3.0"
DEFAULT_MIN_CONFIDENCE = 55.0  # AWS's default


class GeneralLabelsSettings(Shape):
    LabelInclusionFilters: list[str] | None = None
    LabelExclusionFilters: list[str] | None = None
    LabelCategoryInclusionFilters: list[str] | None = None
    LabelCategoryExclusionFilters: list[str] | None = None


class DetectLabelsSettings(Shape):
    GeneralLabels: GeneralLabelsSettings | None = None


class DetectLabelsRequest(Shape):
    Image: Image
    MaxLabels: int | None = pydantic.Field(default=None, ge=0)
    MinConfidence: float | None = pydantic.Field(default=None, ge=0, le=100)
    Features: list[Literal["GENERAL_LABELS", "IMAGE_PROPERTIES"]] | None = None
    Settings: DetectLabelsSettings | None = None


class Instance(Shape):
    BoundingBox: BoundingBox
    Confidence: float


class Named(Shape):
    Name: str


class Label(Shape):
    Name: str
    Confidence: float
    Instances: list[Instance] = []
    Parents: list[Named] = []
    Aliases: list[Named] = []
    Categories: list[Named] = []


class DetectLabelsImageQuality(Shape):
    Brightness: float
    Sharpness: float
    Contrast: float


class DetectLabelsImageProperties(Shape):
    Quality: DetectLabelsImageQuality


class DetectLabelsResponse(Shape):
    Labels: list[Label] | None = None
    LabelModelVersion: str = LABEL_MODEL_VERSION
    ImageProperties: DetectLabelsImageProperties | None = None


def _matches(label: ScoredLabel, settings: GeneralLabelsSettings | None) -> bool:
    """AWS's label and category filters, compared without regard to case."""
    if settings is None:
        return True

    def folded(values: list[str] | None) -> set[str] | None:
        return None if values is None else {v.casefold() for v in values}

    name, category = label.name.casefold(), label.category.casefold()
    include, exclude = folded(settings.LabelInclusionFilters), folded(settings.LabelExclusionFilters)
    include_cat = folded(settings.LabelCategoryInclusionFilters)
    exclude_cat = folded(settings.LabelCategoryExclusionFilters)
    if include and name not in include:
        return False
    if exclude and name in exclude:
        return False
    if include_cat and category not in include_cat:
        return False
    return not (exclude_cat and category in exclude_cat)


def _to_label(label: ScoredLabel) -> Label:
    return Label(Name=label.name, Confidence=label.confidence, Instances=label.instances,
                 Parents=[Named(Name=p) for p in label.parents], Categories=[Named(Name=label.category)])


def _image_quality(image: DecodedImage) -> DetectLabelsImageProperties:
    whole = Box(0, 0, image.width, image.height)
    measured = quality(image.pixels, whole)
    contrast = float(image.pixels.mean(axis=2).std()) / 128 * 100  # RMS contrast of the luma, 0..100
    return DetectLabelsImageProperties(Quality=DetectLabelsImageQuality(
        Brightness=measured.Brightness, Sharpness=measured.Sharpness, Contrast=min(100.0, contrast)))


class LabelOperations:
    _models: Any

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        raise NotImplementedError

    def _people(self, image: DecodedImage) -> list[ScoredLabel]:
        """Person and Face labels with a box per person and per face."""
        engine = self._models.get(faces_mediapipe.CAPABILITY)
        faces = engine.faces(image.pixels, with_mesh=False)
        if not faces:
            return []
        best = max(f.score for f in faces) * 100
        face_label = ScoredLabel("Face", best, ("Head", "Person"), "Person Description")
        person_label = ScoredLabel("Person", best, (), "Person Description")
        for face in faces:
            face_label.instances.append(
                Instance(BoundingBox=ratio_box(face.box, image.width, image.height), Confidence=face.score * 100))
            body = engine.person(image.pixels, face.box)
            if body is not None:
                person_label.instances.append(
                    Instance(BoundingBox=ratio_box(body, image.width, image.height), Confidence=face.score * 100))
        return [person_label, face_label, ScoredLabel("Head", best, ("Person",), "Person Description")]

    def _detected_objects(self, image: DecodedImage) -> list[ScoredLabel]:
        """The user's own detector's boxes, one label per class it found; nothing when none is set."""
        try:
            engine = self._models.get(detector.CAPABILITY)
        except ModelUnavailable:
            if detector.CAPABILITY in self._models.settings.models:
                raise  # configured but broken: say so rather than answer without it
            return []
        found: dict[str, ScoredLabel] = {}
        for d in engine.detect(image.pixels):
            name = " ".join(word[:1].upper() + word[1:] for word in d.name.replace("_", " ").split())
            label = found.setdefault(name, ScoredLabel(name, 0.0, (), "Everyday Objects"))
            label.confidence = max(label.confidence, d.score * 100)
            label.instances.append(
                Instance(BoundingBox=ratio_box(d.box, image.width, image.height), Confidence=d.score * 100))
        return list(found.values())

    def _labels(self, image: DecodedImage, general: GeneralLabelsSettings | None, min_confidence: float | None,
                max_labels: int | None) -> list[Label]:
        """The image's labels above the floor, passing the filters, most confident first."""
        probabilities = self._models.get(labels_efficientnet.CAPABILITY).classify(image.pixels)
        scored = labels_from_probabilities(probabilities)
        for extra in [*self._people(image), *self._detected_objects(image)]:
            known = scored.get(extra.name)
            if known is None:
                scored[extra.name] = extra
            else:  # the classifier and a detector agree: keep the higher confidence and the boxes
                known.confidence = max(known.confidence, extra.confidence)
                known.instances.extend(extra.instances)
        floor = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
        kept = sorted((s for s in scored.values() if s.confidence >= floor and _matches(s, general)),
                      key=lambda s: -s.confidence)
        return [_to_label(s) for s in (kept if max_labels is None else kept[:max_labels])]

    @operation
    def detect_labels(self, request: DetectLabelsRequest) -> DetectLabelsResponse:
        """Labels of what the image shows, with boxes for people, faces and the user's detector's classes."""
        image = self._image(request.Image)
        features = request.Features or ["GENERAL_LABELS"]
        response = DetectLabelsResponse()
        if "GENERAL_LABELS" in features:
            general = request.Settings.GeneralLabels if request.Settings else None
            response.Labels = self._labels(image, general, request.MinConfidence, request.MaxLabels)
        if "IMAGE_PROPERTIES" in features:
            response.ImageProperties = _image_quality(image)
        return response
