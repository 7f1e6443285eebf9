"""CompareFaces, and what face search shares with it: faces found with their embeddings, and the
calibrated Similarity between two embeddings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pydantic

from core.errors import InvalidParameter
from core.service import Shape, operation
from vision.engines import face_embedding_dlib, faces_mediapipe
from vision.engines.faces_mediapipe import Face
from vision.face_details import landmarks, pose, quality, ratio_box
from vision.images import DecodedImage
from vision.shapes import BoundingBox, ComparedFace, Image, QualityFilterValue

# Similarity = a logistic of the embedding distance, centred on dlib's own decision distance.
# Measured on real pairs (bench/vision_bench.py): the same person sits at 0.25-0.45, different
# people at 0.65-0.85, so same-person pairs land above 90 and different people below 10.
SAME_PERSON_DISTANCE = 0.55
DISTANCE_SCALE = 0.04
# Detector confidence each QualityFilter asks of a face; NONE keeps every face.
QUALITY_FLOORS = {"NONE": 0.0, "LOW": 0.5, "AUTO": 0.7, "MEDIUM": 0.7, "HIGH": 0.9}


def similarity(distances: np.ndarray) -> np.ndarray:
    """0..100 from Euclidean distances between embeddings."""
    return 100.0 / (1.0 + np.exp((np.asarray(distances, dtype=np.float64) - SAME_PERSON_DISTANCE) / DISTANCE_SCALE))


def threshold_distance(similarity_threshold: float) -> float:
    """The largest distance whose similarity reaches the threshold (the inverse of `similarity`)."""
    clamped = min(max(similarity_threshold, 1e-6), 100 - 1e-6)
    return SAME_PERSON_DISTANCE + DISTANCE_SCALE * math.log(100.0 / clamped - 1.0)


@dataclass(frozen=True)
class EmbeddedFace:
    face: Face
    embedding: np.ndarray  # 128 floats


def compared_face(face: Face, image: DecodedImage) -> ComparedFace:
    described = ComparedFace(BoundingBox=ratio_box(face.box, image.width, image.height), Confidence=face.score * 100)
    if face.mesh is not None:
        described.Landmarks = landmarks(face.mesh, image.width, image.height)
        described.Pose = pose(face.mesh)
        described.Quality = quality(image.pixels, face.box)
    return described


class FaceEmbeddingOperations:
    _models: Any

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        raise NotImplementedError

    def _embedded_faces(self, image: DecodedImage, quality_filter: str | None = None) -> list[EmbeddedFace]:
        """Faces largest first, each with its embedding; those under the QualityFilter's floor left out."""
        floor = QUALITY_FLOORS[quality_filter or "NONE"]
        faces = [f for f in self._models.get(faces_mediapipe.CAPABILITY).faces(image.pixels) if f.score >= floor]
        vectors = self._models.get(face_embedding_dlib.CAPABILITY).embed(image.pixels, [f.box for f in faces])
        return [EmbeddedFace(f, v) for f, v in zip(faces, vectors)]

    def _largest_face(self, image: DecodedImage, what: str, quality_filter: str | None = None) -> EmbeddedFace:
        faces = self._embedded_faces(image, quality_filter)
        if not faces:
            raise InvalidParameter(f"There are no faces in the {what}.")
        return faces[0]


class CompareFacesRequest(Shape):
    SourceImage: Image
    TargetImage: Image
    SimilarityThreshold: float | None = pydantic.Field(default=None, ge=0, le=100)
    QualityFilter: QualityFilterValue | None = None


class ComparedSourceImageFace(Shape):
    BoundingBox: BoundingBox
    Confidence: float


class CompareFacesMatch(Shape):
    Similarity: float
    Face: ComparedFace


class CompareFacesResponse(Shape):
    SourceImageFace: ComparedSourceImageFace
    FaceMatches: list[CompareFacesMatch]
    UnmatchedFaces: list[ComparedFace]


class CompareFacesOperations(FaceEmbeddingOperations):
    @operation
    def compare_faces(self, request: CompareFacesRequest) -> CompareFacesResponse:
        """The largest face of the source image against every face of the target image."""
        source_image = self._image(request.SourceImage, "SourceImage")
        target_image = self._image(request.TargetImage, "TargetImage")
        source = self._largest_face(source_image, "source image", request.QualityFilter)
        targets = self._embedded_faces(target_image, request.QualityFilter)
        threshold = 80.0 if request.SimilarityThreshold is None else request.SimilarityThreshold
        matches, unmatched = [], []
        if targets:
            scores = similarity(np.linalg.norm(np.stack([t.embedding for t in targets]) - source.embedding, axis=1))
            for target, score in zip(targets, scores):
                described = compared_face(target.face, target_image)
                if score >= threshold:
                    matches.append(CompareFacesMatch(Similarity=float(score), Face=described))
                else:
                    unmatched.append(described)
        matches.sort(key=lambda m: -m.Similarity)
        return CompareFacesResponse(
            SourceImageFace=ComparedSourceImageFace(
                BoundingBox=ratio_box(source.face.box, source_image.width, source_image.height),
                Confidence=source.face.score * 100),
            FaceMatches=matches,
            UnmatchedFaces=unmatched,
        )
