"""Phoneme notations: SSML <phoneme> and PLS lexicons give IPA or X-SAMPA; espeak-ng reads its own
ASCII mnemonics inside [[ ]]; Polly's viseme speech marks name mouth shapes. Tables cover the
phonemes of English and the main European languages; a symbol with no mapping is left out, which
at worst mispronounces one sound rather than failing the request.
"""

from __future__ import annotations

import re

# X-SAMPA -> IPA, multi-character symbols first.
_XSAMPA = {
    "r\\": "ɹ", "@`": "ɚ", "3`": "ɝ", "{": "æ", "@": "ə", "3": "ɜ", "A": "ɑ", "Q": "ɒ", "V": "ʌ",
    "E": "ɛ", "I": "ɪ", "U": "ʊ", "O": "ɔ", "T": "θ", "D": "ð", "S": "ʃ", "Z": "ʒ", "N": "ŋ",
    '"': "ˈ", "%": "ˌ", ":": "ː", "2": "ø", "9": "œ", "1": "ɨ", "6": "ɐ", "7": "ɤ", "M": "ɯ",
    "R": "ʁ", "C": "ç", "J": "ɲ", "L": "ʎ", "4": "ɾ", "?": "ʔ", "H": "ɥ", "G": "ɣ", "B": "β",
    "}": "ʉ", "Y": "ʏ", "&": "ɶ",
}

# IPA -> espeak-ng mnemonics, diphthongs and affricates first.
_ESPEAK = {
    "aɪ": "aI", "aʊ": "aU", "eɪ": "eI", "ɔɪ": "OI", "oʊ": "oU", "əʊ": "@U", "ɪə": "i@", "eə": "e@",
    "ʊə": "U@", "tʃ": "tS", "dʒ": "dZ", "ɜː": "3:", "ɑː": "A:", "ɔː": "O:", "iː": "i:", "uː": "u:",
    "ə": "@", "ɚ": "3", "ɝ": "3:", "ɜ": "3", "æ": "a", "ɑ": "A", "ɒ": "0", "ʌ": "V", "ɛ": "E",
    "ɪ": "I", "ʊ": "U", "ɔ": "O", "θ": "T", "ð": "D", "ʃ": "S", "ʒ": "Z", "ŋ": "N", "ɹ": "r",
    "ɾ": "*", "ʔ": "?", "ç": "C", "ɲ": "n^", "ʎ": "l^", "ø": "Y", "œ": "W", "y": "y", "ʁ": "R",
    "ɡ": "g", "ˈ": "'", "ˌ": ",", "ː": ":", "a": "a", "b": "b", "d": "d", "e": "e", "f": "f",
    "g": "g", "h": "h", "i": "i", "j": "j", "k": "k", "l": "l", "m": "m", "n": "n", "o": "o",
    "p": "p", "r": "r", "s": "s", "t": "t", "u": "u", "v": "v", "w": "w", "x": "x", "z": "z",
    " ": " ",
}

# IPA -> Polly viseme (https://docs.aws.amazon.com/polly/latest/dg/ph-table-english-us.html).
_VISEMES = {
    "p": "p", "b": "p", "m": "p", "f": "f", "v": "f", "θ": "T", "ð": "T", "t": "t", "d": "t",
    "n": "t", "l": "t", "ʃ": "S", "ʒ": "S", "s": "s", "z": "s", "k": "k", "g": "k", "ɡ": "k",
    "ŋ": "k", "h": "k", "x": "k", "ɹ": "r", "r": "r", "ɾ": "t", "i": "i", "ɪ": "i", "j": "i",
    "u": "u", "ʊ": "u", "w": "u", "ə": "@", "ɚ": "@", "ɜ": "@", "ʌ": "E", "a": "a", "æ": "a",
    "ɑ": "a", "ɐ": "a", "e": "e", "ɛ": "E", "o": "o", "ɔ": "O", "ɒ": "O", "y": "u", "ø": "o",
    "œ": "E", "ʁ": "k",
}
_DIACRITICS = re.compile("[ˈˌː.ʲ̃]")


def _translate(text: str, table: dict[str, str]) -> str:
    longest = max(len(k) for k in table)
    out, i = [], 0
    while i < len(text):
        for size in range(longest, 0, -1):
            if text[i:i + size] in table:
                out.append(table[text[i:i + size]])
                i += size
                break
        else:
            i += 1  # a symbol we do not know: left out
    return "".join(out)


def to_ipa(phonemes: str, alphabet: str) -> str:
    if alphabet == "x-sampa":
        return "".join(_XSAMPA.get(c, c) for c in re.findall(r"r\\|@`|3`|.", phonemes))
    return phonemes


def ipa_to_espeak(ipa: str) -> str:
    return _translate(ipa, _ESPEAK)


def viseme(ipa_phoneme: str) -> str | None:
    """The viseme of one phoneme as espeak-ng or Piper writes it ("ˈeɪ" -> "e"); "sil" for a pause
    (espeak-ng's empty phoneme, "_"); None for what shows no mouth shape (a lone stress mark)."""
    if ipa_phoneme.strip() in ("", "_"):
        return "sil"
    bare = _DIACRITICS.sub("", ipa_phoneme)
    return _VISEMES.get(bare[:1]) if bare else None
