"""DetectFaces: every face MediaPipe finds, measured from its mesh (vision/face_details.py)."""

from __future__ import annotations

from typing import Any

from core.service import Shape, operation
from vision.engines import faces_mediapipe
from vision.face_details import face_detail
from vision.images import DecodedImage
from vision.shapes import Attribute, FaceDetail, Image

# The attributes measured from the mesh; the rest of AWS's list has no honest source here.
MESH_ATTRIBUTES = {"ALL", "EYES_OPEN", "MOUTH_OPEN"}


class DetectFacesRequest(Shape):
    Image: Image
    Attributes: list[Attribute] | None = None


class DetectFacesResponse(Shape):
    FaceDetails: list[FaceDetail]


class FaceOperations:
    _models: Any

    def _image(self, image: Image, what: str = "Image") -> DecodedImage:
        raise NotImplementedError

    def _face_details(self, image: DecodedImage, attributes: list[str] | None) -> list[FaceDetail]:
        """Faces whose mesh was found, largest first; a detection without one is too unclear to describe."""
        faces = self._models.get(faces_mediapipe.CAPABILITY).faces(image.pixels)
        measured = bool(MESH_ATTRIBUTES & set(attributes or []))
        return [face_detail(f, image.pixels, all_attributes=measured) for f in faces if f.mesh is not None]

    @operation
    def detect_faces(self, request: DetectFacesRequest) -> DetectFacesResponse:
        """Faces with their box, landmarks, pose and quality; EyesOpen and MouthOpen with Attributes=["ALL"]."""
        image = self._image(request.Image)
        return DetectFacesResponse(FaceDetails=self._face_details(image, request.Attributes))
