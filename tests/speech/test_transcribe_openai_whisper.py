"""A user's own openai-whisper `.pt` checkpoint: loaded by the openai-whisper engine, chosen per
request (ModelSettings.LanguageModelName) or by settings, its words written in AWS's transcript
format like faster-whisper's; a missing or broken file is a clear 400, never a 500.

The checkpoint is tiny and built by the test (tests/speech/whisper_checkpoint.py): its decoder says
" hello" for anything, so the assertions are on the structure and on that word.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import httpx
import numpy as np
import pytest
from botocore.exceptions import ClientError

from core.errors import BadRequest, ModelUnavailable
from core.model_registry import ModelRegistry, registry
from core.settings import Settings
from gateway.jobs.aws_adapters import with_job_operations
from speech import Transcribe
from speech.audio import pcm16_to_float, resample
from speech.engines.whisper_ct2 import CAPABILITY
from speech.engines.whisper_openai import OpenAIWhisperEngine, _clips
from speech.transcribe import SPECS
from speech.transcribe.models import speech_engine
from tests.speech.transcribe_audio import silence, speak, wav_bytes
from tests.speech.transcribe_jobs import held, run_job, wait
from tests.speech.whisper_checkpoint import WORD, build

pytest.importorskip("whisper")
pytestmark = pytest.mark.slow
OWN = {"LanguageModelName": "tiny-random.pt"}
BUCKET = "own-checkpoint-media"


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    build(folder / "tiny-random.pt")
    (folder / "corrupt.pt").write_bytes(b"PK\x03\x04 not a torch archive")
    import torch

    torch.save({"weights": torch.zeros(3)}, folder / "no-dims.pt")  # a torch file, not a Whisper checkpoint
    return folder


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media")
    samples, rate = speak("Please leave a message after the tone.")
    (folder / "message.wav").write_bytes(wav_bytes(np.concatenate([silence(1, rate), samples]), rate))
    return folder


@pytest.fixture(scope="module")
def tx(start_gateway, s3_server, media: Path, models_dir: Path):
    s3_server.client().create_bucket(Bucket=BUCKET)
    return start_gateway(jobs={"local_roots": [media]}, model_dir=models_dir, s3_endpoint_url=s3_server.endpoint_url)


@pytest.fixture(scope="module")
def service(tx) -> Transcribe:
    # In process, with the AWS job operations the gateway adds (on an engine of its own over the gateway's
    # data_dir), on the global registry, which the gateway configured.
    return with_job_operations(Transcribe)()


def test_the_engine_loads_a_checkpoint_and_gives_timed_words(models_dir: Path, tmp_path: Path) -> None:
    engine = OpenAIWhisperEngine(models_dir / "tiny-random.pt")
    assert engine.multilingual and {"en", "fr", "ja"} <= engine.languages and len(engine.languages) == 99
    samples, rate = speak("Please leave a message after the tone.")
    audio = np.concatenate([np.zeros(16000, np.float32), resample(pcm16_to_float(samples.tobytes()), rate)])
    found = engine.recognize(audio, language="en", offset=10.0)
    words = [word for segment in found.segments for word in segment.words]
    assert words and {word.text for word in words} == {WORD}
    assert all(10.0 <= word.start <= word.end <= 10.0 + audio.size / 16000 for word in words)
    assert found.language == "en" and engine.recognize(np.zeros(48000, np.float32)).segments == ()
    ranked = engine.identify(audio)
    assert len(ranked) == 99 and abs(sum(p for _, p in ranked) - 1) < 1e-3 and ranked[0][1] >= ranked[1][1]
    english_only = OpenAIWhisperEngine(build(tmp_path / "tiny.en.pt", multilingual=False))
    assert not english_only.multilingual and english_only.languages == {"en"}
    assert english_only.identify(audio) == [("en", 1.0)]


def test_clips_never_end_past_the_last_whole_frame() -> None:
    # openai-whisper loops forever on a clip that ends inside the audio's last, partial mel frame.
    assert _clips([(0, 16000), (20000, 32050)], 32050) == [0.0, 32000 / 16000]
    assert _clips([(0, 16000), (16000 * 40, 16000 * 41)], 16000 * 41) == [0.0, 1.0, 40.0, 41.0]


def test_a_job_on_a_checkpoint_named_per_request(service: Transcribe, media: Path) -> None:
    job = run_job(service, transcription_job_name="own-pt", language_code="en-US", model_settings=OWN,
                  media={"MediaFileUri": str(media / "message.wav")})
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["ModelSettings"] == OWN
    document = json.loads(held(service, job["Transcript"]["TranscriptFileUri"]))
    assert document["jobName"] == "own-pt" and document["status"] == "COMPLETED"
    items = document["results"]["items"]
    assert items and all(i["type"] == "pronunciation" for i in items)
    assert {i["alternatives"][0]["content"] for i in items} == {"hello"}
    assert all(isinstance(i["start_time"], str) and isinstance(i["alternatives"][0]["confidence"], str)
               for i in items)
    assert document["results"]["transcripts"][0]["transcript"].startswith("hello hello")
    # The job ran on the .pt, through the openai-whisper engine.
    used = [m for m in registry.describe() if m.capability == f"{CAPABILITY}.tiny-random.pt"]
    assert [(m.engine, m.loaded) for m in used] == [("openai-whisper", True)]

    # The name without its suffix finds the same file.
    job = run_job(service, transcription_job_name="own-pt-stem", language_code="en-US",
                  model_settings={"LanguageModelName": "tiny-random"}, media={"MediaFileUri": str(media / "message.wav")})
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")


def test_missing_and_broken_checkpoints_are_bad_requests(service: Transcribe, media: Path) -> None:
    uri = str(media / "message.wav")
    for name, reason in (("absent.pt", "doesn't exist"), ("corrupt.pt", "not a loadable openai-whisper checkpoint"),
                         ("no-dims.pt", "not a loadable openai-whisper checkpoint"), ("..", "doesn't exist")):
        with pytest.raises(BadRequest, match=reason):
            service.start_transcription_job(transcription_job_name=f"bad-{name}", language_code="en-US",
                                            media={"MediaFileUri": uri}, model_settings={"LanguageModelName": name})
    with pytest.raises(BadRequest, match="not supported"):  # the checkpoint's languages are checked up front
        service.start_transcription_job(transcription_job_name="bad-lang", language_code="ab-GE", model_settings=OWN,
                                        media={"MediaFileUri": uri})


def test_boto3_and_rest(tx, aws_client, s3_server, media: Path) -> None:
    client = aws_client("transcribe", tx.url, signed=False)
    s3_server.client().put_object(Bucket=BUCKET, Key="message.wav", Body=(media / "message.wav").read_bytes())
    clip = {"MediaFileUri": f"s3://{BUCKET}/message.wav"}
    client.start_transcription_job(TranscriptionJobName="boto-pt", LanguageCode="en-US", ModelSettings=OWN,
                                   Media=clip)
    job = wait(lambda name: client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"], "boto-pt")
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["ModelSettings"] == OWN
    document = httpx.get(tx.url + urllib.parse.urlsplit(job["Transcript"]["TranscriptFileUri"]).path).json()
    assert document["results"]["items"][0]["alternatives"][0]["content"] == "hello"
    for name in ("corrupt.pt", "absent.pt"):
        with pytest.raises(ClientError) as caught:
            client.start_transcription_job(TranscriptionJobName="boto-bad", LanguageCode="en-US",
                                           ModelSettings={"LanguageModelName": name}, Media=clip)
        assert caught.value.response["Error"]["Code"] == "BadRequestException"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert name in caught.value.response["Error"]["Message"]
    response = httpx.post(f"{tx.url}/v1/transcribe/start-transcription-job", json={
        "TranscriptionJobName": "rest-bad", "LanguageCode": "en-US", "Media": {"MediaFileUri": str(media / "message.wav")},
        "ModelSettings": {"LanguageModelName": "corrupt.pt"}})
    assert response.status_code == 400 and "checkpoint" in response.json()["message"]


def test_selected_by_settings(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def registry_of(settings: Settings) -> ModelRegistry:
        models = ModelRegistry(settings)
        for spec in SPECS:
            models.register(spec)
        return models

    # A broken file chosen by the operator is the gateway's misconfiguration: 503, with the reason.
    broken = registry_of(Settings(models={CAPABILITY: {"engine": "openai-whisper",
                                                       "path": str(models_dir / "corrupt.pt")}}))
    with pytest.raises(ModelUnavailable, match="corrupt.pt is not a loadable openai-whisper checkpoint"):
        speech_engine(broken, None)
    # Selected with no path: there is no embedded checkpoint to fall back on.
    with pytest.raises(ModelUnavailable, match="openai-whisper"):
        speech_engine(registry_of(Settings(models={CAPABILITY: {"engine": "openai-whisper"}})), None)
    monkeypatch.setenv("AIGW_MODELS__TRANSCRIBE_SPEECH__ENGINE", "openai-whisper")
    monkeypatch.setenv("AIGW_MODELS__TRANSCRIBE_SPEECH__PATH", str(models_dir / "tiny-random.pt"))
    engine = speech_engine(registry_of(Settings()), None)
    assert isinstance(engine, OpenAIWhisperEngine) and engine.path == models_dir / "tiny-random.pt"
