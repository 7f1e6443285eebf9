"""Polly's input (plain text or SSML) as a *script*: what to say, how, and where each part came from.

A script is a list of items: `Speech` (pieces of text under one prosody), `Pause`, `Tone` (a bleep),
`Mark` (an SSML <mark>) and `SentenceBreak` (<s>, <p>). Every piece remembers the bytes of the input
it stands for, because Polly's speech marks give byte offsets into the input: a word said from
verbatim input maps to its own bytes; text we made up (say-as digits, a <sub> alias, an entity)
maps to the whole span it replaces. Engines only see text; SSML's meaning is carried here, so the
same script drives every engine, and what an engine cannot honour (pitch on Piper) is dropped there.

Parsing uses expat because it reports each event's byte position in the input.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field, replace
from xml.parsers import expat

from core.errors import InvalidSsml
from speech.polly.phonemes import to_ipa


@dataclass(frozen=True)
class Prosody:
    rate: float = 1.0  # speed factor
    pitch: float = 0.0  # relative change: +0.2 is 20% higher
    volume_db: float = 0.0


@dataclass
class Piece:
    text: str  # what the engine says
    start: int  # bytes [start, end) of the input this piece stands for
    end: int
    exact: bool = False  # text is the input verbatim from `start`, so each character has its own bytes
    phonemes: str | None = None  # IPA to pronounce instead of `text`


@dataclass
class Speech:
    pieces: list[Piece]
    prosody: Prosody = Prosody()


@dataclass
class Pause:
    ms: int


@dataclass
class Tone:
    ms: int


@dataclass
class Mark:
    name: str
    start: int
    end: int


@dataclass
class SentenceBreak:
    pass


Item = Speech | Pause | Tone | Mark | SentenceBreak


@dataclass
class Script:
    items: list[Item] = field(default_factory=list)
    billed_characters: int = 0  # Polly bills the text, not the SSML tags

    def speak(self, piece: Piece, prosody: Prosody) -> None:
        last = self.items[-1] if self.items else None
        if isinstance(last, Speech) and last.prosody == prosody:
            previous = last.pieces[-1]
            if previous.exact and piece.exact and previous.end == piece.start:  # one run of verbatim input
                last.pieces[-1] = replace(previous, text=previous.text + piece.text, end=piece.end)
            else:
                last.pieces.append(piece)
        else:
            self.items.append(Speech([piece], prosody))


def plain_text(text: str) -> Script:
    return Script([Speech([Piece(text, 0, len(text.encode()), exact=True)])], len(text))


_BREAK_STRENGTH_MS = {"none": 0, "x-weak": 100, "weak": 250, "medium": 400, "strong": 700, "x-strong": 1200}
_MAX_BREAK_MS = 10_000
_RATES = {"x-slow": 0.6, "slow": 0.8, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}
_PITCHES = {"x-low": -0.3, "low": -0.15, "medium": 0.0, "default": 0.0, "high": 0.15, "x-high": 0.3}
_VOLUMES = {"silent": -96.0, "x-soft": -12.0, "soft": -6.0, "medium": 0.0, "default": 0.0, "loud": 6.0,
            "x-loud": 12.0}
_EMPHASIS = {"strong": (0.85, 3.0), "moderate": (0.95, 1.5), "reduced": (1.1, -3.0), "none": (1.0, 0.0)}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)%\s*$")
_DECIBELS = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)dB\s*$")
# Elements whose text is said otherwise than written: their text is gathered and replaced at the end tag.
_REWRITING = {"say-as", "phoneme", "sub"}


def _break_ms(attrs: dict[str, str]) -> int:
    if "time" in attrs:
        match = _DURATION.match(attrs["time"])
        if not match:
            raise InvalidSsml(f"Invalid break time {attrs['time']!r}: use e.g. '500ms' or '2s'.")
        value = float(match.group(1)) * (1 if match.group(2) == "ms" else 1000)
        return int(min(value, _MAX_BREAK_MS))
    strength = attrs.get("strength", "medium")
    if strength not in _BREAK_STRENGTH_MS:
        raise InvalidSsml(f"Invalid break strength {strength!r}.")
    return _BREAK_STRENGTH_MS[strength]


def _level(name: str, value: str, keywords: dict[str, float], pattern: re.Pattern[str], scale: float, hint: str,
           low: float = -math.inf, high: float = math.inf) -> float:
    """A prosody attribute's value: a keyword, or a number in the attribute's unit within [low, high]."""
    if value in keywords:
        return keywords[value]
    match = pattern.match(value)
    if match and low <= float(match.group(1)) <= high:
        return float(match.group(1)) * scale
    raise InvalidSsml(f"Invalid prosody {name} {value!r}: use {hint}.")


def _prosody(outer: Prosody, attrs: dict[str, str]) -> Prosody:
    rate, pitch, volume = outer.rate, outer.pitch, outer.volume_db
    if "rate" in attrs:  # Polly's range is 20% to 200%
        rate *= _level("rate", attrs["rate"], _RATES, _PERCENT, 0.01, "x-slow..x-fast or 20%..200%", 20, 200)
    if "pitch" in attrs:
        pitch += _level("pitch", attrs["pitch"], _PITCHES, _PERCENT, 0.01, "x-low..x-high or +n%/-n%")
    if "volume" in attrs:
        volume += _level("volume", attrs["volume"], _VOLUMES, _DECIBELS, 1.0, "silent, x-soft..x-loud or +ndB/-ndB")
    return Prosody(rate, pitch, volume)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _date(text: str, date_format: str, english: bool) -> str:
    """An English date said as words ("January 5th, 2020"); other languages keep the text as written."""
    parts = re.findall(r"\d+", text)
    fields = [c for c in date_format if c in "dmy"]
    if not english or len(parts) != len(fields) or not fields:
        return text
    value = dict(zip(fields, (int(p) for p in parts)))
    month = calendar.month_name[value["m"]] if 1 <= value.get("m", 1) <= 12 and "m" in value else ""
    day = _ordinal(value["d"]) if "d" in value else ""
    year = str(value["y"]) if "y" in value else ""
    said = " ".join(p for p in (month, day) if p)
    return f"{said}, {year}" if said and year else said or year


def say_as(text: str, interpret_as: str, date_format: str, english: bool) -> tuple[str, bool]:
    """(what to say, bleep instead) for <say-as>; kinds the engine already reads well keep their text."""
    if interpret_as in ("characters", "spell-out"):
        return " ".join(c for c in text if not c.isspace()), False
    if interpret_as in ("digits", "telephone"):
        return " ".join(c if c.isdigit() else "," for c in text if not c.isspace()), False
    if interpret_as == "ordinal" and english and text.strip().isdigit():
        return _ordinal(int(text)), False
    if interpret_as == "date":
        return _date(text, date_format or "mdy", english), False
    if interpret_as == "expletive":
        return "", True
    return text, False


class _Parser:
    def __init__(self, ssml: str, english: bool) -> None:
        self.source = ssml.encode()
        self.english = english
        self.script = Script()
        self.prosody = [Prosody()]
        self.open: list[str] = []
        # The element rewriting its text now: (name, attributes, gathered text, first byte, last byte).
        self.rewriting: list[tuple[str, dict[str, str], list[str], list[int]]] = []
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def parse(self) -> Script:
        try:
            self.parser.Parse(self.source, True)
        except expat.ExpatError as exc:
            raise InvalidSsml(f"Invalid SSML request: {expat.errors.messages[exc.code]} "
                              f"at line {exc.lineno}, column {exc.offset}.") from None
        return self.script

    def _tag_end(self, at: int) -> int:
        return self.source.index(b">", at) + 1

    def start(self, name: str, attrs: dict[str, str]) -> None:
        at = self.parser.CurrentByteIndex
        if not self.open and name != "speak":
            raise InvalidSsml("Invalid SSML request: the root element must be <speak>.")
        self.open.append(name)
        prosody = self.prosody[-1]
        if name == "prosody":
            prosody = _prosody(prosody, attrs)
        elif name == "emphasis":
            rate, volume = _EMPHASIS.get(attrs.get("level", "moderate"), _EMPHASIS["moderate"])
            prosody = Prosody(prosody.rate * rate, prosody.pitch, prosody.volume_db + volume)
        self.prosody.append(prosody)
        if name in ("p", "s"):
            self.script.items.append(SentenceBreak())
        elif name == "break":
            self.script.items.append(Pause(_break_ms(attrs)))
        elif name == "mark":
            if "name" not in attrs:
                raise InvalidSsml("Invalid SSML request: <mark> needs a name.")
            self.script.items.append(Mark(attrs["name"], at, self._tag_end(at)))
        elif name in _REWRITING:
            self._check_rewriting(name, attrs)
            self.rewriting.append((name, attrs, [], []))
        # Other elements (lang, voice, w, amazon:effect, audio, ...) are said as their plain text.

    @staticmethod
    def _check_rewriting(name: str, attrs: dict[str, str]) -> None:
        if name == "sub" and "alias" not in attrs:
            raise InvalidSsml("Invalid SSML request: <sub> needs an alias.")
        if name == "say-as" and "interpret-as" not in attrs:
            raise InvalidSsml("Invalid SSML request: <say-as> needs interpret-as.")
        if name == "phoneme":
            if "ph" not in attrs:
                raise InvalidSsml("Invalid SSML request: <phoneme> needs ph.")
            if attrs.get("alphabet", "ipa") not in ("ipa", "x-sampa"):
                raise InvalidSsml(f"Invalid SSML request: unsupported phoneme alphabet {attrs['alphabet']!r}.")

    def end(self, name: str) -> None:
        self.open.pop()
        self.prosody.pop()
        if name == "p":
            self.script.items.append(SentenceBreak())
            self.script.items.append(Pause(_BREAK_STRENGTH_MS["medium"]))
        elif name == "s":
            self.script.items.append(SentenceBreak())
        elif name in _REWRITING:
            self._rewrite(*self.rewriting.pop())

    def _rewrite(self, name: str, attrs: dict[str, str], texts: list[str], span: list[int]) -> None:
        text = "".join(texts)
        at = self.parser.CurrentByteIndex
        start, end = (span[0], span[-1]) if span else (at, at)
        if self.rewriting:  # nested: the outer element rewrites what this one said
            self.rewriting[-1][2].append(text)
            self.rewriting[-1][3].extend((start, end))
            return
        if name == "sub":
            self.script.speak(Piece(attrs["alias"], start, end), self.prosody[-1])
        elif name == "phoneme":
            phonemes = to_ipa(attrs["ph"], attrs.get("alphabet", "ipa"))
            self.script.speak(Piece(text, start, end, phonemes=phonemes), self.prosody[-1])
        else:
            said, bleep = say_as(text, attrs["interpret-as"], attrs.get("format", ""), self.english)
            if bleep:
                self.script.items.append(Tone(max(250, 80 * len(text))))
            else:
                self.script.speak(Piece(said, start, end), self.prosody[-1])

    def text(self, data: str) -> None:
        if not self.open:
            return
        at = self.parser.CurrentByteIndex
        raw = data.encode()
        exact = False
        if self.source[at:at + 1] == b"&":  # an entity or character reference ("&" is never literal text)
            end = self.source.index(b";", at) + 1
        elif self.source[at:at + len(raw)] == raw:
            exact, end = True, at + len(raw)
        else:  # a CR LF that XML reads as LF
            end = at + len(raw) + data.count("\n")
        self.script.billed_characters += len(data)
        if self.rewriting:
            self.rewriting[-1][2].append(data)
            self.rewriting[-1][3].extend((at, end))
        else:
            self.script.speak(Piece(data, at, end, exact=exact), self.prosody[-1])


def parse_ssml(ssml: str, *, english: bool = True) -> Script:
    """The script of an SSML document; `english` enables English wording of dates and ordinals.
    Malformed XML, a root other than <speak> or bad attribute values raise InvalidSsmlException."""
    return _Parser(ssml, english).parse()
