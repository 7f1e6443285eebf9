"""One synthesis, as SynthesizeSpeech and a synthesis task both do it: the request checked the way
Polly checks it (voice, engine, format, sample rate, marks, lengths, lexicons), then the script
rendered by the engine and encoded, or its speech marks written as JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import (
    EngineNotSupported,
    InvalidSampleRate,
    LanguageNotSupported,
    MarksNotSupportedForFormat,
    SsmlMarksNotSupportedForTextType,
    TextLengthExceeded,
    ValidationError,
)
from core.model_registry import ModelRegistry
from speech import audio_encoding
from speech.engines import tts_espeak, tts_flite, tts_piper
from speech.lexicons import Lexicon, apply_lexicons
from speech.polly.rendering import render
from speech.polly.shapes import SynthesisSettings
from speech.polly.voices import NEURAL, STANDARD, Voice, voice
from speech.ssml import Script, parse_ssml, plain_text

ENGINE_CAPABILITIES = {STANDARD: tts_espeak.CAPABILITY, NEURAL: tts_piper.CAPABILITY}
# Polly's sample rates per format; the first is the default (mp3/ogg_vorbis default higher on neural).
SAMPLE_RATES = {
    "pcm": ("16000", "8000"),
    "mp3": ("22050", "8000", "16000", "24000"),
    "ogg_vorbis": ("22050", "8000", "16000", "24000"),
    "ogg_opus": ("48000", "8000", "16000", "24000"),
}
NEURAL_DEFAULT_RATE = "24000"


@dataclass(frozen=True)
class Limits:
    billed: int  # characters of text, SSML tags not counted
    total: int  # characters of the input, tags included


SYNTHESIZE_LIMITS = Limits(3000, 6000)
TASK_LIMITS = Limits(100_000, 200_000)


@dataclass
class Plan:
    """A checked request, ready to render."""

    voice: Voice
    engine: str
    script: Script
    output_format: str
    sample_rate: int
    mark_types: tuple[str, ...]
    ssml: bool
    source: bytes

    @property
    def characters(self) -> int:
        return self.script.billed_characters


def _sample_rate(request: SynthesisSettings, engine: str) -> int:
    if request.OutputFormat == "json":
        return 0
    allowed = SAMPLE_RATES.get(request.OutputFormat)
    if allowed is None:
        raise ValidationError(f"OutputFormat {request.OutputFormat} is not served by this gateway "
                              f"(use one of {', '.join(SAMPLE_RATES)} or json).")
    if request.SampleRate is None:
        default = NEURAL_DEFAULT_RATE if engine == NEURAL and request.OutputFormat in ("mp3", "ogg_vorbis") \
            else allowed[0]
        return int(default)
    if request.SampleRate not in allowed:
        raise InvalidSampleRate(f"The sample rate {request.SampleRate} is not valid for {request.OutputFormat}; "
                                f"valid rates are {', '.join(sorted(allowed, key=int))}.")
    return int(request.SampleRate)


def _mark_types(request: SynthesisSettings, ssml: bool) -> tuple[str, ...]:
    types = tuple(request.SpeechMarkTypes or ())
    if request.OutputFormat == "json" and not types:
        raise ValidationError("SpeechMarkTypes are required when OutputFormat is json.")
    if types and request.OutputFormat != "json":
        raise MarksNotSupportedForFormat("Speech marks are only available with OutputFormat json.")
    if "ssml" in types and not ssml:
        raise SsmlMarksNotSupportedForTextType("SSML speech marks need TextType ssml.")
    return types


def plan(request: SynthesisSettings, lexicon: Callable[[str], Lexicon], limits: Limits) -> Plan:
    """Check a request; `lexicon(name)` finds a stored lexicon or raises LexiconNotFoundException."""
    chosen = voice(request.VoiceId)
    engine = request.Engine or STANDARD
    if engine not in chosen.engines:
        raise EngineNotSupported(f"Voice {chosen.id} does not support the {engine} engine "
                                 f"(it supports: {', '.join(chosen.engines)}).")
    if request.LanguageCode and request.LanguageCode not in (chosen.language_code,
                                                             *chosen.additional_language_codes):
        raise LanguageNotSupported(f"Voice {chosen.id} does not speak {request.LanguageCode}.")
    ssml = request.TextType == "ssml"
    sample_rate = _sample_rate(request, engine)
    mark_types = _mark_types(request, ssml)
    if len(request.Text) > limits.total:
        raise TextLengthExceeded(f"The input is {len(request.Text)} characters; the limit is {limits.total}.")
    english = chosen.language_code.startswith("en")
    script = parse_ssml(request.Text, english=english) if ssml else plain_text(request.Text)
    if script.billed_characters > limits.billed:
        raise TextLengthExceeded(f"The text is {script.billed_characters} billed characters; "
                                 f"the limit is {limits.billed}.")
    # Polly applies a lexicon only to voices of the lexicon's language.
    lexicons = [found for found in (lexicon(name) for name in request.LexiconNames or ())
                if found.language_code == chosen.language_code]
    return Plan(chosen, engine, apply_lexicons(script, lexicons), request.OutputFormat, sample_rate,
                mark_types, ssml, request.Text.encode())


def perform(planned: Plan, models: ModelRegistry) -> bytes:
    """The audio, or the speech marks as JSON lines."""
    said_by = planned.voice
    if said_by.flite and planned.engine == STANDARD:
        engine, name = models.get(tts_flite.CAPABILITY), said_by.flite
    else:
        engine, name = models.get(ENGINE_CAPABILITIES[planned.engine]), said_by.espeak
    rendering = render(planned.script, engine, name, planned.source, ssml=planned.ssml)
    if planned.output_format == "json":
        lines = [json.dumps(m, ensure_ascii=False, separators=(",", ":"))
                 for m in rendering.marks if m["type"] in planned.mark_types]
        return "".join(f"{line}\n" for line in lines).encode()
    return audio_encoding.encode(rendering.samples, rendering.sample_rate, planned.output_format,
                                 planned.sample_rate)
