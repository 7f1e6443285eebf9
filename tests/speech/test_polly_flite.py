"""Polly's flite voices (Tiffany, Kenneth, Nate): spoken by Debian's flite when it is installed,
checked by what Whisper tiny.en hears; absent from DescribeVoices, and nothing else failing, when not."""

from __future__ import annotations

import json
import shutil

import jiwer
import numpy as np
import pytest
from botocore.exceptions import ClientError

from core.errors import ValidationError
from gateway.catalog import ServiceCatalog
from speech.engines import tts_flite
from speech.engines.whisper_ct2 import WhisperEngine, locate_tiny_en
from speech.polly import Polly
from tests.speech.polly_audio import decode

HARVARD = "The birch canoe slid on the smooth planks."
FLITE = {"Tiffany": "Female", "Kenneth": "Male", "Nate": "Male"}
needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="Debian's flite is not installed")


@pytest.fixture(scope="module")
def heard():
    """What Whisper tiny.en hears in 16 kHz samples, lower case without punctuation."""
    engine = WhisperEngine(locate_tiny_en())

    def transcribe(audio: np.ndarray) -> str:
        found = engine.recognize(audio.astype(np.float32), language="en")
        return jiwer.RemovePunctuation()(" ".join(s.text for s in found.segments).lower())

    return transcribe


@needs_flite
@pytest.mark.slow
def test_flite_voices_speak_intelligibly(polly: Polly, heard) -> None:
    listed = polly.describe_voices(language_code="en-US").Voices
    assert {v.Id: v.Gender for v in listed if v.Id in FLITE} == FLITE
    assert all(v.SupportedEngines == ["standard"] for v in listed if v.Id in FLITE)
    for voice in FLITE:
        audio = decode(polly.synthesize_speech(HARVARD, voice, "pcm").AudioStream, "pcm", 16000)
        assert 1.5 < audio.seconds < 6 and audio.rms > 0.02, voice
        said = heard(audio.samples)  # flite's diphones are less clear than espeak-ng: "can use" for "canoe"
        assert {"birch", "smooth", "planks"} <= set(said.split()), (voice, said)
        assert jiwer.wer(jiwer.RemovePunctuation()(HARVARD.lower()), said) <= 0.4, (voice, said)
    slow = decode(polly.synthesize_speech('<speak><prosody rate="slow">' + HARVARD + "</prosody></speak>", "Tiffany",
                                          "pcm", text_type="ssml").AudioStream, "pcm", 16000)
    plain = decode(polly.synthesize_speech(HARVARD, "Tiffany", "pcm").AudioStream, "pcm", 16000)
    assert slow.seconds > 1.2 * plain.seconds
    marks = [json.loads(line) for line in polly.synthesize_speech(
        HARVARD, "Kenneth", "json", speech_mark_types=["sentence", "word"]).AudioStream.decode().splitlines()]
    assert [m["value"] for m in marks if m["type"] == "word"] == HARVARD.rstrip(".").split()
    times = [m["time"] for m in marks if m["type"] == "word"]
    assert times == sorted(times) and times[-1] > 500


def test_without_flite_its_voices_are_absent_and_nothing_fails(polly: Polly, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tts_flite.shutil, "which", lambda name: None)
    ids = {v.Id for v in polly.describe_voices().Voices}
    assert not ids & set(FLITE) and {"Joanna", "Matthew"} <= ids
    with pytest.raises(ValidationError, match="Tiffany"):
        polly.synthesize_speech(HARVARD, "Tiffany", "pcm")
    assert decode(polly.synthesize_speech(HARVARD, "Joanna", "pcm").AudioStream, "pcm", 16000).rms > 0.02


@needs_flite
def test_boto3_lists_and_speaks_a_flite_voice(start_gateway, aws_client) -> None:
    gateway = start_gateway(catalog=ServiceCatalog([Polly()]))
    client = aws_client("polly", gateway.url, signed=False)
    voices = client.describe_voices(LanguageCode="en-US", Engine="standard")["Voices"]
    assert {"Tiffany", "Kenneth", "Nate"} <= {v["Id"] for v in voices}
    response = client.synthesize_speech(Text=HARVARD, VoiceId="Nate", OutputFormat="mp3")
    assert response["ContentType"] == "audio/mpeg" and response["RequestCharacters"] == len(HARVARD)
    assert decode(response["AudioStream"].read(), "mp3").rms > 0.02
    with pytest.raises(ClientError) as caught:
        client.synthesize_speech(Text=HARVARD, VoiceId="Nate", OutputFormat="mp3", Engine="neural")
    assert caught.value.response["Error"]["Code"] == "EngineNotSupportedException"
