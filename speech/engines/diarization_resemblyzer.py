"""Speaker diarization: Silero VAD finds speech, Resemblyzer's speaker encoder (its GE2E LSTM,
weights `pretrained.pt` from the `resemblyzer` package) embeds every 1.5 s of it, and agglomerative
clustering of the embeddings finds the speakers, at most as many as the request allows.

The encoder is rebuilt here from its weights (a 3-layer LSTM over 40 mel bands, as Resemblyzer's
`VoiceEncoder`) so that neither librosa nor webrtcvad, which Resemblyzer's own module imports, is
needed: the mel filterbank is the Slaney one librosa computes by default.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec, ModelRegistry
from speech.audio import SAMPLE_RATE
from speech.engines.vad_silero import speech_regions

CAPABILITY = "transcribe_speakers"
N_FFT, HOP, N_MELS = 400, 160, 40  # 25 ms windows every 10 ms, as the encoder was trained
PARTIAL_FRAMES = 160  # 1.6 s: the encoder's input length
SLICE_SECONDS, SLICE_STEP = 1.5, 0.75
MIN_SLICE_SECONDS = 0.5
# Average cosine distance under which two clusters are one speaker. Measured on 1.5 s slices: one
# speaker within a recording 0.1-0.25, across recordings 0.2-0.4; different speakers 0.42-0.57.
SAME_SPEAKER_DISTANCE = 0.4
MAX_CLUSTERED = 2000  # embeddings clustered exactly; the rest join the nearest speaker (bounded memory)
TARGET_DBFS = -30.0


def _slaney_mel_filters() -> np.ndarray:
    def hz_to_mel(hz: np.ndarray) -> np.ndarray:
        hz = np.asarray(hz, dtype=np.float64)
        linear = hz / (200.0 / 3)
        return np.where(hz >= 1000.0, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), linear)

    def mel_to_hz(mel: np.ndarray) -> np.ndarray:
        linear = mel * (200.0 / 3)
        return np.where(mel >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0)), linear)

    mel_points = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    widths = np.diff(mel_points)
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return (weights * (2.0 / (mel_points[2:] - mel_points[:-2]))[:, None]).astype(np.float32)


class SpeakerEncoder:
    def __init__(self, weights: Path) -> None:
        import torch

        class Encoder(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.lstm = torch.nn.LSTM(N_MELS, 256, 3, batch_first=True)
                self.linear = torch.nn.Linear(256, 256)

            def forward(self, mels: torch.Tensor) -> torch.Tensor:
                _, (hidden, _) = self.lstm(mels)
                embeds = torch.relu(self.linear(hidden[-1]))
                return embeds / torch.norm(embeds, dim=1, keepdim=True).clamp_min(1e-9)

        self._torch = torch
        self._encoder = Encoder()
        state = torch.load(weights, map_location="cpu", weights_only=True)["model_state"]
        self._encoder.load_state_dict({k: v for k, v in state.items() if not k.startswith("similarity")})
        self._encoder.eval()
        self._mel = _slaney_mel_filters()
        self._window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)  # periodic Hann, as librosa's

    def _mels(self, audio: np.ndarray) -> np.ndarray:
        rms = np.sqrt(np.mean(audio ** 2)) or 1e-9
        gain = 10 ** ((TARGET_DBFS - 20 * np.log10(rms)) / 20)
        audio = audio * max(gain, 1.0)  # raise quiet speech only, as Resemblyzer does
        padded = np.pad(audio, N_FFT // 2)
        frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP] * self._window
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        return (power @ self._mel.T).astype(np.float32)

    def embed(self, slices: list[np.ndarray]) -> np.ndarray:
        """One L2-normed 256-d embedding per audio slice (each up to 1.6 s)."""
        mels = [self._mels(s)[:PARTIAL_FRAMES] for s in slices]
        length = max(m.shape[0] for m in mels)
        batch = np.stack([np.pad(m, ((0, length - m.shape[0]), (0, 0))) for m in mels])
        with self._torch.inference_mode():
            return self._encoder(self._torch.from_numpy(batch)).numpy()


def _cluster(embeddings: np.ndarray, max_speakers: int) -> np.ndarray:
    """A speaker number per embedding."""
    from sklearn.cluster import AgglomerativeClustering

    if len(embeddings) < 2:
        return np.zeros(len(embeddings), dtype=int)
    chosen = np.linspace(0, len(embeddings) - 1, min(len(embeddings), MAX_CLUSTERED)).astype(int)
    sample = embeddings[chosen]
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=SAME_SPEAKER_DISTANCE).fit_predict(sample)
    if labels.max() + 1 > max_speakers:
        labels = AgglomerativeClustering(n_clusters=max_speakers, metric="cosine", linkage="average").fit_predict(sample)
    centroids = np.stack([sample[labels == k].mean(axis=0) for k in range(labels.max() + 1)])
    return np.argmax(embeddings @ centroids.T, axis=1)


@dataclass
class _Slice:
    start: float
    end: float
    speaker: int = 0


class Recorder:
    """Passes audio windows through while embedding their speech, then tells who spoke when.
    Wrap the windows a transcription reads: the audio is read once, and only embeddings are kept."""

    def __init__(self, windows: Iterator[np.ndarray], models: ModelRegistry) -> None:
        self._windows = windows
        self._encoder: SpeakerEncoder = models.get(CAPABILITY)
        self._slices: list[_Slice] = []
        self._embeddings: list[np.ndarray] = []

    def __iter__(self) -> Iterator[np.ndarray]:
        offset = 0.0
        for window in self._windows:
            self._record(window, offset)
            yield window
            offset += window.size / SAMPLE_RATE

    def _record(self, window: np.ndarray, offset: float) -> None:
        size, step, least = (int(s * SAMPLE_RATE) for s in (SLICE_SECONDS, SLICE_STEP, MIN_SLICE_SECONDS))
        pieces, spans = [], []
        for first, last in speech_regions(window):
            for start in range(first, max(first + 1, last - least + 1), step):
                end = min(start + size, last)
                pieces.append(window[start:end])
                spans.append(_Slice(offset + start / SAMPLE_RATE, offset + end / SAMPLE_RATE))
        for n in range(0, len(pieces), 64):  # bounded batches
            self._embeddings.append(self._encoder.embed(pieces[n: n + 64]))
        self._slices += spans

    def speakers(self, times: list[tuple[float, float]], max_speakers: int) -> list[str]:
        """The speaker ("spk_0", "spk_1", ... in order of first appearance) of each (start, end)."""
        if not self._slices:
            return ["spk_0"] * len(times)
        for piece, speaker in zip(self._slices, _cluster(np.concatenate(self._embeddings), max_speakers)):
            piece.speaker = int(speaker)
        centres = np.array([(s.start + s.end) / 2 for s in self._slices])
        names: dict[int, str] = {}
        labels = []
        for start, end in times:
            speaker = self._slices[int(np.argmin(np.abs(centres - (start + end) / 2)))].speaker
            labels.append(names.setdefault(speaker, f"spk_{len(names)}"))
        return labels


def _locate() -> Path | None:
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        return None
    weights = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    return weights if weights.is_file() else None


def _load(weights: Path) -> SpeakerEncoder:
    try:
        return SpeakerEncoder(weights)
    except ImportError as exc:
        raise ModelUnavailable(f"{CAPABILITY} needs torch and scikit-learn: {exc}") from None


SPEC = EngineSpec(capability=CAPABILITY, engine="resemblyzer", model="Resemblyzer GE2E speaker encoder",
                  licence="Apache-2.0", package="resemblyzer (install with --no-deps)", locate=_locate, load=_load)
