"""DetectModerationLabels: NudeNet's body parts and Open-NSFW's whole-image score mapped onto
Rekognition's moderation taxonomy (version 7: three levels, each label naming its ParentName).

Only the nudity and swimwear branches of AWS's taxonomy have a model here; violence, drugs,
hate symbols and the rest are never reported rather than guessed.
"""

from __future__ import annotations

from typing import Any

import pydantic

from core.service import Shape, operation
from vision.engines import moderation_nudenet, moderation_open_nsfw
from vision.images import DecodedImage
from vision.shapes import Image

MODERATION_MODEL_VERSION = "7.0"
DEFAULT_MIN_CONFIDENCE = 50.0  # AWS's default

# Each label's parent in AWS's taxonomy; top-level labels have none.
PARENTS: dict[str, str | None] = {
    "Explicit": None,
    "Explicit Nudity": "Explicit",
    "Exposed Female Genitalia": "Explicit Nudity",
    "Exposed Male Genitalia": "Explicit Nudity",
    "Exposed Buttocks or Anus": "Explicit Nudity",
    "Exposed Female Nipple": "Explicit Nudity",
    "Non-Explicit Nudity of Intimate parts and Kissing": None,
    "Non-Explicit Nudity": "Non-Explicit Nudity of Intimate parts and Kissing",
    "Exposed Male Nipple": "Non-Explicit Nudity",
    "Swimwear or Underwear": None,
    "Female Swimwear or Underwear": "Swimwear or Underwear",
}
# NudeNet's classes that are moderation labels; faces, feet, armpits and bellies are not.
PART_LABELS = {
    "FEMALE_GENITALIA_EXPOSED": "Exposed Female Genitalia",
    "MALE_GENITALIA_EXPOSED": "Exposed Male Genitalia",
    "BUTTOCKS_EXPOSED": "Exposed Buttocks or Anus",
    "ANUS_EXPOSED": "Exposed Buttocks or Anus",
    "FEMALE_BREAST_EXPOSED": "Exposed Female Nipple",
    "MALE_BREAST_EXPOSED": "Exposed Male Nipple",
    "FEMALE_BREAST_COVERED": "Female Swimwear or Underwear",
    "FEMALE_GENITALIA_COVERED": "Female Swimwear or Underwear",
}
# Open-NSFW speaks for the whole image: its score backs "Explicit Nudity" directly.
WHOLE_IMAGE_LABEL = "Explicit Nudity"


def _level(name: str) -> int:
    parent = PARENTS[name]
    return 1 if parent is None else 1 + _level(parent)


def moderation_confidences(parts: dict[str, float], nsfw_score: float) -> dict[str, float]:
    """Label -> confidence 0..100 from NudeNet's best score per class and Open-NSFW's score; a
    parent is as confident as its most confident child."""
    found: dict[str, float] = {}

    def raise_to(name: str, confidence: float) -> None:
        while name is not None:
            found[name] = max(found.get(name, 0.0), confidence)
            name = PARENTS[name]

    for part, score in parts.items():
        if part in PART_LABELS:
            raise_to(PART_LABELS[part], score * 100)
    raise_to(WHOLE_IMAGE_LABEL, nsfw_score * 100)
    return found


class DetectModerationLabelsRequest(Shape):
    Image: Image
    MinConfidence: float | None = pydantic.Field(default=None, ge=0, le=100)
    HumanLoopConfig: dict[str, Any] | None = None  # accepted; there are no human reviewers here
    ProjectVersion: str | None = None


class ModerationLabel(Shape):
    Confidence: float
    Name: str
    ParentName: str
    TaxonomyLevel: int


class DetectModerationLabelsResponse(Shape):
    ModerationLabels: list[ModerationLabel]
    ModerationModelVersion: str = MODERATION_MODEL_VERSION


class ModerationOperations:
    _models: Any

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        raise NotImplementedError

    @operation
    def detect_moderation_labels(self, request: DetectModerationLabelsRequest) -> DetectModerationLabelsResponse:
        """Nudity and swimwear labels of AWS's moderation taxonomy, each with its ParentName and level."""
        image = self._image(request.Image)
        best: dict[str, float] = {}
        for part in self._models.get(moderation_nudenet.CAPABILITY).parts(image.pixels):
            best[part.name] = max(best.get(part.name, 0.0), part.score)
        nsfw = self._models.get(moderation_open_nsfw.CAPABILITY).score(image.pixels)
        floor = DEFAULT_MIN_CONFIDENCE if request.MinConfidence is None else request.MinConfidence
        labels = [
            ModerationLabel(Confidence=confidence, Name=name, ParentName=PARENTS[name] or "",
                            TaxonomyLevel=_level(name))
            for name, confidence in moderation_confidences(best, nsfw).items() if confidence >= floor
        ]
        labels.sort(key=lambda label: (label.TaxonomyLevel, -label.Confidence))
        return DetectModerationLabelsResponse(ModerationLabels=labels)
