"""Amazon Polly on embedded voices: espeak-ng (standard), flite when installed (standard) and Piper (neural)."""

from speech.engines import tts_espeak, tts_flite, tts_piper
from speech.polly.service import Polly

TTS_SPECS = [tts_espeak.SPEC, tts_flite.SPEC, tts_piper.SPEC]
__all__ = ["Polly", "TTS_SPECS"]
