"""Rekognition's video jobs with real boto3, on the gateway's JobEngine, over a real S3 (moto): the job
as an engine job with its results file and manifest, Start-time errors, the per-video operation on
the REST door, a restart resuming a job, and a video deleted after Start failing its job. The video
is made from real photographs (tests/vision/sample_video.py): one face drifting right, then a cat."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from core.settings import Settings
from gateway.jobs.aws_adapters import with_job_operations
from tests.gateway.aws_jobs_testing import attach_stopped_engine, resume_after_restart, wait_for_job
from tests.vision.conftest import registry_for
from tests.vision.sample_video import FPS, SIDE, clip
from vision.rekognition import Rekognition

BUCKET = "rekognition-videos"
FACE_TIMES = [0, 500, 1000]  # the samples before the cat comes


def video(name: str) -> dict:
    return {"S3Object": {"Bucket": BUCKET, "Name": name}}


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory) -> bytes:
    return clip(tmp_path_factory.mktemp("clip") / "clip.avi")


@pytest.fixture(scope="module")
def s3(s3_server, clip_bytes):
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="clips/clip.avi", Body=clip_bytes)
    s3.put_object(Bucket=BUCKET, Key="other.avi", Body=clip_bytes)
    s3.put_object(Bucket=BUCKET, Key="notes.mp4", Body=b"not a video at all")
    return s3


@pytest.fixture(scope="module")
def gateway(start_gateway, s3_server, s3):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url)


@pytest.mark.slow
def test_job_is_an_engine_job_with_its_results_and_manifest(gateway, aws_client) -> None:
    rekognition = aws_client("rekognition", gateway.url)
    request = {"Video": video("clips/clip.avi"), "ClientRequestToken": "clip-1", "JobTag": "clips",
               "FaceAttributes": "ALL"}
    job_id = rekognition.start_face_detection(**request)["JobId"]
    assert rekognition.start_face_detection(**request)["JobId"] == job_id  # the same token, the same job
    with pytest.raises(ClientError) as reused:
        rekognition.start_face_detection(**{**request, "Video": video("other.avi")})
    assert reused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    done = wait_for_job(rekognition.get_face_detection, job_id)
    assert done["JobStatus"] == "SUCCEEDED", done.get("StatusMessage")
    assert done["JobId"] == job_id and done["JobTag"] == "clips" and done["Video"] == video("clips/clip.avi")
    assert done["VideoMetadata"]["FrameRate"] == pytest.approx(FPS) and done["VideoMetadata"]["Format"] == "avi"
    assert [f["Timestamp"] for f in done["Faces"]] == FACE_TIMES
    lefts = [f["Face"]["BoundingBox"]["Left"] for f in done["Faces"]]
    assert lefts == sorted(lefts) and "EyesOpen" in done["Faces"][0]["Face"]  # drifting right; ALL attributes
    page = rekognition.get_face_detection(JobId=job_id, MaxResults=2)
    rest = rekognition.get_face_detection(JobId=job_id, MaxResults=2, NextToken=page["NextToken"])
    assert [f["Timestamp"] for f in page["Faces"] + rest["Faces"]] == FACE_TIMES and "NextToken" not in rest

    folder = gateway.settings.data_dir / "rekognition" / "video" / job_id
    stored = json.loads((folder / "results.json").read_text())
    assert stored["Faces"] == done["Faces"] and stored["VideoMetadata"] == done["VideoMetadata"]
    manifest = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]
    assert manifest == [{"key": "results", "status": "SUCCEEDED", "output_key": str(folder / "results.json"),
                         "error": None}]
    listed = httpx.get(f"{gateway.url}/v1/jobs", params={"max_results": 500}).json()["jobs"]
    engine_job = next(job for job in listed if job["job_id"] == job_id)
    assert engine_job["operation"] == "rekognition.AnalyzeVideo"
    assert engine_job["input"] == f"s3://{BUCKET}/clips/clip.avi" and engine_job["state"] == "COMPLETED"
    assert (engine_job["done"], engine_job["failed"]) == (1, 0)
    assert engine_job["parameters"] == {"Analysis": "FACE_DETECTION", "FileName": "clip.avi", "FaceAttributes": "ALL"}

    with pytest.raises(ClientError) as other_kind:  # a face detection job is no person tracking job
        rekognition.get_person_tracking(JobId=job_id)
    assert other_kind.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_missing_video_is_refused_at_start_and_an_undecodable_one_fails_its_job(gateway, aws_client) -> None:
    rekognition = aws_client("rekognition", gateway.url)
    with pytest.raises(ClientError) as refused:
        rekognition.start_person_tracking(Video=video("absent.mp4"))
    assert refused.value.response["Error"]["Code"] == "InvalidS3ObjectException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # As on AWS, whether a video decodes is known once the job reads it.
    failed = wait_for_job(rekognition.get_label_detection, rekognition.start_label_detection(Video=video("notes.mp4"))["JobId"])
    assert failed["JobStatus"] == "FAILED" and not failed.get("Labels") and "VideoMetadata" not in failed
    assert failed["StatusMessage"] == "The video could not be decoded: it is not a video format FFmpeg reads."


@pytest.mark.slow
def test_the_per_video_operation_answers_on_the_rest_door(gateway) -> None:
    answer = httpx.post(f"{gateway.url}/v1/rekognition/analyze-video", timeout=120,
                        json={"Video": video("clips/clip.avi"), "Analysis": "PERSON_TRACKING"})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["VideoMetadata"]["FrameWidth"] == SIDE and "Labels" not in found
    assert {p["Timestamp"] for p in found["Persons"]} == set(FACE_TIMES)
    assert len({p["Person"]["Index"] for p in found["Persons"]}) == 1  # one person, one index throughout


@pytest.mark.slow
def test_a_restart_resumes_a_job_and_a_video_deleted_after_start_fails_its_job(tmp_path: Path, s3_server, s3,
                                                                               clip_bytes) -> None:
    settings = Settings(data_dir=tmp_path, s3_endpoint_url=s3_server.endpoint_url)
    rekognition = with_job_operations(Rekognition)(registry_for(settings))
    attach_stopped_engine(settings, rekognition)
    s3.put_object(Bucket=BUCKET, Key="doomed.avi", Body=clip_bytes)
    kept = rekognition.start_face_detection(video=video("clips/clip.avi"), job_tag="kept").JobId
    doomed = rekognition.start_face_detection(video=video("doomed.avi")).JobId
    assert rekognition.get_face_detection(job_id=kept).JobStatus == "IN_PROGRESS"
    s3.delete_object(Bucket=BUCKET, Key="doomed.avi")

    resume_after_restart(settings, rekognition, [kept, doomed], timeout=120)
    done = rekognition.get_face_detection(job_id=kept)
    assert done.JobStatus == "SUCCEEDED" and done.JobTag == "kept"
    assert [f.Timestamp for f in done.Faces] == FACE_TIMES
    assert (tmp_path / "rekognition" / "video" / kept / "results.json").is_file()
    failed = rekognition.get_face_detection(job_id=doomed)
    assert failed.JobStatus == "FAILED" and failed.Faces == [] and failed.VideoMetadata is None
    assert failed.StatusMessage == f"No object at s3://{BUCKET}/doomed.avi."
