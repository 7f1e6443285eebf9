"""Polly in process on the embedded voices (espeak-ng, Piper "joe"): audio decoded as a client would
decode it, speech marks checked against the input's bytes, SSML, lexicons, voices and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import (
    EngineNotSupported,
    InvalidLexicon,
    InvalidSampleRate,
    InvalidSsml,
    LanguageNotSupported,
    LexiconNotFound,
    MarksNotSupportedForFormat,
    SsmlMarksNotSupportedForTextType,
    TextLengthExceeded,
    UnsupportedPlsAlphabet,
    UnsupportedPlsLanguage,
    ValidationError,
)
from speech.polly import Polly
from tests.speech.polly_audio import decode

HARVARD = "The birch canoe slid on the smooth planks."
VISEMES = {"p", "t", "S", "T", "f", "k", "i", "r", "s", "u", "@", "a", "e", "E", "o", "O", "sil"}
W3C_LEXICON = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="{alphabet}" xml:lang="{language}">
  <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
  <lexeme><grapheme>tomato</grapheme><phoneme>təˈmɑːtoʊ</phoneme></lexeme>
</lexicon>"""


def _marks(polly: Polly, text: str, types: list[str], **kwargs) -> list[dict]:
    stream = polly.synthesize_speech(text, kwargs.pop("voice_id", "Joanna"), "json", speech_mark_types=types,
                                     **kwargs).AudioStream
    return [json.loads(line) for line in stream.decode().splitlines()]


def _seconds(polly: Polly, text: str, **kwargs) -> float:
    voice = kwargs.pop("voice_id", "Joanna")
    return decode(polly.synthesize_speech(text, voice, "pcm", **kwargs).AudioStream, "pcm", 16000).seconds


def test_mp3_decodes_to_audible_speech_of_plausible_length(polly: Polly) -> None:
    response = polly.synthesize_speech(HARVARD, "Joanna", "mp3")
    assert (response.ContentType, response.RequestCharacters) == ("audio/mpeg", len(HARVARD))
    audio = decode(response.AudioStream, "mp3")
    assert (audio.codec, audio.sample_rate, audio.channels) == ("mp3float", 22050, 1)
    assert 1.5 < audio.seconds < 5.0  # eight words
    assert audio.rms > 0.02


@pytest.mark.parametrize(("output_format", "rate", "content_type", "decoded_rate"), [
    ("pcm", "8000", "audio/pcm", 8000),
    ("pcm", None, "audio/pcm", 16000),
    ("mp3", "24000", "audio/mpeg", 24000),
    ("ogg_vorbis", "16000", "audio/ogg", 16000),
    ("ogg_opus", None, "audio/ogg", 48000),
    ("ogg_opus", "16000", "audio/ogg", 48000),  # Opus always decodes at 48 kHz
])
def test_every_format_carries_the_same_speech_at_its_rate(polly: Polly, output_format: str, rate: str | None,
                                                          content_type: str, decoded_rate: int) -> None:
    reference = _seconds(polly, HARVARD)
    response = polly.synthesize_speech(HARVARD, "Joanna", output_format, sample_rate=rate)
    assert response.ContentType == content_type
    audio = decode(response.AudioStream, output_format, int(rate or 16000))
    assert audio.sample_rate == decoded_rate
    assert abs(audio.seconds - reference) < 0.15
    assert audio.rms > 0.02


@pytest.mark.parametrize("output_format", ["mp3", "ogg_vorbis", "ogg_opus"])
def test_nothing_to_say_is_a_valid_silent_file(polly: Polly, output_format: str) -> None:
    for text, text_type in [("", "text"), ("<speak><mark name='only'/></speak>", "ssml")]:
        audio = decode(polly.synthesize_speech(text, "Joanna", output_format, text_type=text_type).AudioStream,
                       output_format)
        assert audio.seconds < 0.1 and audio.rms < 0.001


def test_sample_rates_are_checked_per_format(polly: Polly) -> None:
    for output_format, rate in [("pcm", "22050"), ("mp3", "48000"), ("ogg_opus", "22050"), ("mp3", "fast")]:
        with pytest.raises(InvalidSampleRate):
            polly.synthesize_speech("Hi", "Joanna", output_format, sample_rate=rate)


def test_word_and_sentence_marks_point_at_the_input_bytes(polly: Polly) -> None:
    text = "Ça va très bien. Où est le café?"
    marks = _marks(polly, text, ["sentence", "word"], voice_id="Celine")
    source = text.encode()
    words = [m for m in marks if m["type"] == "word"]
    assert [m["value"] for m in words] == ["Ça", "va", "très", "bien", "Où", "est", "le", "café"]
    assert all(source[m["start"]:m["end"]].decode() == m["value"] for m in words)
    assert words[-1]["end"] == len(source) - 1  # bytes, not characters: "é" and "Ç" take two
    times = [m["time"] for m in words]
    assert times == sorted(times) and times[-1] > 1000
    sentences = [m for m in marks if m["type"] == "sentence"]
    assert [m["value"] for m in sentences] == ["Ça va très bien.", "Où est le café?"]
    assert sentences[1]["time"] > words[3]["time"]


def test_viseme_marks_use_pollys_set(polly: Polly) -> None:
    marks = _marks(polly, "Papa found the big shoe.", ["viseme"])
    names = [m["value"] for m in marks]
    assert set(names) <= VISEMES and {"p", "f", "u", "S"} <= set(names)
    assert names[-1] == "sil"


def test_marks_need_json_and_ssml_marks_need_ssml(polly: Polly) -> None:
    with pytest.raises(MarksNotSupportedForFormat):
        polly.synthesize_speech("Hi", "Joanna", "mp3", speech_mark_types=["word"])
    with pytest.raises(SsmlMarksNotSupportedForTextType):
        polly.synthesize_speech("Hi", "Joanna", "json", speech_mark_types=["ssml"])
    with pytest.raises(ValidationError):
        polly.synthesize_speech("Hi", "Joanna", "json")


def test_ssml_marks_breaks_and_rewritten_text(polly: Polly) -> None:
    ssml = ('<speak>Call <say-as interpret-as="digits">123</say-as> now.<mark name="here"/>'
            '<break time="1s"/><sub alias="World Wide Web Consortium">W3C</sub> &amp; friends.</speak>')
    marks = _marks(polly, ssml, ["ssml", "word", "sentence"], text_type="ssml")
    source = ssml.encode()
    words = [m for m in marks if m["type"] == "word"]
    # A rewritten token is one word mark over its own bytes, however many words are said for it.
    assert [m["value"] for m in words] == ["Call", "123", "now", "W3C", "&", "friends"]
    assert source[words[1]["start"]:words[1]["end"]] == b"123"
    assert source[words[4]["start"]:words[4]["end"]] == b"&amp;"
    (mark,) = [m for m in marks if m["type"] == "ssml"]
    assert mark["value"] == "here" and source[mark["start"]:mark["end"]] == b'<mark name="here"/>'
    assert words[2]["time"] < mark["time"] and words[3]["time"] - mark["time"] >= 1000  # the break
    assert [m["value"] for m in marks if m["type"] == "sentence"] == ["Call 123 now.", "W3C & friends."]


def test_ssml_prosody_changes_length_and_loudness(polly: Polly) -> None:
    plain = _seconds(polly, HARVARD)
    slow = _seconds(polly, f'<speak><prosody rate="x-slow">{HARVARD}</prosody></speak>', text_type="ssml")
    fast = _seconds(polly, f'<speak><prosody rate="150%">{HARVARD}</prosody></speak>', text_type="ssml")
    assert slow > 1.3 * plain and fast < 0.8 * plain
    loud = polly.synthesize_speech(HARVARD, "Joanna", "pcm").AudioStream
    quiet = polly.synthesize_speech(f'<speak><prosody volume="-12dB">{HARVARD}</prosody></speak>', "Joanna",
                                    "pcm", text_type="ssml").AudioStream
    assert decode(quiet, "pcm", 16000).rms < 0.35 * decode(loud, "pcm", 16000).rms


def test_ssml_breaks_paragraphs_phonemes_and_dates(polly: Polly) -> None:
    pause = _seconds(polly, '<speak>One.<break time="2s"/>Two.</speak>', text_type="ssml")
    assert pause - _seconds(polly, "One. Two.") > 1.8
    said = _marks(polly, '<speak><p>I said <phoneme alphabet="x-sampa" ph="t@\'meItoU">tomato</phoneme>.</p>'
                         '<s>Born <say-as interpret-as="date" format="mdy">01/05/2020</say-as></s></speak>',
                  ["word", "sentence"], text_type="ssml")
    assert [m["value"] for m in said if m["type"] == "word"] == ["I", "said", "tomato", "Born", "01/05/2020"]
    assert len([m for m in said if m["type"] == "sentence"]) == 2


def test_unknown_ssml_tags_are_said_as_their_text(polly: Polly) -> None:
    ssml = '<speak><amazon:effect name="whispered">Quietly now</amazon:effect> <emphasis>please</emphasis></speak>'
    words = _marks(polly, ssml, ["word"], text_type="ssml")
    assert [m["value"] for m in words] == ["Quietly", "now", "please"]


@pytest.mark.parametrize("ssml", [
    "<speak>unclosed", "Hello <break/>", "<speak><break time='forever'/></speak>",
    "<speak><prosody rate='999%'>x</prosody></speak>", "<speak><phoneme alphabet='klingon' ph='x'>y</phoneme></speak>",
])
def test_bad_ssml_is_invalid_ssml(polly: Polly, ssml: str) -> None:
    with pytest.raises(InvalidSsml):
        polly.synthesize_speech(ssml, "Joanna", "mp3", text_type="ssml")


def test_text_limits_count_billed_and_total_characters(polly: Polly) -> None:
    with pytest.raises(TextLengthExceeded):
        polly.synthesize_speech("a" * 3001, "Joanna", "pcm")
    with pytest.raises(TextLengthExceeded):  # 600 billed characters, but 6001 in all
        polly.synthesize_speech("<speak>" + "<s>x</s>" * 600 + " " * (6001 - 7 - 8 * 600 - 8) + "</speak>",
                                "Joanna", "pcm", text_type="ssml")
    response = polly.synthesize_speech('<speak>Hi <break time="1s"/> you</speak>', "Joanna", "pcm",
                                       text_type="ssml")
    assert response.RequestCharacters == len("Hi  you")


def test_voices_filter_by_language_and_engine(polly: Polly) -> None:
    german = polly.describe_voices(language_code="de-DE").Voices
    assert {v.Id for v in german} == {"Marlene", "Vicki", "Hans", "Daniel"}
    assert all(v.LanguageName == "German" and v.SupportedEngines == ["standard"] for v in german)
    neural = polly.describe_voices(engine="neural").Voices
    assert neural and all(v.LanguageCode == "en-US" and v.Gender == "Male" for v in neural)
    assert len({v.LanguageCode for v in polly.describe_voices().Voices}) >= 40


def _median_pitch_hz(samples: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the loud 40 ms frames, from each frame's autocorrelation peak."""
    size, pitches = int(0.04 * rate), []
    for begin in range(0, len(samples) - size, size):
        frame = samples[begin:begin + size] - samples[begin:begin + size].mean()
        if np.sqrt(np.mean(frame ** 2)) < 0.05:
            continue
        correlation = np.correlate(frame, frame, "full")[size - 1:]
        low, high = rate // 400, rate // 60
        pitches.append(rate / (low + int(np.argmax(correlation[low:high]))))
    return float(np.median(pitches))


def test_female_voices_are_higher_than_male_ones(polly: Polly) -> None:
    pitch = {voice: _median_pitch_hz(decode(polly.synthesize_speech(HARVARD, voice, "pcm").AudioStream, "pcm",
                                            16000).samples, 16000) for voice in ("Joanna", "Matthew", "Amy", "Brian")}
    assert min(pitch["Joanna"], pitch["Amy"]) > 1.3 * max(pitch["Matthew"], pitch["Brian"]), pitch


def test_other_languages_speak(polly: Polly) -> None:
    for voice, text in [("Hans", "Guten Morgen, wie geht es dir?"), ("Tatyana", "Доброе утро, как дела?"),
                        ("Mizuki", "おはようございます")]:
        audio = decode(polly.synthesize_speech(text, voice, "pcm").AudioStream, "pcm", 16000)
        assert audio.seconds > 0.8 and audio.rms > 0.02, voice


def test_bad_voice_engine_and_language(polly: Polly) -> None:
    with pytest.raises(ValidationError, match="voiceId"):
        polly.synthesize_speech("Hi", "Nobody", "mp3")
    with pytest.raises(EngineNotSupported):
        polly.synthesize_speech("Hi", "Joanna", "mp3", engine="neural")
    with pytest.raises(EngineNotSupported):
        polly.synthesize_speech("Hi", "Joey", "mp3", engine="generative")
    with pytest.raises(LanguageNotSupported):
        polly.synthesize_speech("Hi", "Joanna", "mp3", language_code="fr-FR")


@pytest.mark.slow
def test_neural_voice_speaks_with_marks(polly: Polly) -> None:
    response = polly.synthesize_speech(HARVARD, "Joey", "mp3", engine="neural")
    audio = decode(response.AudioStream, "mp3")
    assert audio.sample_rate == 24000 and 1.5 < audio.seconds < 5.0 and audio.rms > 0.02
    ssml = f'<speak>{HARVARD}<break time="1s"/><prosody rate="slow">Glue the sheet.</prosody></speak>'
    marks = _marks(polly, ssml, ["word", "sentence"], voice_id="Joey", engine="neural", text_type="ssml")
    words = [m for m in marks if m["type"] == "word"]
    assert [m["value"] for m in words][:3] == ["The", "birch", "canoe"] and len(words) == 11
    assert [m["time"] for m in words] == sorted(m["time"] for m in words)
    assert words[8]["time"] - words[7]["time"] > 1000


def test_lexicons_are_stored_and_described(polly: Polly) -> None:
    polly.put_lexicon("w3c", W3C_LEXICON.format(alphabet="ipa", language="en-US"))
    got = polly.get_lexicon("w3c")
    assert got.Lexicon.Name == "w3c" and "World Wide Web" in got.Lexicon.Content
    attributes = got.LexiconAttributes
    assert (attributes.Alphabet, attributes.LanguageCode, attributes.LexemesCount) == ("ipa", "en-US", 2)
    assert attributes.LexiconArn.endswith(":lexicon/w3c") and attributes.Size == len(got.Lexicon.Content)
    assert "w3c" in [d.Name for d in polly.list_lexicons().Lexicons]
    # Persisted: another instance over the same data folder sees it.
    assert Polly(polly._models).get_lexicon("w3c").LexiconAttributes.LexemesCount == 2


def test_lexicons_change_what_is_said(polly: Polly) -> None:
    polly.put_lexicon("w3c", W3C_LEXICON.format(alphabet="ipa", language="en-US"))
    text = "The W3C likes tomato soup."
    plain = _marks(polly, text, ["word"])
    aliased = _marks(polly, text, ["word"], lexicon_names=["w3c"])
    assert [m["value"] for m in aliased] == [m["value"] for m in plain]  # marks stay on the input's words
    # "World Wide Web Consortium" takes longer to say than "double-u three C".
    assert aliased[2]["time"] - aliased[1]["time"] > 1.4 * (plain[2]["time"] - plain[1]["time"])
    # The lexicon's phonemes, not espeak-ng's: the British "a" of təˈmɑːtoʊ instead of the American "eɪ".
    visemes = [[m["value"] for m in _marks(polly, "tomato", ["viseme"], lexicon_names=names)]
               for names in ([], ["w3c"])]
    assert "e" in visemes[0] and "a" not in visemes[0] and "a" in visemes[1] and "e" not in visemes[1]
    british = [_marks(polly, text, ["viseme"], voice_id="Amy", lexicon_names=names) for names in ([], ["w3c"])]
    assert british[0] == british[1]  # an en-US lexicon does not apply to an en-GB voice


def test_lexicon_errors(polly: Polly) -> None:
    with pytest.raises(InvalidLexicon):
        polly.put_lexicon("broken", "<lexicon>")
    with pytest.raises(UnsupportedPlsAlphabet):
        polly.put_lexicon("klingon", W3C_LEXICON.format(alphabet="klingon", language="en-US"))
    with pytest.raises(UnsupportedPlsLanguage):
        polly.put_lexicon("elvish", W3C_LEXICON.format(alphabet="ipa", language="qya"))
    with pytest.raises(ValidationError):
        polly.put_lexicon("not-alnum", W3C_LEXICON.format(alphabet="ipa", language="en-US"))
    with pytest.raises(LexiconNotFound):
        polly.synthesize_speech("Hi", "Joanna", "mp3", lexicon_names=["missing"])
    polly.put_lexicon("gone", W3C_LEXICON.format(alphabet="x-sampa", language="en-US"))
    polly.delete_lexicon("gone")
    with pytest.raises(LexiconNotFound):
        polly.get_lexicon("gone")
    with pytest.raises(LexiconNotFound):
        polly.delete_lexicon("gone")
