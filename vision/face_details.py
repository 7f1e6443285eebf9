"""A detected face in Rekognition's terms: ratio BoundingBox, AWS's named landmarks, Pose, Quality
and (asked for with Attributes) EyesOpen and MouthOpen, all measured from the 478-point mesh.

Attributes no bundled model can measure honestly (age, gender, emotions, glasses, beard) are left
out rather than guessed.
"""

from __future__ import annotations

import math

import numpy as np

from vision.engines.faces_mediapipe import Box, Face
from vision.shapes import BooleanAttribute, BoundingBox, FaceDetail, ImageQuality, Landmark, Pose

# AWS landmark name -> Face Mesh point(s), averaged. AWS's "left" is the image's left (the subject's
# right eye), as in its own answers where eyeLeft.X < eyeRight.X.
LANDMARK_POINTS: dict[str, tuple[int, ...]] = {
    "eyeLeft": (468,), "eyeRight": (473,), "leftPupil": (468,), "rightPupil": (473,),
    "nose": (1,), "noseLeft": (129,), "noseRight": (358,),
    "mouthLeft": (61,), "mouthRight": (291,), "mouthUp": (0,), "mouthDown": (17,),
    "leftEyeBrowLeft": (70,), "leftEyeBrowRight": (107,), "leftEyeBrowUp": (105,),
    "rightEyeBrowLeft": (336,), "rightEyeBrowRight": (300,), "rightEyeBrowUp": (334,),
    "leftEyeLeft": (33,), "leftEyeRight": (133,), "leftEyeUp": (159,), "leftEyeDown": (145,),
    "rightEyeLeft": (362,), "rightEyeRight": (263,), "rightEyeUp": (386,), "rightEyeDown": (374,),
    "upperJawlineLeft": (234,), "midJawlineLeft": (172,), "chinBottom": (152,), "midJawlineRight": (397,),
    "upperJawlineRight": (454,),
}
# (outer corner, inner corner, upper lid, lower lid) of each eye.
EYES = ((33, 133, 159, 145), (263, 362, 386, 374))
MOUTH = (61, 291, 13, 14)  # corners, inner upper lip, inner lower lip
# Eye aspect ratio (lid gap / eye width): open eyes measure 0.25-0.40 on the mesh, closed ones < 0.12.
EYES_OPEN_RATIO = 0.18
# Inner-lip gap / mouth width: closed lips stay under 0.05, a talking or open mouth goes past 0.2.
MOUTH_OPEN_RATIO = 0.12
SHARPNESS_SCALE = 300.0  # variance of the Laplacian at which Sharpness reaches ~63


def ratio_box(box: Box, width: int, height: int) -> BoundingBox:
    return BoundingBox(Left=box.left / width, Top=box.top / height, Width=box.width / width,
                       Height=box.height / height)


def landmarks(mesh: np.ndarray, width: int, height: int) -> list[Landmark]:
    found = []
    for name, points in LANDMARK_POINTS.items():
        x, y = mesh[list(points), :2].mean(axis=0)
        found.append(Landmark(Type=name, X=float(x) / width, Y=float(y) / height))
    return found


def pose(mesh: np.ndarray) -> Pose:
    """Roll, yaw and pitch in degrees from the mesh's 3D axes: across the eyes' outer corners and
    down from forehead to chin. Positive yaw: the face turns toward the image's right; positive
    pitch: it looks up; positive roll: clockwise in the image."""
    across = mesh[263] - mesh[33]
    down = mesh[152] - mesh[10]
    roll = math.degrees(math.atan2(across[1], across[0]))
    yaw = math.degrees(math.atan2(-across[2], math.hypot(across[0], across[1])))
    pitch = math.degrees(math.atan2(down[2], math.hypot(down[0], down[1])))
    return Pose(Roll=roll, Yaw=yaw, Pitch=pitch)


def quality(pixels: np.ndarray, box: Box) -> ImageQuality:
    """Brightness: mean luma of the face, 0..100. Sharpness: variance of the Laplacian of the face
    resized to a common size (so it does not grow with resolution), mapped onto 0..100."""
    import cv2

    x0, y0 = int(box.left), int(box.top)
    face = pixels[y0:y0 + max(1, int(box.height)), x0:x0 + max(1, int(box.width))]
    gray = cv2.cvtColor(face, cv2.COLOR_RGB2GRAY)
    brightness = float(gray.mean()) / 255 * 100
    sharp = cv2.Laplacian(cv2.resize(gray, (112, 112), interpolation=cv2.INTER_AREA), cv2.CV_64F).var()
    return ImageQuality(Brightness=brightness, Sharpness=float(100 * (1 - math.exp(-sharp / SHARPNESS_SCALE))))


def _opening(mesh: np.ndarray, corner_a: int, corner_b: int, top: int, bottom: int) -> float:
    width = np.linalg.norm(mesh[corner_a, :2] - mesh[corner_b, :2])
    return float(np.linalg.norm(mesh[top, :2] - mesh[bottom, :2]) / max(width, 1e-6))


def _decision(measure: float, threshold: float) -> BooleanAttribute:
    """Value from the threshold; Confidence grows with the distance from it (50 at the threshold)."""
    margin = (measure - threshold) / threshold
    return BooleanAttribute(Value=measure > threshold, Confidence=min(99.9, 50 + 50 * min(1.0, abs(margin) * 2)))


def eyes_open(mesh: np.ndarray) -> BooleanAttribute:
    return _decision(float(np.mean([_opening(mesh, *eye) for eye in EYES])), EYES_OPEN_RATIO)


def mouth_open(mesh: np.ndarray) -> BooleanAttribute:
    return _decision(_opening(mesh, *MOUTH), MOUTH_OPEN_RATIO)


def face_detail(face: Face, pixels: np.ndarray, *, all_attributes: bool) -> FaceDetail:
    """Only for faces with a mesh: the detector's box, the mesh's measures."""
    height, width = pixels.shape[:2]
    mesh = face.mesh
    return FaceDetail(
        BoundingBox=ratio_box(face.box, width, height),
        Landmarks=landmarks(mesh, width, height),
        Pose=pose(mesh),
        Quality=quality(pixels, face.box),
        Confidence=face.score * 100,
        EyesOpen=eyes_open(mesh) if all_attributes else None,
        MouthOpen=mouth_open(mesh) if all_attributes else None,
    )
