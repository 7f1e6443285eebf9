"""Speech quality and speed on recordings that ship on this machine, each beside a baseline measured
in the same run, one table.

Transcribe (section `asr`):
- WER per set (jiwer, lower case, punctuation and hyphens removed): LibriVox excerpts with their
  transcripts (Debian pocketsphinx-testdata) and telephone prompts of asterisk-core-sounds-{en,es,fr}
  (8 kHz; transcripts in the packages' docs) — Whisper base, our default, beside tiny.en, the fast
  English model (English sets only). openai-whisper is not the baseline: no registry ships its `.pt`
  weights, and the CTranslate2 weights we have cannot be loaded by it.
- Language id accuracy over the en/es/fr prompts: Whisper base unrestricted and restricted to
  LanguageOptions [en, es, fr], beside always answering the most common language (the floor).
- Word start-time error against alignments: espeak-ng reports when each word it speaks starts
  (synthesized Harvard sentences), so those are exact references.
- Speaker error on a conversation spliced from different speakers (two LibriVox readers' clips and
  a telephone prompt): the share of words given the wrong speaker after the best label mapping,
  beside putting every word on one speaker.
- Real-time factor (processing time / audio time) of each model.

More sections (Polly's) add a function to SECTIONS: it returns rows (task, system, metric, value).

    python bench/speech_bench.py [--prompts 5] [--sections asr]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jiwer
import numpy as np

from core.model_registry import registry
from polly_bench import HARVARD  # list 1 of the Harvard sentences
from speech.audio import SAMPLE_RATE, decode
from speech.engines.diarization_resemblyzer import Recorder
from speech.engines.whisper_ct2 import WhisperEngine, locate_base, locate_tiny_en
from speech.transcribe import transcript

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
ASTERISK = {"en": ("en_US_f_Allison", "asterisk-core-sounds-en"), "es": ("es_MX_f_Allison", "asterisk-core-sounds-es"),
            "fr": ("fr_CA_f_June", "asterisk-core-sounds-fr")}
Row = tuple[str, str, str, float]
_NORMALIZE = jiwer.Compose([jiwer.ToLowerCase(), jiwer.SubstituteRegexes({r"-": " "}), jiwer.RemovePunctuation(),
                            jiwer.RemoveMultipleSpaces(), jiwer.Strip()])


def librivox_set() -> list[tuple[np.ndarray, str]]:
    pairs = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        name = line.rsplit("(", 1)[1].rstrip(")")
        text = line.split("</s>")[0].replace("<s>", "").strip()
        pairs.append((decode(LIBRIVOX / f"{name}.wav"), text))
    return pairs


def asterisk_set(language: str, count: int) -> list[tuple[np.ndarray, str]]:
    """`count` prompts of at least four words, drawn with a fixed seed."""
    voice, package = ASTERISK[language]
    listing = gzip.open(f"/usr/share/doc/{package}/core-sounds-{language}.txt.gz", "rt", encoding="utf-8",
                        errors="replace").read().splitlines()
    entries = []
    for line in listing:
        name, _, text = line.partition(":")
        path = Path("/usr/share/asterisk/sounds") / voice / f"{name.strip()}.wav"
        if text and "[" not in text and len(text.split()) >= 4 and path.is_file():
            entries.append((path, text.strip()))
    chosen = random.Random(7).sample(entries, min(count, len(entries)))
    return [(decode(path), text) for path, text in chosen]


def _text(engine: WhisperEngine, audio: np.ndarray, language: str) -> str:
    found = engine.recognize(audio, language=language)
    return transcript.text_of(transcript.items_of(list(found.segments)))


def wer_rows(engines: dict[str, WhisperEngine], sets: dict[str, tuple[str, list]]) -> list[Row]:
    rows = []
    for set_name, (language, pairs) in sets.items():
        seconds = sum(audio.size for audio, _ in pairs) / SAMPLE_RATE
        for model, engine in engines.items():
            if language not in engine.languages:
                continue
            started = time.perf_counter()
            hypotheses = [_text(engine, audio, language) for audio, _ in pairs]
            elapsed = time.perf_counter() - started
            references = [_NORMALIZE(text) for _, text in pairs]
            rows.append((f"WER {set_name} ({len(pairs)} clips, {seconds:.0f} s)", model, "WER",
                         jiwer.wer(references, [_NORMALIZE(h) for h in hypotheses])))
            rows.append((f"speed {set_name}", model, "real-time factor", elapsed / seconds))
    return rows


def language_id_rows(engine: WhisperEngine, prompts: dict[str, list]) -> list[Row]:
    truth = [language for language, pairs in prompts.items() for _ in pairs]
    audios = [audio for pairs in prompts.values() for audio, _ in pairs]
    ranked = [engine.identify(audio) for audio in audios]
    free = [r[0][0] for r in ranked]
    options = [next(code for code, _ in r if code in prompts) for r in ranked]
    floor = Counter(truth).most_common(1)[0][0]
    task = f"language id ({len(truth)} prompts, en/es/fr)"
    return [(task, "whisper-base", "accuracy", float(np.mean([a == b for a, b in zip(free, truth)]))),
            (task, "whisper-base + LanguageOptions", "accuracy",
             float(np.mean([a == b for a, b in zip(options, truth)]))),
            (task, f"always '{floor}' (floor)", "accuracy", float(np.mean([t == floor for t in truth])))]


def timestamp_rows(engines: dict[str, WhisperEngine]) -> list[Row]:
    """Mean absolute error of word start times against espeak-ng's own word events."""
    import espeakng_loader

    from speech.engines.tts_espeak import EspeakEngine

    espeak = EspeakEngine(Path(espeakng_loader.get_data_path()))
    rows = []
    rendered = [espeak.render(sentence, "en-us") for sentence in HARVARD]
    for model, engine in engines.items():
        errors = []
        for sentence, speech in zip(HARVARD, rendered):
            audio = np.interp(np.arange(int(speech.samples.size * SAMPLE_RATE / speech.sample_rate))
                              * speech.sample_rate / SAMPLE_RATE, np.arange(speech.samples.size),
                              speech.samples).astype(np.float32) / 32768
            spoken = [w for s in engine.recognize(audio, language="en").segments for w in s.words]
            reference = [w.ms / 1000 for w in speech.words]
            if len(spoken) == len(reference):  # compare only sentences recognized word for word
                errors += [abs(w.start - r) for w, r in zip(spoken, reference)]
        rows.append((f"word start time vs espeak-ng alignments ({len(HARVARD)} sentences)", model,
                     "mean abs error (s)", float(np.mean(errors)) if errors else float("nan")))
    return rows


def diarization_rows(engine: WhisperEngine) -> list[Row]:
    """Two readers alternate; the words' true speakers come from which clip their time falls in."""
    clips = [decode(LIBRIVOX / f"sense_and_sensibility_01_austen_64kb-{n}.wav") for n in ("0880", "0930")]
    woman = [audio for audio, _ in asterisk_set("en", 2)]
    gap = np.zeros(SAMPLE_RATE, np.float32)
    turns = [(clips[0], 0), (woman[0], 1), (clips[1], 0), (woman[1], 1)]
    audio = np.concatenate([piece for clip, _ in turns for piece in (clip, gap)])
    bounds, start = [], 0.0
    for clip, speaker in turns:
        bounds.append((start, start + clip.size / SAMPLE_RATE, speaker))
        start += (clip.size + gap.size) / SAMPLE_RATE
    recorder = Recorder(iter([audio]), registry)
    words = [w for window in recorder for s in engine.recognize(window, language="en").segments for w in s.words]
    found = recorder.speakers([(w.start, w.end) for w in words], max_speakers=4)
    truth = [next((spk for a, b, spk in bounds if a <= (w.start + w.end) / 2 <= b + 0.5), 0) for w in words]
    labels = sorted(set(found))
    # The best one-to-one mapping of found labels to the two true speakers; a label mapped to no
    # true speaker (numbers 2 and up) gets all its words wrong.
    best = min(sum(mapping[f] != t for f, t in zip(found, truth))
               for mapping in (dict(zip(labels, numbers))
                               for numbers in itertools.permutations(range(max(len(labels), 2)), len(labels))))
    one_speaker = min(sum(t != s for t in truth) for s in (0, 1))
    task = f"speaker attribution ({len(words)} words, 2 speakers, 4 turns)"
    return [(task, "silero VAD + resemblyzer + clustering", "word error share", best / len(words)),
            (task, "one speaker for all (floor)", "word error share", one_speaker / len(words))]


def asr_section(prompts: int) -> list[Row]:
    engines = {"whisper-base": WhisperEngine(locate_base()), "whisper-tiny.en": WhisperEngine(locate_tiny_en())}
    sets = {"librivox-en": ("en", librivox_set())}
    sets.update({f"asterisk-{lang}": (lang, asterisk_set(lang, prompts)) for lang in ASTERISK})
    rows = wer_rows(engines, sets)
    rows += language_id_rows(engines["whisper-base"], {lang: sets[f"asterisk-{lang}"][1] for lang in ASTERISK})
    rows += timestamp_rows(engines)
    rows += diarization_rows(engines["whisper-base"])
    return rows


SECTIONS: dict[str, Callable[[int], list[Row]]] = {"asr": asr_section}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=5, help="telephone prompts per language")
    parser.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=list(SECTIONS))
    args = parser.parse_args()
    rows: list[Row] = []
    for name in args.sections:
        rows += SECTIONS[name](args.prompts)
    width = max(len(task) for task, *_ in rows)
    system_width = max(len(system) for _, system, *_ in rows)
    for task, system, metric, value in rows:
        print(f"{task:<{width}}  {system:<{system_width}}  {metric:<20} {value:.3f}")


if __name__ == "__main__":
    main()
