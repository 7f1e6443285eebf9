"""Polly through a real gateway: unmodified boto3 (rest-json: the audio is the raw body, with
Content-Type and x-amzn-RequestCharacters), the REST door (JSON; the audio as base64), the SDK, and
synthesis tasks written to a real S3 API (moto) or to a local folder."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from gateway.catalog import ServiceCatalog
from gateway.client import Client
from gateway.jobs.aws_adapters import with_job_operations
from speech import Polly
from tests.speech.polly_audio import decode

HARVARD = "Glue the sheet to the dark blue background."
TIMEOUT_S = 60
LEXICON = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>AWS</grapheme><alias>Amazon Web Services</alias></lexeme>
</lexicon>"""


@pytest.fixture(scope="module")
def speech_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech-out")


@pytest.fixture(scope="module")
def polly_gateway(start_gateway, s3_server, speech_folder: Path):
    # Polly alone: these tests do not depend on the other services' models.
    return start_gateway(catalog=ServiceCatalog([with_job_operations(Polly)()]), s3_endpoint_url=s3_server.endpoint_url,
                         jobs={"local_roots": [speech_folder]})


@pytest.fixture(scope="module")
def polly_client(polly_gateway, aws_client):
    return aws_client("polly", polly_gateway.url, signed=False)


def test_boto3_synthesizes_audio_in_the_body(polly_client) -> None:
    response = polly_client.synthesize_speech(Text=HARVARD, VoiceId="Joanna", OutputFormat="ogg_vorbis",
                                              SampleRate="16000")
    assert (response["ContentType"], response["RequestCharacters"]) == ("audio/ogg", len(HARVARD))
    audio = decode(response["AudioStream"].read(), "ogg_vorbis")
    assert (audio.codec, audio.sample_rate) == ("vorbis", 16000)
    assert 1.5 < audio.seconds < 5.0 and audio.rms > 0.02


def test_boto3_speech_marks_and_ssml(polly_client) -> None:
    ssml = '<speak>Hello <mark name="m"/> <prosody rate="slow">world</prosody>.</speak>'
    response = polly_client.synthesize_speech(Text=ssml, TextType="ssml", VoiceId="Brian", OutputFormat="json",
                                              SpeechMarkTypes=["word", "ssml"])
    assert response["ContentType"] == "application/x-json-stream"
    marks = [json.loads(line) for line in response["AudioStream"].read().decode().splitlines()]
    assert [(m["type"], m["value"]) for m in marks] == [("word", "Hello"), ("ssml", "m"), ("word", "world")]
    assert ssml.encode()[marks[2]["start"]:marks[2]["end"]] == b"world"


def test_boto3_voices_and_lexicons(polly_client) -> None:
    voices = polly_client.describe_voices(LanguageCode="en-GB")["Voices"]
    assert {v["Id"] for v in voices} == {"Amy", "Emma", "Brian", "Arthur"}
    assert polly_client.describe_voices(Engine="neural")["Voices"][0]["SupportedEngines"] == ["standard", "neural"]
    polly_client.put_lexicon(Name="aws", Content=LEXICON)
    attributes = polly_client.get_lexicon(Name="aws")["LexiconAttributes"]
    assert attributes["LexemesCount"] == 1 and attributes["LanguageCode"] == "en-US"
    assert [d["Name"] for d in polly_client.list_lexicons()["Lexicons"]] == ["aws"]
    with_lexicon = polly_client.synthesize_speech(Text="AWS", VoiceId="Joanna", OutputFormat="pcm",
                                                  LexiconNames=["aws"])["AudioStream"].read()
    without = polly_client.synthesize_speech(Text="AWS", VoiceId="Joanna", OutputFormat="pcm")["AudioStream"].read()
    assert len(with_lexicon) > 1.5 * len(without)  # "Amazon Web Services" is longer than "A W S"
    polly_client.delete_lexicon(Name="aws")
    assert polly_client.list_lexicons()["Lexicons"] == []


@pytest.mark.parametrize(("kwargs", "code", "status"), [
    ({"Text": "<speak>unclosed", "TextType": "ssml"}, "InvalidSsmlException", 400),
    ({"Text": "x" * 3001}, "TextLengthExceededException", 400),
    ({"Text": "x", "LexiconNames": ["missing"]}, "LexiconNotFoundException", 404),
    ({"Text": "x", "SampleRate": "44100"}, "InvalidSampleRateException", 400),
    ({"Text": "x", "VoiceId": "Nobody"}, "ValidationException", 400),
    ({"Text": "x", "Engine": "neural"}, "EngineNotSupportedException", 400),
    ({"Text": "x", "SpeechMarkTypes": ["word"]}, "MarksNotSupportedForFormatException", 400),
])
def test_boto3_errors(polly_client, kwargs: dict, code: str, status: int) -> None:
    with pytest.raises(ClientError) as caught:
        polly_client.synthesize_speech(**{"VoiceId": "Joanna", "OutputFormat": "mp3", **kwargs})
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_rest_door_answers_json_with_base64_audio(polly_gateway) -> None:
    reply = httpx.post(f"{polly_gateway.url}/v1/polly/synthesize-speech",
                       json={"Text": HARVARD, "VoiceId": "Amy", "OutputFormat": "pcm", "SampleRate": "8000"})
    assert reply.status_code == 200
    body = reply.json()
    assert (body["ContentType"], body["RequestCharacters"]) == ("audio/pcm", len(HARVARD))
    audio = decode(base64.b64decode(body["AudioStream"]), "pcm", 8000)
    assert 1.5 < audio.seconds < 5.0 and audio.rms > 0.02
    bad = httpx.post(f"{polly_gateway.url}/v1/polly/synthesize-speech",
                     json={"Text": "<speak>", "TextType": "ssml", "VoiceId": "Amy", "OutputFormat": "pcm"})
    assert (bad.status_code, bad.json()["__type"]) == (400, "InvalidSsmlException")


def test_sdk_returns_audio_bytes(polly_gateway) -> None:
    with Client(polly_gateway.url) as client:
        response = client.polly.synthesize_speech(HARVARD, "Matthew", "mp3")
        voices = client.polly.describe_voices(language_code="fr-FR").Voices
    assert decode(response.AudioStream, "mp3").rms > 0.02
    assert {v.Id for v in voices} == {"Celine", "Lea", "Mathieu", "Remi"}


def _finished(polly_client, task_id: str) -> dict:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        task = polly_client.get_speech_synthesis_task(TaskId=task_id)["SynthesisTask"]
        if task["TaskStatus"] not in ("scheduled", "inProgress"):
            return task
        assert time.monotonic() < deadline, f"task {task_id} still {task['TaskStatus']}"
        time.sleep(0.1)


def test_synthesis_tasks_write_to_s3(polly_client, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="speech-out")
    text = " ".join([HARVARD] * 80)  # over SynthesizeSpeech's 3000 characters
    started = polly_client.start_speech_synthesis_task(
        Text=text, VoiceId="Joanna", OutputFormat="mp3", OutputS3BucketName="speech-out", OutputS3KeyPrefix="book/",
    )["SynthesisTask"]
    assert started["TaskStatus"] in ("scheduled", "inProgress") and started["RequestCharacters"] == len(text)
    task = _finished(polly_client, started["TaskId"])
    assert task["TaskStatus"] == "completed", task.get("TaskStatusReason")
    key = f"book/{started['TaskId']}.mp3"
    assert task["OutputUri"] == f"{s3_server.endpoint_url}/speech-out/{key}"
    audio = decode(s3.get_object(Bucket="speech-out", Key=key)["Body"].read(), "mp3")
    assert audio.seconds > 80 * 1.5 and audio.rms > 0.02

    marks = polly_client.start_speech_synthesis_task(
        Text=HARVARD, VoiceId="Joanna", OutputFormat="json", SpeechMarkTypes=["word"], OutputS3BucketName="speech-out",
    )["SynthesisTask"]
    assert _finished(polly_client, marks["TaskId"])["TaskStatus"] == "completed"
    lines = s3.get_object(Bucket="speech-out", Key=f"{marks['TaskId']}.marks")["Body"].read().decode().splitlines()
    assert [json.loads(line)["value"] for line in lines][:2] == ["Glue", "the"]

    failed = polly_client.start_speech_synthesis_task(
        Text=HARVARD, VoiceId="Joanna", OutputFormat="mp3", OutputS3BucketName="no-such-bucket",
    )["SynthesisTask"]
    assert "no-such-bucket" in _finished(polly_client, failed["TaskId"])["TaskStatusReason"]

    listed = polly_client.list_speech_synthesis_tasks(Status="completed")["SynthesisTasks"]
    assert {started["TaskId"], marks["TaskId"]} <= {t["TaskId"] for t in listed}
    assert all(t["TaskStatus"] == "completed" for t in listed)
    first = polly_client.list_speech_synthesis_tasks(MaxResults=1)
    assert len(first["SynthesisTasks"]) == 1 and first["NextToken"]
    second = polly_client.list_speech_synthesis_tasks(MaxResults=1, NextToken=first["NextToken"])
    assert second["SynthesisTasks"][0]["TaskId"] != first["SynthesisTasks"][0]["TaskId"]


def test_synthesis_tasks_write_to_a_local_folder(polly_gateway, polly_client, speech_folder: Path) -> None:
    text = "The birch canoe slid on the smooth planks. " * 3
    reply = httpx.post(f"{polly_gateway.url}/v1/polly/start-speech-synthesis-task", json={
        "Text": text, "VoiceId": "Joanna", "OutputFormat": "mp3", "OutputS3BucketName": str(speech_folder),
        "OutputS3KeyPrefix": "book/"})
    assert reply.status_code == 200, reply.text
    started = reply.json()["SynthesisTask"]
    task = _finished(polly_client, started["TaskId"])  # a task started on any door is seen on every door
    assert task["TaskStatus"] == "completed", task.get("TaskStatusReason")
    path = speech_folder / "book" / f"{started['TaskId']}.mp3"
    assert task["OutputUri"] == path.as_uri()
    assert 5 < decode(path.read_bytes(), "mp3").seconds < 20 and decode(path.read_bytes(), "mp3").rms > 0.02
    # In process, the folder as a file:// URI; speech marks land beside the audio.
    marks = with_job_operations(Polly)().start_speech_synthesis_task(
        text=HARVARD, voice_id="Brian", output_format="json", speech_mark_types=["word"],
        output_s3_bucket_name=speech_folder.as_uri())
    assert _finished(polly_client, marks.SynthesisTask.TaskId)["TaskStatus"] == "completed"
    words = [json.loads(line)["value"] for line in (speech_folder / f"{marks.SynthesisTask.TaskId}.marks").open()]
    assert words == HARVARD.rstrip(".").split()
    for bucket, prefix in (("/etc", ""), (str(speech_folder), "../../"), (f"{speech_folder}/..", "")):
        bad = httpx.post(f"{polly_gateway.url}/v1/polly/start-speech-synthesis-task", json={
            "Text": HARVARD, "VoiceId": "Joanna", "OutputFormat": "mp3", "OutputS3BucketName": bucket,
            "OutputS3KeyPrefix": prefix})
        assert (bad.status_code, bad.json()["__type"]) == (400, "InvalidS3BucketException"), (bucket, prefix)
        assert "local_roots" in bad.json()["message"]
    with pytest.raises(ClientError) as caught:  # AWS's bucket-name pattern: a folder is not a bucket on this door
        polly_client.start_speech_synthesis_task(Text=HARVARD, VoiceId="Joanna", OutputFormat="mp3",
                                                 OutputS3BucketName=str(speech_folder))
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_task_errors(polly_client) -> None:
    with pytest.raises(ClientError) as caught:
        polly_client.get_speech_synthesis_task(TaskId="nope")
    assert caught.value.response["Error"]["Code"] == "SynthesisTaskNotFoundException"
    with pytest.raises(ClientError) as caught:  # checked when started, as SynthesizeSpeech is
        polly_client.start_speech_synthesis_task(Text="<speak>", TextType="ssml", VoiceId="Joanna",
                                                 OutputFormat="mp3", OutputS3BucketName="speech-out")
    assert caught.value.response["Error"]["Code"] == "InvalidSsmlException"
