"""espeak-ng through its C API (the libespeak-ng and voice data that `espeakng-loader` ships; no
system install). More than a hundred languages, and word and phoneme events with their audio
positions from the synthesis callback: Polly's word and viseme marks come from them.

libespeak-ng keeps one global state per process (voice, rate, callback), so renders of every engine
object take turns under one lock, each setting its own callback first.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import numpy as np

from core.model_registry import EngineSpec
from speech.engines.tts_rendered import Rendered, Word
from speech.polly.phonemes import ipa_to_espeak

CAPABILITY = "polly_standard"

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_PHONEME_IPA = 0x0002
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # [[...]] in the text is phoneme input
_POS_CHARACTER = 1
_EVENT_END_OF_LIST, _EVENT_WORD, _EVENT_PHONEME = 0, 1, 7
_RATE, _VOLUME, _PITCH = 1, 2, 3
_DEFAULT_RATE, _MIN_RATE, _MAX_RATE = 175, 80, 450  # words per minute
_DEFAULT_PITCH = 50  # 0..100


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # ms
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),  # a union; phoneme events put the phoneme's IPA here
    ]


_LIBRARY_LOCK = threading.Lock()  # the library's state is the process's, whatever object drives it
_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


class EspeakEngine:
    def __init__(self, data_dir: Path) -> None:
        import espeakng_loader

        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        # espeak_Initialize wants the folder that contains espeak-ng-data.
        flags = _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA | _INITIALIZE_DONT_EXIT
        with _LIBRARY_LOCK:
            self.sample_rate = self._lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                                           str(data_dir.parent).encode(), flags)
        if self.sample_rate <= 0:
            raise RuntimeError(f"espeak-ng could not start with the data in {data_dir}.")
        self._chunks: list[bytes] = []
        self._words: list[Word] = []
        self._phonemes: list[tuple[int, str]] = []
        self._callback = _Callback(self._collect)  # kept referenced: the C library holds only its address

    def _collect(self, wav, count, events) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != _EVENT_END_OF_LIST:
            event = events[i]
            if event.type == _EVENT_WORD:
                start = event.text_position - 1
                self._words.append(Word(start, start + event.length, event.audio_position))
            elif event.type == _EVENT_PHONEME and event.id:
                self._phonemes.append((event.audio_position, event.id.decode("utf-8", errors="ignore")))
            i += 1
        return 0

    @staticmethod
    def phoneme_text(ipa: str) -> str:
        return f"[[{ipa_to_espeak(ipa)}]]"

    def render(self, text: str, voice: str, rate: float = 1.0, pitch: float = 0.0) -> Rendered:
        """`voice` is an espeak-ng voice with its variant ("en-us+f3"); `pitch` a relative change."""
        data = text.encode()
        with _LIBRARY_LOCK:
            self._lib.espeak_SetSynthCallback(self._callback)
            self._chunks, self._words, self._phonemes = [], [], []
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise RuntimeError(f"espeak-ng has no voice {voice!r}.")
            self._lib.espeak_SetParameter(_RATE, int(np.clip(_DEFAULT_RATE * rate, _MIN_RATE, _MAX_RATE)), 0)
            self._lib.espeak_SetParameter(_PITCH, int(np.clip(_DEFAULT_PITCH + 100 * pitch, 0, 100)), 0)
            status = self._lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _PHONEMES,
                                            None, None)
            if status != 0:
                raise RuntimeError(f"espeak-ng failed to synthesize (status {status}).")
            samples = np.frombuffer(b"".join(self._chunks), dtype=np.int16).copy()
            return Rendered(samples, self.sample_rate, self._words, self._phonemes)


def _embedded_data() -> Path | None:
    try:
        import espeakng_loader
    except ImportError:
        return None
    return Path(espeakng_loader.get_data_path())


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="espeak-ng",
    model="espeak-ng 1.52 formant voices (100+ languages)",
    licence="GPL-3.0-or-later (espeak-ng), MIT (espeakng-loader)",
    package="espeakng-loader==0.2.4",
    locate=_embedded_data,
    load=EspeakEngine,
)
