"""DetectLabels and DetectFaces in process on real photographs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.vision.sample_images import ASTRONAUT, CHELSEA, COFFEE, GRACE_HOPPER
from vision.rekognition import Rekognition


def _names(response) -> list[str]:
    return [label.Name for label in response.Labels]


def test_cat_photo_gives_cat_with_wordnet_parents_and_category(rekognition: Rekognition) -> None:
    labels = {label.Name: label for label in rekognition.detect_labels(CHELSEA).Labels}
    cat = labels["Cat"]
    assert cat.Confidence > 80
    assert [p.Name for p in cat.Parents] == ["Pet", "Mammal", "Animal"]
    assert [c.Name for c in cat.Categories] == ["Animals and Pets"]
    assert {"Animal", "Mammal", "Pet"} <= labels.keys()
    assert all(label.Confidence >= 55 for label in labels.values())  # AWS's default floor


def test_espresso_is_a_beverage(rekognition: Rekognition) -> None:
    labels = {label.Name: label for label in rekognition.detect_labels(COFFEE).Labels}
    assert labels["Espresso"].Confidence > 70
    assert [p.Name for p in labels["Espresso"].Parents] == ["Beverage", "Food"]


def test_people_get_person_and_face_instances(rekognition: Rekognition) -> None:
    labels = {label.Name: label for label in rekognition.detect_labels(ASTRONAUT).Labels}
    (face,) = labels["Face"].Instances
    (person,) = labels["Person"].Instances
    # The face is in the upper middle of the portrait; the person's box holds it and reaches lower.
    assert 0.3 < face.BoundingBox.Left < 0.4 and 0.1 < face.BoundingBox.Top < 0.2
    assert person.BoundingBox.Left <= face.BoundingBox.Left
    assert person.BoundingBox.Top + person.BoundingBox.Height > face.BoundingBox.Top + 2 * face.BoundingBox.Height


def test_max_labels_min_confidence_and_filters(rekognition: Rekognition) -> None:
    assert len(rekognition.detect_labels(CHELSEA, max_labels=2).Labels) == 2
    low = rekognition.detect_labels(CHELSEA, min_confidence=1)
    assert len(low.Labels) > len(rekognition.detect_labels(CHELSEA).Labels)
    only_cat = rekognition.detect_labels(CHELSEA, settings={"GeneralLabels": {"LabelInclusionFilters": ["cat"]}})
    assert _names(only_cat) == ["Cat"]
    no_pets = rekognition.detect_labels(CHELSEA, settings={"GeneralLabels": {"LabelExclusionFilters": ["Pet"]}})
    assert "Pet" not in _names(no_pets) and "Cat" in _names(no_pets)
    food = rekognition.detect_labels(CHELSEA, settings={"GeneralLabels": {
        "LabelCategoryInclusionFilters": ["Food and Beverage"]}})
    assert food.Labels == []


def test_image_properties_quality(rekognition: Rekognition) -> None:
    sharp = rekognition.detect_labels(COFFEE, features=["IMAGE_PROPERTIES"])
    blurred = Image.open(COFFEE).resize((50, 33)).resize((400, 266))
    soft = rekognition.detect_labels(np.asarray(blurred), features=["IMAGE_PROPERTIES"])
    assert sharp.Labels is None
    assert sharp.ImageProperties.Quality.Sharpness > soft.ImageProperties.Quality.Sharpness
    assert 0 < sharp.ImageProperties.Quality.Brightness < 100


def test_detect_faces_landmarks_pose_quality(rekognition: Rekognition) -> None:
    (face,) = rekognition.detect_faces(ASTRONAUT).FaceDetails
    points = {lm.Type: lm for lm in face.Landmarks}
    assert len(points) == 30
    assert points["eyeLeft"].X < points["nose"].X < points["eyeRight"].X
    assert points["eyeLeft"].Y < points["nose"].Y < points["mouthDown"].Y < points["chinBottom"].Y
    box = face.BoundingBox
    assert box.Left < points["nose"].X < box.Left + box.Width
    assert abs(face.Pose.Yaw) < 25 and abs(face.Pose.Roll) < 15
    assert face.Confidence > 80 and 20 < face.Quality.Brightness < 90
    assert face.EyesOpen is None and face.MouthOpen is None  # only with Attributes


def test_all_attributes_measure_eyes_and_mouth_and_invent_nothing(rekognition: Rekognition) -> None:
    (face,) = rekognition.detect_faces(GRACE_HOPPER, attributes=["ALL"]).FaceDetails
    assert face.EyesOpen.Value is True and face.EyesOpen.Confidence > 60
    assert face.MouthOpen.Value is False
    dumped = face.model_dump(exclude_none=True)
    assert not {"AgeRange", "Gender", "Emotions", "Smile"} & dumped.keys()


def test_pose_follows_the_head(rekognition: Rekognition) -> None:
    upright = rekognition.detect_faces(ASTRONAUT).FaceDetails[0].Pose
    tilted = rekognition.detect_faces(Image.open(ASTRONAUT).rotate(-25, expand=True)).FaceDetails[0].Pose
    mirrored = rekognition.detect_faces(Image.open(ASTRONAUT).transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    assert tilted.Roll - upright.Roll == pytest.approx(25, abs=6)  # rotate(-25) turns the image clockwise
    assert mirrored.FaceDetails[0].Pose.Yaw == pytest.approx(-upright.Yaw, abs=4)


def test_no_face_gives_no_face_details(rekognition: Rekognition) -> None:
    assert rekognition.detect_faces(COFFEE).FaceDetails == []
    assert "Person" not in _names(rekognition.detect_labels(COFFEE))
