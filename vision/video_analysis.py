"""AnalyzeVideo: the labels, faces or tracked people of a whole stored video, sampled twice a second
(vision/video.py), each sample analysed by the image operations' own code.

Not an AWS operation: it is what StartLabelDetection, StartFaceDetection and StartPersonTracking run
on their video (the gateway's job adapter, gateway/jobs/aws_rekognition.py), offered on its own as a
synchronous call. `check_video` makes the checks AWS makes when such a job starts (the object can be
read and is within the size limit), so that a missing or oversized video answers the Start request
as an error. A video FFmpeg cannot decode fails its job instead, as on AWS ("Unsupported codec").
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from core.service import operation
from vision.engines import faces_mediapipe
from vision.face_details import ratio_box
from vision.images import DecodedImage
from vision.labels import GeneralLabelsSettings, Label
from vision.person_tracks import PersonTracks
from vision.shapes import FaceDetail
from vision.video import SampledVideo, read_video
from vision.video_shapes import FACES, LABELS, RESULTS_MEMBER, AnalyzeVideoRequest, AnalyzeVideoResponse

FrameResults = Callable[[int, DecodedImage], list[dict]]  # (timestamp in ms, frame) -> the analysis's items


class VideoAnalysisOperations:
    """A mixin of `Rekognition`, which provides `_labels` and `_face_details`."""

    _models: Any

    def _labels(self, image: DecodedImage, general: GeneralLabelsSettings | None, min_confidence: float | None,
                max_labels: int | None) -> list[Label]:
        raise NotImplementedError

    def _face_details(self, image: DecodedImage, attributes: list[str] | None) -> list[FaceDetail]:
        raise NotImplementedError

    def check_video(self, request: AnalyzeVideoRequest) -> None:
        """Refuse what AnalyzeVideo would refuse before decoding a frame (the Start-time checks)."""
        read_video(request.Video, self._models.settings)

    @operation
    def analyze_video(self, request: AnalyzeVideoRequest) -> AnalyzeVideoResponse:
        """A video's labels, faces or tracked people (Analysis) at every sample, twice a second, with the
        video's metadata: what the video jobs (StartLabelDetection, ...) run, as one synchronous call."""
        ref = request.Video.S3Object
        name = request.FileName or (ref.Name if ref is not None else None) or ""
        video = SampledVideo(read_video(request.Video, self._models.settings),
                             suffix=posixpath.splitext(name)[1])
        try:
            analyse = self._frame_analysis(request)
            items = [item for at, pixels in video.frames() for item in analyse(at, DecodedImage(pixels))]
            metadata = video.info.metadata()
        finally:
            video.close()
        # A person seen in one sample only was never tracked: they have no Index to answer with.
        items = [item for item in items if "Person" not in item or item["Person"]["Index"] >= 0]
        return AnalyzeVideoResponse.model_validate({"VideoMetadata": metadata,
                                                    RESULTS_MEMBER[request.Analysis]: items})

    def _frame_analysis(self, request: AnalyzeVideoRequest) -> FrameResults:
        if request.Analysis == LABELS:
            general = request.Settings.GeneralLabels if request.Settings else None

            def labels(at: int, image: DecodedImage) -> list[dict]:
                return [{"Timestamp": at, "Label": label.model_dump(exclude_none=True)}
                        for label in self._labels(image, general, request.MinConfidence, None)]

            return labels
        if request.Analysis == FACES:
            attributes = [request.FaceAttributes or "DEFAULT"]

            def faces(at: int, image: DecodedImage) -> list[dict]:
                return [{"Timestamp": at, "Face": face.model_dump(exclude_none=True)}
                        for face in self._face_details(image, attributes)]

            return faces
        return self._person_tracking()

    def _person_tracking(self) -> FrameResults:
        tracks, engine = PersonTracks(), self._models.get(faces_mediapipe.CAPABILITY)

        def persons(at: int, image: DecodedImage) -> list[dict]:
            faces = engine.faces(image.pixels, with_mesh=False)
            # A person whose body BlazePose cannot find is still there: their face box stands for them.
            bodies = [engine.person(image.pixels, face.box) or face.box for face in faces]
            items = [{"Timestamp": at, "Person": {"BoundingBox": ratio_box(
                body, image.width, image.height).model_dump()}} for body in bodies]
            # Indexes are set in place, and may still be set by the next sample: the items are kept by reference.
            tracks.name([(b.left, b.top, b.left + b.width, b.top + b.height) for b in bodies],
                        [face.score for face in faces], items)
            return items

        return persons
