"""Amazon Transcribe on embedded Whisper models, through every door: in process, the REST door
(JSON), real boto3 clients on the AWS door, and the SDK. Real recordings (LibriVox excerpts,
telephone prompts in three languages) and speech synthesized with espeak-ng; S3 is moto's server.

One gateway for the module; in-process calls use the same model registry (the gateway configures
it), so each model loads once. Every test waits for the jobs it starts: a job left running could
be failed as interrupted when another service instance opens the job store.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import httpx
import jiwer
import pytest
from botocore.exceptions import ClientError

from core.errors import BadRequest, Conflict, NotFound
from core.model_registry import ModelRegistry
from core.settings import Settings
from gateway.client import Client
from gateway.jobs.aws_adapters import with_job_operations
from speech import Transcribe
from speech.engines.whisper_ct2 import CAPABILITY, SPECS, locate_tiny_en
from speech.transcribe.models import speech_engine
from tests.speech.transcribe_audio import (
    asterisk_prompt,
    encode,
    librivox,
    samples_of,
    silence,
    speak,
    wav_bytes,
)
from tests.speech.transcribe_jobs import held, run_job, wait

pytestmark = pytest.mark.slow
TINY = {"LanguageModelName": "whisper-tiny.en"}
BUCKET = "transcribe-media"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's model folder: tiny.en under a name of the user's choosing, as a real user folder."""
    folder = tmp_path_factory.mktemp("models")
    (folder / "my-whisper").symlink_to(locate_tiny_en(), target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def tx(start_gateway, s3_server, media: Path, models_dir: Path):
    gateway = start_gateway(jobs={"local_roots": [media, "/usr/share"]}, s3_endpoint_url=s3_server.endpoint_url,
                            model_dir=models_dir)
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    return gateway


@pytest.fixture(scope="module")
def service(tx) -> Transcribe:
    # In process, with the AWS job operations the gateway adds (on an engine of its own over the gateway's
    # data_dir), on the global registry, which the gateway configured.
    return with_job_operations(Transcribe)()


def words(text: str) -> str:
    return jiwer.RemovePunctuation()(text.lower().replace("-", " "))


def test_transcribes_a_real_recording_in_aws_format(service: Transcribe) -> None:
    path, reference = librivox("0870")
    job = run_job(service, transcription_job_name="librivox", media={"MediaFileUri": str(path)},
                  language_code="en-US")
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["LanguageCode"] == "en-US" and job["CompletionTime"] >= job["CreationTime"]
    document = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))
    assert document["jobName"] == "librivox" and document["status"] == "COMPLETED"
    text = document["results"]["transcripts"][0]["transcript"]
    assert jiwer.wer(reference, words(text)) < 0.15, text
    items = document["results"]["items"]
    spoken = [i for i in items if i["type"] == "pronunciation"]
    # AWS's item shape: strings for times and confidences; punctuation has no times.
    assert all(isinstance(i["start_time"], str) and isinstance(i["alternatives"][0]["confidence"], str) for i in spoken)
    starts = [float(i["start_time"]) for i in spoken]
    assert starts == sorted(starts) and float(spoken[-1]["end_time"]) <= 7.2
    assert items[-1]["type"] == "punctuation" and items[-1]["alternatives"][0]["content"] == "."
    assert "start_time" not in items[-1]
    assert " ".join(i["alternatives"][0]["content"] for i in spoken).lower().startswith("and mr")
    assert document["results"]["audio_segments"][0]["items"][0] == 0


def test_any_container_and_sample_rate(service: Transcribe, media: Path) -> None:
    # A real recording (espeak-ng's output varies a little from call to call), at 22.05 kHz.
    rate = 22050
    samples = samples_of(asterisk_prompt("en_US_f_Allison", "vm-intro"), rate)
    for suffix, container, codec in [("mp3", "mp3", "libmp3lame"), ("ogg", "ogg", "libopus"), ("flac", "flac", "flac"),
                                     ("m4a", "ipod", "aac"), ("webm", "webm", "libopus")]:
        (media / f"message.{suffix}").write_bytes(encode(samples, rate, container, codec))
    for suffix in ("mp3", "m4a", "webm"):
        job = run_job(service, transcription_job_name=f"format-{suffix}", language_code="en-US", model_settings=TINY,
                      media={"MediaFileUri": str(media / f"message.{suffix}")})
        text = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))["results"]["transcripts"][0]
        assert jiwer.wer("please leave your message after the tone when done hang up or press the pound key",
                         words(text["transcript"])) <= 0.2, text


def test_identifies_the_language(service: Transcribe) -> None:
    prompt = asterisk_prompt("fr_CA_f_June", "vm-intro")
    job = run_job(service, transcription_job_name="french", media={"MediaFileUri": str(prompt)},
                  identify_language=True, language_options=["en-US", "fr-CA", "es-US"])
    assert job["LanguageCode"] == "fr-CA" and job["IdentifiedLanguageScore"] > 0.5
    document = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))
    assert document["results"]["language_identification"][0]["code"] == "fr-CA"
    assert "message" in document["results"]["transcripts"][0]["transcript"].lower()


def test_identifies_multiple_languages(service: Transcribe, media: Path) -> None:
    english, _ = librivox("0880")
    spliced = [samples_of(english), silence(1.5), samples_of(asterisk_prompt("fr_CA_f_June", "conf-onlyperson"))]
    import numpy as np

    (media / "two-languages.wav").write_bytes(wav_bytes(np.concatenate(spliced), 16000))
    job = run_job(service, transcription_job_name="two-languages", identify_multiple_languages=True,
                  media={"MediaFileUri": str(media / "two-languages.wav")})
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert {c["LanguageCode"] for c in job["LanguageCodes"]} == {"en-US", "fr-FR"}
    document = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))
    spoken = [i for i in document["results"]["items"] if i["type"] == "pronunciation"]
    assert spoken[0]["language_code"] == "en-US" and spoken[-1]["language_code"] == "fr-FR"


def test_speaker_labels_on_a_spliced_conversation(service: Transcribe, media: Path) -> None:
    import numpy as np

    man, _ = librivox("0880")
    woman = asterisk_prompt("en_US_f_Allison", "auth-incorrect")
    turns = [samples_of(man), silence(1), samples_of(woman), silence(1), samples_of(librivox("0930")[0])]
    (media / "conversation.wav").write_bytes(wav_bytes(np.concatenate(turns), 16000))
    job = run_job(service, transcription_job_name="conversation", language_code="en-US",
                  media={"MediaFileUri": str(media / "conversation.wav")},
                  settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 3})
    labels = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))["results"]["speaker_labels"]
    assert labels["speakers"] == 2
    order = [segment["speaker_label"] for segment in labels["segments"]]
    assert order == ["spk_0", "spk_1", "spk_0"], order


def test_redaction_vocabulary_filter_and_subtitles(service: Transcribe, media: Path) -> None:
    samples, rate = speak("Hello, my name is John Smith. The young man is here.")
    (media / "pii.wav").write_bytes(wav_bytes(samples, rate))
    service.create_vocabulary_filter(vocabulary_filter_name="mild", language_code="en-US", words=["young"])
    job = run_job(service, transcription_job_name="redacted", language_code="en-US",
                  media={"MediaFileUri": str(media / "pii.wav")},
                  content_redaction={"RedactionType": "PII", "RedactionOutput": "redacted_and_unredacted"},
                  settings={"VocabularyFilterName": "mild", "VocabularyFilterMethod": "mask"},
                  subtitles={"Formats": ["srt", "vtt"], "OutputStartIndex": 1})
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    plain = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))["results"]
    redacted = json.loads(held(service, job["Transcript"]["RedactedTranscriptFileUri"]))["results"]
    assert "Smith" in plain["transcripts"][0]["transcript"] and "***" in plain["transcripts"][0]["transcript"]
    text = redacted["transcripts"][0]["transcript"]
    assert "[PII]" in text and "Smith" not in text and "young" not in text
    pii = [i for i in redacted["items"] if i["alternatives"][0]["content"] == "[PII]"]
    assert pii[0]["alternatives"][0]["redactions"][0]["type"] == "NAME"
    srt_uri, vtt_uri = job["Subtitles"]["SubtitleFileUris"]
    srt = held(service, srt_uri).decode()
    assert srt.startswith("1\n00:00:0") and "-->" in srt and "[PII]" in srt  # subtitles follow the redaction
    assert held(service, vtt_uri).decode().startswith("WEBVTT\n\n1\n00:00:0")

    tagged = run_job(service, transcription_job_name="tagged", language_code="en-US", model_settings=TINY,
                     media={"MediaFileUri": str(media / "pii.wav")},
                     settings={"VocabularyFilterName": "mild", "VocabularyFilterMethod": "tag"})
    items = json.loads(held(service, tagged["Transcript"]["TranscriptFileUri"]))["results"]["items"]
    assert [i["alternatives"][0]["content"] for i in items if i.get("vocabulary_filter_match")] == ["young"]
    removed = run_job(service, transcription_job_name="removed", language_code="en-US", model_settings=TINY,
                      media={"MediaFileUri": str(media / "pii.wav")},
                      settings={"VocabularyFilterName": "mild", "VocabularyFilterMethod": "remove"})
    text = json.loads(held(service, removed["Transcript"]["TranscriptFileUri"]))["results"]["transcripts"][0]
    assert "young" not in text["transcript"].lower() and "man" in text["transcript"].lower()


def test_custom_vocabularies(service: Transcribe, media: Path) -> None:
    made = service.create_vocabulary(vocabulary_name="novel", language_code="en-US", phrases=["Dashwood", "Norland-Park"])
    assert made.VocabularyState == "READY"
    with pytest.raises(Conflict):
        service.create_vocabulary(vocabulary_name="novel", language_code="en-US", phrases=["x"])
    (media / "phrases.txt").write_text("Phrase\tIPA\tSoundsLike\tDisplayAs\nMarianne\t\t\t\nElinor\t\t\t\n")
    service.create_vocabulary(vocabulary_name="sisters", language_code="en-US",
                              vocabulary_file_uri=str(media / "phrases.txt"))
    listed = service.list_vocabularies(name_contains="NOV")
    assert [v.VocabularyName for v in listed.Vocabularies] == ["novel"]
    path, reference = librivox("0870")
    job = run_job(service, transcription_job_name="with-vocabulary", language_code="en-US",
                  media={"MediaFileUri": str(path)}, settings={"VocabularyName": "novel"}, model_settings=TINY)
    text = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))["results"]["transcripts"][0]
    assert "Dashwood" in text["transcript"]
    service.delete_vocabulary("sisters")
    with pytest.raises(NotFound):
        service.get_vocabulary("sisters")
    with pytest.raises(NotFound):
        run_job(service, transcription_job_name="no-vocabulary", language_code="en-US",
                media={"MediaFileUri": str(path)}, settings={"VocabularyName": "sisters"})


def test_bad_input(service: Transcribe, media: Path) -> None:
    (media / "notes.wav").write_bytes(b"these are meeting notes, not audio " * 20)
    (media / "empty.wav").write_bytes(wav_bytes(silence(0), 16000))
    (media / "quiet.wav").write_bytes(wav_bytes(silence(3), 16000))
    for name, reason in (("notes", "could not be decoded"), ("empty", "0 seconds")):
        job = run_job(service, transcription_job_name=f"bad-{name}", language_code="en-US",
                      media={"MediaFileUri": str(media / f"{name}.wav")})
        assert job["TranscriptionJobStatus"] == "FAILED" and reason in job["FailureReason"]
    quiet = run_job(service, transcription_job_name="quiet", language_code="en-US", model_settings=TINY,
                    media={"MediaFileUri": str(media / "quiet.wav")})
    document = json.loads(held(service, quiet["Transcript"]["TranscriptFileUri"]))
    assert document["results"]["transcripts"] == [{"transcript": ""}] and document["results"]["items"] == []
    for language in ("ab-GE", "xx-XX"):  # Abkhaz is a Transcribe language Whisper lacks
        with pytest.raises(BadRequest, match="language code"):
            service.start_transcription_job(transcription_job_name="lang", language_code=language,
                                            media={"MediaFileUri": str(media / "quiet.wav")})
    with pytest.raises(BadRequest, match="not supported"):
        service.start_transcription_job(transcription_job_name="lang", language_code="fr-FR", model_settings=TINY,
                                        media={"MediaFileUri": str(media / "quiet.wav")})
    with pytest.raises(BadRequest, match="local_roots"):
        service.start_transcription_job(transcription_job_name="outside", language_code="en-US",
                                        media={"MediaFileUri": "/etc/hostname"})
    with pytest.raises(Conflict):
        service.start_transcription_job(transcription_job_name="quiet", language_code="en-US",
                                        media={"MediaFileUri": str(media / "quiet.wav")})
    with pytest.raises(NotFound):
        service.get_transcription_job("never-started")


def test_a_users_model_folder(service: Transcribe, models_dir: Path) -> None:
    path, reference = librivox("0880")
    job = run_job(service, transcription_job_name="own-model", language_code="en-US",
                  media={"MediaFileUri": str(path)}, model_settings={"LanguageModelName": "my-whisper"})
    assert job["ModelSettings"] == {"LanguageModelName": "my-whisper"}
    text = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))["results"]["transcripts"][0]
    assert jiwer.wer(reference, words(text["transcript"])) <= 0.25  # tiny.en: at most 2 words of 8 wrong
    with pytest.raises(BadRequest, match="doesn't exist"):
        service.start_transcription_job(transcription_job_name="no-model", language_code="en-US",
                                        media={"MediaFileUri": str(path)}, model_settings={"LanguageModelName": "gone"})
    # The capability itself pointed at a folder by settings, as a user configures the gateway.
    models = ModelRegistry(Settings(models={CAPABILITY: {"path": str(models_dir / "my-whisper")}}))
    for spec in SPECS:
        models.register(spec)
    engine = speech_engine(models, None)
    assert not engine.multilingual and engine.folder == models_dir / "my-whisper"


def test_boto3_s3_media_and_output_bucket(tx, aws_client, s3_server) -> None:
    client = aws_client("transcribe", tx.url, signed=False)
    s3 = s3_server.client()
    path, reference = librivox("0930")
    s3.put_object(Bucket=BUCKET, Key="in/clip.wav", Body=path.read_bytes())
    started = client.start_transcription_job(
        TranscriptionJobName="boto-job", LanguageCode="en-US", Media={"MediaFileUri": f"s3://{BUCKET}/in/clip.wav"},
        OutputBucketName=BUCKET, OutputKey="out/", Subtitles={"Formats": ["srt"]}, ModelSettings=TINY,
    )
    assert started["TranscriptionJob"]["TranscriptionJobStatus"] in ("QUEUED", "IN_PROGRESS")
    job = wait(lambda name: client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"], "boto-job")
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    uri = job["Transcript"]["TranscriptFileUri"]
    assert uri == f"{s3_server.endpoint_url}/{BUCKET}/out/boto-job.json"
    # As AWS's: the object's address on the S3 endpoint, read with the bucket owner's credentials.
    bucket, key = urllib.parse.urlsplit(uri).path.lstrip("/").split("/", 1)
    document = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert jiwer.wer(reference, words(document["results"]["transcripts"][0]["transcript"])) < 0.2
    assert s3.get_object(Bucket=BUCKET, Key="out/boto-job.srt")["Body"].read().startswith(b"0\n00:00:00,")
    summaries = client.list_transcription_jobs(JobNameContains="boto", Status="COMPLETED")["TranscriptionJobSummaries"]
    assert [(s["TranscriptionJobName"], s["OutputLocationType"]) for s in summaries] == [("boto-job", "CUSTOMER_BUCKET")]
    for call, code in ((lambda: client.start_transcription_job(
            TranscriptionJobName="boto-job", LanguageCode="en-US", Media={"MediaFileUri": f"s3://{BUCKET}/in/clip.wav"}),
            "ConflictException"),
            (lambda: client.get_transcription_job(TranscriptionJobName="missing"), "NotFoundException"),
            (lambda: client.start_transcription_job(TranscriptionJobName="bad-lang", LanguageCode="ab-GE",
                                                    Media={"MediaFileUri": f"s3://{BUCKET}/in/clip.wav"}),
             "BadRequestException")):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == code
    client.delete_transcription_job(TranscriptionJobName="boto-job")
    with pytest.raises(ClientError) as caught:
        client.get_transcription_job(TranscriptionJobName="boto-job")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    s3.put_object(Bucket=BUCKET, Key="in/missing-bucket.wav", Body=path.read_bytes())
    client.start_transcription_job(TranscriptionJobName="boto-job", LanguageCode="en-US", ModelSettings=TINY,
                                   Media={"MediaFileUri": f"s3://{BUCKET}/in/nothing-here.wav"})
    failed = wait(lambda name: client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"], "boto-job")
    assert failed["TranscriptionJobStatus"] == "FAILED" and "nothing-here.wav" in failed["FailureReason"]

    client.create_vocabulary_filter(VocabularyFilterName="boto-filter", LanguageCode="en-US", Words=["tone"])
    assert client.get_vocabulary_filter(VocabularyFilterName="boto-filter")["LanguageCode"] == "en-US"
    with pytest.raises(ClientError) as caught:
        client.get_vocabulary(VocabularyName="missing")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_rest_json_and_sdk(tx) -> None:
    path, reference = librivox("0890")
    body = {"TranscriptionJobName": "rest-job", "LanguageCode": "en-US", "Media": {"MediaFileUri": str(path)},
            "ModelSettings": TINY}
    response = httpx.post(f"{tx.url}/v1/transcribe/start-transcription-job", json=body)
    assert response.status_code == 200, response.text

    def get(name: str) -> dict:
        answer = httpx.post(f"{tx.url}/v1/transcribe/get-transcription-job", json={"TranscriptionJobName": name})
        return answer.json()["TranscriptionJob"]

    job = wait(get, "rest-job")
    uri = urllib.parse.urlsplit(job["Transcript"]["TranscriptFileUri"])
    document = httpx.get(f"{tx.url}{uri.path}").json()  # the gateway holds it: same path, this server
    assert jiwer.wer(reference, words(document["results"]["transcripts"][0]["transcript"])) < 0.2
    again = httpx.post(f"{tx.url}/v1/transcribe/start-transcription-job", json=body)
    assert again.status_code == 409 and again.json()["__type"] == "ConflictException"

    with Client(tx.url) as client:
        listed = client.transcribe.list_transcription_jobs(job_name_contains="rest")
        assert [s.TranscriptionJobName for s in listed.TranscriptionJobSummaries] == ["rest-job"]
        client.transcribe.delete_transcription_job("rest-job")
        with pytest.raises(NotFound):
            client.transcribe.get_transcription_job("rest-job")
    assert httpx.get(f"{tx.url}{uri.path}").json()["__type"] == "NotFoundException"  # deleted with its job


def test_streaming_door(tx) -> None:
    from websockets.sync.client import connect

    path, reference = librivox("0870")
    pcm = samples_of(path, 8000).tobytes()  # 8 kHz: the door resamples
    events = []
    url = tx.url.replace("http://", "ws://") + "/v1/transcribe/stream?language-code=en-US&sample-rate=8000"
    with connect(url + "&model=whisper-tiny.en") as socket:
        for start in range(0, len(pcm), 8000):  # half a second a message
            socket.send(pcm[start:start + 8000])
        socket.send(silence(1, 8000).tobytes())
        socket.send(json.dumps({"type": "end"}))
        for message in socket:
            events.append(json.loads(message))
    results = [event["Transcript"]["Results"][0] for event in events]
    assert any(r["IsPartial"] for r in results) and not results[-1]["IsPartial"]
    final = " ".join(r["Alternatives"][0]["Transcript"] for r in results if not r["IsPartial"])
    assert jiwer.wer(reference, words(final)) < 0.25, final
    item = results[-1]["Alternatives"][0]["Items"][0]
    assert set(item) >= {"Type", "Content", "StartTime", "EndTime", "Confidence"} and item["Type"] == "pronunciation"

    with connect(tx.url.replace("http://", "ws://") + "/v1/transcribe/stream?language-code=xx-XX") as socket:
        error = json.loads(socket.recv())
    assert error == {"type": "error", "code": "BadRequestException", "message": error["message"]}


def test_streaming_door_checks_the_api_key(secured_gateway) -> None:
    from websockets.sync.client import connect

    from tests.conftest import API_KEY

    url = secured_gateway.url.replace("http://", "ws://") + "/v1/transcribe/stream?language-code=en-US"
    with connect(url) as socket:
        assert json.loads(socket.recv())["code"] == "MissingAuthenticationTokenException"
    samples, rate = speak("Good morning everyone.")
    with connect(url + f"&sample-rate={rate}&model=whisper-tiny.en",
                 additional_headers={"Authorization": f"Bearer {API_KEY}"}) as socket:
        socket.send(samples.tobytes())
        socket.send(json.dumps({"type": "end"}))
        final = json.loads(socket.recv())["Transcript"]["Results"][0]
    assert not final["IsPartial"] and "good morning" in final["Alternatives"][0]["Transcript"].lower()
