"""DetectModerationLabels (NudeNet + Open-NSFW) and DetectText (the OCR engine shared with Textract)."""

from __future__ import annotations

import pytest

from tests.vision.sample_images import ASTRONAUT, CHELSEA, COFFEE, SKIMAGE_DATA
from vision.moderation import moderation_confidences
from vision.rekognition import Rekognition

PAGE = SKIMAGE_DATA / "page.png"  # a photographed book page


@pytest.mark.parametrize("image", [ASTRONAUT, CHELSEA, COFFEE])
def test_everyday_photos_are_not_flagged(rekognition: Rekognition, image) -> None:
    response = rekognition.detect_moderation_labels(image)
    assert response.ModerationLabels == [] and response.ModerationModelVersion == "7.0"


def test_low_min_confidence_shows_the_models_weak_guesses_in_the_taxonomy(rekognition: Rekognition) -> None:
    labels = rekognition.detect_moderation_labels(COFFEE, min_confidence=0).ModerationLabels
    by_name = {label.Name: label for label in labels}
    assert by_name["Explicit"].TaxonomyLevel == 1 and by_name["Explicit"].ParentName == ""
    assert by_name["Explicit Nudity"].ParentName == "Explicit"
    assert all(label.Confidence < 50 for label in labels)


def test_body_parts_map_onto_three_levels_with_parents_as_confident_as_children() -> None:
    found = moderation_confidences({"FEMALE_BREAST_EXPOSED": 0.9, "FEMALE_BREAST_COVERED": 0.7, "FACE_FEMALE": 0.95,
                                    "MALE_BREAST_EXPOSED": 0.6}, nsfw_score=0.8)
    assert found["Exposed Female Nipple"] == pytest.approx(90)
    assert found["Explicit Nudity"] == pytest.approx(90) and found["Explicit"] == pytest.approx(90)
    assert found["Female Swimwear or Underwear"] == pytest.approx(70)
    assert found["Swimwear or Underwear"] == pytest.approx(70)
    assert found["Non-Explicit Nudity of Intimate parts and Kissing"] == pytest.approx(60)
    assert not any("Face" in name for name in found)
    assert moderation_confidences({}, nsfw_score=0.95)["Explicit"] == pytest.approx(95)


def test_detect_text_lines_and_words_with_parents_and_geometry(rekognition: Rekognition) -> None:
    detections = rekognition.detect_text(PAGE).TextDetections
    lines = [d for d in detections if d.Type == "LINE"]
    words = [d for d in detections if d.Type == "WORD"]
    assert lines[0].DetectedText == "Region-based segmentation"
    assert [d.Id for d in detections] == list(range(len(detections)))
    assert [w.DetectedText for w in words if w.ParentId == 0] == ["Region-based", "segmentation"]
    for word in words:
        parent = lines[word.ParentId].Geometry.BoundingBox
        box = word.Geometry.BoundingBox
        assert parent.Left - 0.01 <= box.Left and box.Left + box.Width <= parent.Left + parent.Width + 0.01
        assert len(word.Geometry.Polygon) == 4 and 0 <= box.Top <= 1


def test_detect_text_filters(rekognition: Rekognition) -> None:
    everything = rekognition.detect_text(PAGE).TextDetections
    confident = rekognition.detect_text(PAGE, filters={"WordFilter": {"MinConfidence": 85}}).TextDetections
    assert all(d.Confidence >= 85 for d in confident if d.Type == "WORD")
    assert len(confident) < len(everything)
    top = rekognition.detect_text(PAGE, filters={"RegionsOfInterest": [
        {"BoundingBox": {"Left": 0, "Top": 0, "Width": 1, "Height": 0.2}}]}).TextDetections
    assert top and all(d.Geometry.BoundingBox.Top < 0.2 for d in top)
    assert "Region-based" in [d.DetectedText for d in top]


def test_no_text_in_a_cat(rekognition: Rekognition) -> None:
    assert rekognition.detect_text(CHELSEA).TextDetections == []
