"""Settings.Profanity=MASK: profane words in a translation become "?$#@$", whatever their length, as AWS does.

The lists are small and hand-made (common English and Brazilian Portuguese profanity and their usual
inflections), not a moderation model: they catch the obvious words only. Languages without a list
are returned unchanged.
"""

from __future__ import annotations

import functools
import re

MASK = "?$#@$"

_WORDS = {
    "en": """fuck fucks fucked fucker fuckers fucking motherfucker motherfuckers shit shits shitty bullshit
             bitch bitches bastard bastards asshole assholes dick dicks cunt cunts wanker wankers twat
             piss pissed crap""",
    "pt": """merda merdas porra caralho caralhos foda fodas foder fodido fodida foda-se fodase puta putas
             puto putos cacete buceta babaca babacas otário otária otários desgraçado desgraçada
             arrombado arrombada filho-da-puta viado cu""",
}


@functools.cache
def _pattern(language: str) -> re.Pattern[str] | None:
    words = _WORDS.get(language.split("-")[0])
    if not words:
        return None
    # Longest first, so "foda-se" is masked whole rather than as "foda" + "-se".
    alternatives = "|".join(re.escape(w) for w in sorted(words.split(), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def mask_profanity(text: str, language: str) -> str:
    pattern = _pattern(language)
    return pattern.sub(MASK, text) if pattern else text
