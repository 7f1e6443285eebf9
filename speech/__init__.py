"""Speech services on embedded models: Amazon Transcribe and Amazon Polly."""

from core.model_registry import registry
from speech.polly import TTS_SPECS, Polly
from speech.transcribe import SPECS as TRANSCRIBE_SPECS, Transcribe

for _spec in [*TTS_SPECS, *TRANSCRIBE_SPECS]:
    registry.register(_spec)

SERVICES: list = [Transcribe, Polly]
