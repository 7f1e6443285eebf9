"""Amazon Transcribe on embedded Whisper models (faster-whisper; openai-whisper for a user's .pt), Silero VAD and
Resemblyzer."""

from speech.engines import diarization_resemblyzer, whisper_ct2, whisper_openai
from speech.transcribe.service import Transcribe

SPECS = [*whisper_ct2.SPECS, whisper_openai.SPEC, diarization_resemblyzer.SPEC]
__all__ = ["SPECS", "Transcribe"]
