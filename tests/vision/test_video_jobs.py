"""Stored-video jobs on a video made here from real photographs (a person who moves, then a cat),
read from moto's S3 server: labels, faces and tracked people with their timestamps."""

from __future__ import annotations

import time

import pytest

from core.errors import InvalidPaginationToken, InvalidS3Object, ResourceNotFound
from core.settings import Settings
from gateway.jobs.aws_adapters import with_job_operations
from tests.vision.conftest import registry_for
from tests.vision.sample_video import FPS, PERSON_UNTIL_MS, SIDE, clip
from vision.rekognition import Rekognition


@pytest.fixture(scope="module")
def video_service(s3_server, tmp_path_factory) -> Rekognition:
    folder = tmp_path_factory.mktemp("video")
    s3 = s3_server.client()
    s3.create_bucket(Bucket="videos")
    s3.put_object(Bucket="videos", Key="clip.avi", Body=clip(folder / "clip.avi"))
    settings = Settings(data_dir=folder / "data", s3_endpoint_url=s3_server.endpoint_url)
    return with_job_operations(Rekognition)(registry_for(settings))


VIDEO = {"S3Object": {"Bucket": "videos", "Name": "clip.avi"}}


def _finished(get, job_id: str, **members):
    deadline = time.monotonic() + 180
    while True:
        answer = get(job_id=job_id, **members)
        if answer.JobStatus != "IN_PROGRESS" or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


@pytest.mark.slow
def test_label_detection_over_time(video_service: Rekognition) -> None:
    job = video_service.start_label_detection(video=VIDEO, job_tag="clip")
    done = _finished(video_service.get_label_detection, job.JobId)
    assert done.JobStatus == "SUCCEEDED", done.StatusMessage
    assert done.VideoMetadata.FrameRate == pytest.approx(FPS) and done.VideoMetadata.FrameWidth == SIDE
    assert done.VideoMetadata.DurationMillis == pytest.approx(3000, abs=150)
    assert done.JobTag == "clip" and done.GetRequestMetadata.SortBy == "TIMESTAMP"
    times = [item.Timestamp for item in done.Labels]
    assert times == sorted(times)
    people = {i.Timestamp for i in done.Labels if i.Label.Name == "Person"}
    cats = {i.Timestamp for i in done.Labels if i.Label.Name == "Cat"}
    assert people and max(people) < PERSON_UNTIL_MS and cats and min(cats) >= PERSON_UNTIL_MS
    segments = video_service.get_label_detection(job_id=job.JobId, aggregate_by="SEGMENTS", sort_by="NAME").Labels
    (person,) = [s for s in segments if s.Label.Name == "Person"]
    assert person.StartTimestampMillis == 0 and person.EndTimestampMillis == max(people)
    assert person.DurationMillis == max(people)
    page = video_service.get_label_detection(job_id=job.JobId, max_results=2)
    assert len(page.Labels) == 2 and page.NextToken
    rest = video_service.get_label_detection(job_id=job.JobId, next_token=page.NextToken, max_results=1000)
    assert len(page.Labels) + len(rest.Labels) == len(done.Labels)
    with pytest.raises(InvalidPaginationToken):
        video_service.get_label_detection(job_id=job.JobId, next_token="elsewhere")


@pytest.mark.slow
def test_face_detection_and_person_tracking(video_service: Rekognition) -> None:
    faces_job = video_service.start_face_detection(video=VIDEO, face_attributes="ALL")
    people_job = video_service.start_person_tracking(video=VIDEO)
    faces = _finished(video_service.get_face_detection, faces_job.JobId)
    assert faces.JobStatus == "SUCCEEDED", faces.StatusMessage
    assert [f.Timestamp for f in faces.Faces] == [0, 500, 1000]
    lefts = [f.Face.BoundingBox.Left for f in faces.Faces]
    assert lefts == sorted(lefts) and faces.Faces[0].Face.EyesOpen is not None  # drifting right
    people = _finished(video_service.get_person_tracking, people_job.JobId, sort_by="INDEX")
    assert people.JobStatus == "SUCCEEDED", people.StatusMessage
    assert {p.Timestamp for p in people.Persons} == {0, 500, 1000}
    assert len({p.Person.Index for p in people.Persons}) == 1  # one person, one index throughout


def test_missing_video_and_unknown_job(video_service: Rekognition) -> None:
    with pytest.raises(InvalidS3Object):
        video_service.start_label_detection(video={"S3Object": {"Bucket": "videos", "Name": "absent.mp4"}})
    with pytest.raises(ResourceNotFound):
        video_service.get_face_detection(job_id="0123456789abcdef")
