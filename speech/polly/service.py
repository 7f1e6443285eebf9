"""Amazon Polly, in process:
`Polly().synthesize_speech(text="Hello", voice_id="Joanna", output_format="mp3").AudioStream`.

Voices are espeak-ng's (standard), flite's when installed (standard, US English) and Piper's (neural,
US English); see speech/polly/voices.py. Synthesis tasks (StartSpeechSynthesisTask and its Get/List)
are batch jobs the gateway adds onto this class (gateway/jobs/aws_polly.py), each running
SynthesizeLongSpeech.
"""

from __future__ import annotations

from core.errors import InvalidNextToken
from core.model_registry import ModelRegistry, registry
from core.paging import offset_page
from core.service import Service, operation
from speech.audio_encoding import CONTENT_TYPES
from speech.polly import synthesis
from speech.polly.lexicon_operations import LexiconOperations
from speech.polly.shapes import (
    DescribeVoicesRequest,
    DescribeVoicesResponse,
    SynthesizeSpeechRequest,
    SynthesizeSpeechResponse,
    Voice,
)
from speech.polly.voices import available

VOICE_PAGE_SIZE = 250


class Polly(LexiconOperations, Service):
    name = "polly"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    @operation
    def describe_voices(self, request: DescribeVoicesRequest) -> DescribeVoicesResponse:
        """The voices, filtered by engine and language."""
        voices = [
            v for v in available().values()
            if (request.Engine is None or request.Engine in v.engines)
            and (request.LanguageCode is None or request.LanguageCode == v.language_code
                 or (request.IncludeAdditionalLanguageCodes and request.LanguageCode in v.additional_language_codes))
        ]
        page, token = offset_page(voices, request.NextToken, None, default_size=VOICE_PAGE_SIZE,
                                  error=InvalidNextToken)
        return DescribeVoicesResponse(
            Voices=[Voice(Gender=v.gender, Id=v.id, Name=v.id, LanguageCode=v.language_code,
                          LanguageName=v.language_name, AdditionalLanguageCodes=list(v.additional_language_codes)
                          or None, SupportedEngines=list(v.engines)) for v in page],
            NextToken=token,
        )

    def _synthesized(self, request: SynthesizeSpeechRequest, limits: synthesis.Limits) -> SynthesizeSpeechResponse:
        planned = synthesis.plan(request, self._lexicon, limits)
        return SynthesizeSpeechResponse(AudioStream=synthesis.perform(planned, self._models),
                                        ContentType=CONTENT_TYPES[planned.output_format],
                                        RequestCharacters=planned.characters)

    @operation(text_in=("Text",))
    def synthesize_speech(self, request: SynthesizeSpeechRequest) -> SynthesizeSpeechResponse:
        """Speech from text or SSML as mp3, ogg_vorbis, ogg_opus or pcm, or its speech marks as JSON lines."""
        return self._synthesized(request, synthesis.SYNTHESIZE_LIMITS)

    @operation(text_in=("Text",))
    def synthesize_long_speech(self, request: SynthesizeSpeechRequest) -> SynthesizeSpeechResponse:
        """SynthesizeSpeech up to a synthesis task's limits (100,000 billed characters): what each
        StartSpeechSynthesisTask runs (gateway/jobs/aws_polly.py). Not an AWS operation."""
        return self._synthesized(request, synthesis.TASK_LIMITS)
