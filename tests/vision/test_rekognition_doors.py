"""Rekognition through every door of a real gateway: REST with JSON (base64 Bytes), boto3 with
Bytes and with S3Object (moto's S3 server), and the SDK with a path and a numpy array."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import pytest
from botocore.exceptions import ClientError
from PIL import Image

from gateway.client import Client
from tests.vision.sample_images import ASTRONAUT, CHELSEA, GRACE_HOPPER, astronaut_flipped


@pytest.fixture(scope="module")
def running(start_gateway, s3_server):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url)


@pytest.fixture(scope="module")
def rekognition(running, aws_client):
    return aws_client("rekognition", running.url, signed=False)


@pytest.fixture(scope="module")
def bucket(s3_server) -> str:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="cat.png", Body=CHELSEA.read_bytes())
    s3.put_object(Bucket="photos", Key="eileen.png", Body=ASTRONAUT.read_bytes())
    return "photos"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_rest_json_with_base64_bytes(running) -> None:
    r = httpx.post(f"{running.url}/v1/rekognition/detect-labels",
                   json={"Image": {"Bytes": _b64(CHELSEA.read_bytes())}, "MaxLabels": 5}, timeout=120)
    assert r.status_code == 200, r.text
    assert "Cat" in [label["Name"] for label in r.json()["Labels"]]
    faces = httpx.post(f"{running.url}/v1/rekognition/detect-faces",
                       json={"Image": {"Bytes": _b64(ASTRONAUT.read_bytes())}, "Attributes": ["ALL"]}, timeout=120)
    (face,) = faces.json()["FaceDetails"]
    assert face["EyesOpen"]["Value"] is True and len(face["Landmarks"]) == 30


def test_rest_bad_image_is_a_400_in_the_aws_error_shape(running) -> None:
    r = httpx.post(f"{running.url}/v1/rekognition/detect-labels",
                   json={"Image": {"Bytes": _b64(b"definitely not a picture")}}, timeout=60)
    assert r.status_code == 400 and r.json()["__type"] == "InvalidImageFormatException"


def test_boto3_bytes_and_s3_object(rekognition, bucket) -> None:
    inline = rekognition.detect_labels(Image={"Bytes": CHELSEA.read_bytes()}, MaxLabels=3)
    from_s3 = rekognition.detect_labels(Image={"S3Object": {"Bucket": bucket, "Name": "cat.png"}}, MaxLabels=3)
    assert [label["Name"] for label in inline["Labels"]] == [label["Name"] for label in from_s3["Labels"]]
    assert "Cat" in [label["Name"] for label in inline["Labels"]]
    faces = rekognition.detect_faces(Image={"S3Object": {"Bucket": bucket, "Name": "eileen.png"}})
    assert len(faces["FaceDetails"]) == 1


def test_boto3_compare_faces_and_collections(rekognition, bucket) -> None:
    compared = rekognition.compare_faces(SourceImage={"S3Object": {"Bucket": bucket, "Name": "eileen.png"}},
                                         TargetImage={"Bytes": astronaut_flipped()})
    assert compared["FaceMatches"][0]["Similarity"] >= 90
    rekognition.create_collection(CollectionId="door-staff")
    with pytest.raises(ClientError) as duplicate:
        rekognition.create_collection(CollectionId="door-staff")
    assert duplicate.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    indexed = rekognition.index_faces(CollectionId="door-staff", ExternalImageId="eileen",
                                      Image={"S3Object": {"Bucket": bucket, "Name": "eileen.png"}})
    face_id = indexed["FaceRecords"][0]["Face"]["FaceId"]
    rekognition.index_faces(CollectionId="door-staff", Image={"Bytes": GRACE_HOPPER.read_bytes()})
    described = rekognition.describe_collection(CollectionId="door-staff")
    assert described["FaceCount"] == 2 and described["CreationTimestamp"].year >= 2024
    found = rekognition.search_faces_by_image(CollectionId="door-staff", Image={"Bytes": astronaut_flipped()})
    assert [m["Face"]["FaceId"] for m in found["FaceMatches"]] == [face_id]
    pages = rekognition.get_paginator("list_faces").paginate(CollectionId="door-staff", MaxResults=1)
    assert sum(len(page["Faces"]) for page in pages) == 2
    rekognition.delete_collection(CollectionId="door-staff")


@pytest.mark.parametrize(("call", "code"), [
    (lambda c: c.describe_collection(CollectionId="missing"), "ResourceNotFoundException"),
    (lambda c: c.detect_labels(Image={"S3Object": {"Bucket": "photos", "Name": "absent.png"}}),
     "InvalidS3ObjectException"),
    (lambda c: c.detect_labels(Image={"Bytes": ASTRONAUT.read_bytes()[:3000]}), "InvalidImageFormatException"),
])
def test_boto3_errors(rekognition, bucket, call, code) -> None:
    with pytest.raises(ClientError) as raised:
        call(rekognition)
    assert raised.value.response["Error"]["Code"] == code
    assert 400 <= raised.value.response["ResponseMetadata"]["HTTPStatusCode"] < 500


def test_image_over_5_mb_as_bytes(running, aws_client) -> None:
    noise = np.random.default_rng(0).integers(0, 255, size=(1400, 1400, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    assert buffer.tell() > 5 * 1024 * 1024
    rest = httpx.post(f"{running.url}/v1/rekognition/detect-labels",
                      json={"Image": {"Bytes": _b64(buffer.getvalue())}}, timeout=60)
    assert rest.status_code == 400 and rest.json()["__type"] == "ImageTooLargeException"
    # On the AWS door the member's modelled 5 MB limit is checked first, and AWS answers as botocore
    # models it: a ValidationException naming image.bytes.
    client = aws_client("rekognition", running.url, signed=False, validate=False)
    with pytest.raises(ClientError) as raised:
        client.detect_labels(Image={"Bytes": buffer.getvalue()})
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "image.bytes" in raised.value.response["Error"]["Message"]


def test_sdk_takes_a_path_and_an_array(running) -> None:
    with Client(running.url, timeout=120) as client:
        labels = client.rekognition.detect_labels(CHELSEA, max_labels=3)
        assert "Cat" in [label.Name for label in labels.Labels]
        faces = client.rekognition.detect_faces(np.asarray(Image.open(ASTRONAUT)))
        assert len(faces.FaceDetails) == 1


def test_rest_multipart_upload(running) -> None:
    r = httpx.post(f"{running.url}/v1/rekognition/detect-labels", data={"MaxLabels": "3"},
                   files={"Image.Bytes": ("cat.png", CHELSEA.read_bytes(), "image/png")}, timeout=120)
    assert r.status_code == 200, r.text
    assert "Cat" in [label["Name"] for label in r.json()["Labels"]]
