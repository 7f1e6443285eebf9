"""Small curated term lists that name *which kind* of toxicity a text shows.

The training data carries one binary label, so the learned model can say how offensive a text is
but not whether it is a threat or a slur. These lists only assign a category; the strength always
comes from the model (see ``classifier.py``). They are hand-written, not tuned on the data, and
deliberately short: a term belongs here only if it is offensive in that category on its own.

Notation: a trailing ``*`` accepts any suffix; otherwise an optional plural ``s``/``es``. Terms match
whole tokens, multi-word terms consecutive tokens. Matching tolerates common obfuscation (``f*ck``,
``sh1t``, ``a$$``, ``fuuuck``).
"""

from __future__ import annotations

import re
from functools import lru_cache

# fmt: off
LEXICONS: dict[str, tuple[str, ...]] = {
    "PROFANITY": (
        "fuck*", "fck*", "fuk*", "fucc*", "motherfuck*", "mofo", "shit*", "bullshit*", "horseshit", "crap",
        "crappy", "bitch*", "cunt*", "ass", "asshole*", "arse", "arsehole*", "jackass", "dumbass*", "bastard*",
        "dick", "dickhead*", "cock", "cocksuck*", "prick", "pussy", "pussies", "twat*", "wank*", "bollocks",
        "piss", "pissed", "pissing", "goddamn*", "damn", "damned", "damnit", "wtf", "stfu", "gtfo", "bugger*",
        "douche*", "tits", "slut*", "whore*",
    ),
    "INSULT": (
        "idiot*", "moron*", "stupid*", "dumb", "dumbass*", "imbecile*", "cretin*", "retard*", "loser",
        "fool", "clown", "jerk", "scum", "scumbag*", "pathetic", "worthless", "ignorant",
        "halfwit*", "dimwit*", "nitwit*", "numbskull*", "dipshit*", "shithead*", "dickhead*", "asshole*",
        "douchebag*", "piece of shit", "piece of crap", "pig", "ugly", "freak", "lowlife*", "hypocrite",
        "liar", "coward", "bitch*", "cunt*", "prick", "twat*",
    ),
    "HATE_SPEECH": (
        "nigger*", "nigga*", "niggaz", "faggot*", "fag", "fags", "fagg*", "dyke", "tranny", "trannies",
        "kike", "spic", "chink", "gook", "wetback*", "beaner*", "raghead*", "towelhead*", "sandnigger*",
        "paki", "coon", "jigaboo*", "porch monkey*", "white trash", "subhuman*", "untermensch",
        "heil hitler", "sieg heil", "gas the jews", "white power", "white pride",
    ),
    "SEXUAL": (
        "sex", "sexy", "porn*", "penis*", "vagina*", "dick", "cock", "cocksuck*", "pussy", "pussies", "cum",
        "cumshot*", "blowjob*", "handjob*", "horny", "orgasm*", "masturbat*", "jerk off", "jack off", "dildo*",
        "boobs", "tits", "titties", "nude", "nudes", "nudity", "naked", "anal", "rape", "raped", "raping", "rapist*",
        "slut*", "whore*", "hooker*",
        "suck my", "fuck me", "fucked you", "erection*", "genital*", "testicle*", "nipple*",
    ),
    "VIOLENCE_OR_THREAT": (
        "kill*", "murder*", "shoot you", "shoot him", "shoot her", "shot you", "stab", "stabbed", "stabbing",
        "strangle*", "behead*", "slit your", "cut your", "beat you", "beat the shit", "punch you",
        "hang you", "hang him", "hang them", "hanged", "lynch", "lynched", "lynching", "burn you",
        "burn in hell", "die", "rape", "raped", "raping", "bomb", "bombing*", "massacre*",
        "slaughter*", "torture*", "gun you down", "break your", "smash your", "blow your", "i will find you",
        "watch your back", "you are dead", "you're dead", "dead meat", "gas chamber*", "genocide",
    ),
}
# fmt: on

# Stand-ins people type for a letter. '*' may hide a vowel that is not the first letter; letting it
# hide consonants too would read "s**" as "sex".
_LOOKALIKES = {"a": "@4", "e": "3", "i": "!1", "o": "0", "s": "$5", "t": "7", "l": "1"}


def _letter_run(letter: str, count: int, first: bool) -> str:
    chars = letter + _LOOKALIKES.get(letter, "") + ("*" if letter in "aeiou" and not first else "")
    # Doubled letters stay required ("ass" must not match "as"), but any letter may be stretched.
    return f"[{re.escape(chars)}]{{{count},}}"


def _word_pattern(word: str, suffix: str) -> str:
    runs = [m.group(0) for m in re.finditer(r"(.)\1*", word)]
    pieces = [
        _letter_run(run[0], len(run), first=i == 0) if run[0].isalpha() else re.escape(run)
        for i, run in enumerate(runs)
    ]
    return "".join(pieces) + suffix


# Lookalike characters are part of a token; trailing '!' and '*' are punctuation ("idiot!").
_TOKEN = re.compile(r"[\w@$][\w@$!*]*")


def _tokens(text: str) -> list[str]:
    return [t.rstrip("!*") for t in _TOKEN.findall(text.lower())]


def _compile() -> tuple[list[tuple[frozenset[str], int]], list[tuple[re.Pattern[str], int, int]], re.Pattern[str]]:
    labels_of: dict[str, set[str]] = {}
    for label, terms in LEXICONS.items():
        for term in terms:
            labels_of.setdefault(term, set()).add(label)
    phrases, word_patterns = [], []
    for phrase_id, (term, labels) in enumerate(labels_of.items()):
        words = _tokens(term)
        phrases.append((frozenset(labels), len(words)))
        for pos, word in enumerate(words):
            last = pos == len(words) - 1
            suffix = (r"\w*" if term.endswith("*") else "(?:e?s)?") if last else ""
            word_patterns.append((re.compile(_word_pattern(word, suffix)), phrase_id, pos))
    any_word = re.compile("|".join(p.pattern for p, _, _ in word_patterns))
    return phrases, word_patterns, any_word


_PHRASES, _WORD_PATTERNS, _ANY_WORD = _compile()


@lru_cache(maxsize=1 << 17)
def _hits(token: str) -> frozenset[tuple[int, int]]:
    """The (term, word position) pairs a token can stand for; cached because tokens repeat."""
    if not _ANY_WORD.fullmatch(token):
        return frozenset()
    return frozenset((phrase_id, pos) for p, phrase_id, pos in _WORD_PATTERNS if p.fullmatch(token))


def categories(text: str) -> set[str]:
    """Labels whose term lists match the text (multi-word terms match consecutive tokens)."""
    tokens = _tokens(text)
    found: set[str] = set()
    for i, token in enumerate(tokens):
        for phrase_id, pos in _hits(token):
            labels, length = _PHRASES[phrase_id]
            if (
                pos == 0
                and i + length <= len(tokens)
                and all((phrase_id, k) in _hits(tokens[i + k]) for k in range(1, length))
            ):
                found |= labels
    return found
