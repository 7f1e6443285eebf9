"""Shapes every Rekognition operation shares: the image input and the geometry and face members of
its answers (botocore's rekognition 2016-06-27 model)."""

from __future__ import annotations

from typing import Literal

from core.geometry import BoundingBox
from core.s3_object import InlineOrS3
from core.service import Shape

Attribute = Literal["DEFAULT", "ALL", "AGE_RANGE", "BEARD", "EMOTIONS", "EYE_DIRECTION", "EYEGLASSES", "EYES_OPEN",
                    "GENDER", "MOUTH_OPEN", "MUSTACHE", "FACE_OCCLUDED", "SMILE", "SUNGLASSES"]
QualityFilterValue = Literal["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"]


# `{"Bytes": ...}` or `{"S3Object": ...}`; in process and in the SDK also a Path, bytes, a PIL image or a
# numpy array (core/s3_object.py).
Image = InlineOrS3


class Landmark(Shape):
    Type: str
    X: float
    Y: float


class Pose(Shape):
    Roll: float
    Yaw: float
    Pitch: float


class ImageQuality(Shape):
    Brightness: float
    Sharpness: float


class BooleanAttribute(Shape):
    Value: bool
    Confidence: float


class FaceDetail(Shape):
    BoundingBox: BoundingBox
    EyesOpen: BooleanAttribute | None = None
    MouthOpen: BooleanAttribute | None = None
    Landmarks: list[Landmark]
    Pose: Pose
    Quality: ImageQuality
    Confidence: float


# Optional members named after their own shape (`Pose: Pose | None = None`) would resolve to their
# default: these names stand for the shapes there.
BoundingBoxShape, PoseShape, QualityShape = BoundingBox, Pose, ImageQuality


class ComparedFace(Shape):
    BoundingBox: BoundingBox
    Confidence: float
    Landmarks: list[Landmark] | None = None
    Pose: PoseShape | None = None
    Quality: QualityShape | None = None
