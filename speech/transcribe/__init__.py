"""Amazon Transcribe on embedded Whisper models (faster-whisper), Silero VAD and Resemblyzer."""

from speech.engines import diarization_resemblyzer, whisper_ct2
from speech.transcribe.service import Transcribe

SPECS = [*whisper_ct2.SPECS, diarization_resemblyzer.SPEC]
__all__ = ["SPECS", "Transcribe"]
