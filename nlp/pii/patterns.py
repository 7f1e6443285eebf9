"""Our regular expressions, as data: the shapes and keywords that make a string a Comprehend PII type.

Two kinds of evidence:
- a shape (an SSN's 3-2-4 digits, a card's groups): scored on its own, raised when a context word is
  among the five words before it (Presidio's context enhancer adds 0.35), and dropped when its
  checksum fails;
- a keyword right before the value ("password: ...", "CVV 123"): for types whose values look like
  any other token, the keyword is the evidence, so it is required, in a lookbehind, which keeps it
  out of the span.

Scores are set against engine.EVIDENCE_FLOOR (0.4): a shape that needs context scores below it, a
shape that stands on its own at or above it. Presidio compiles these case-insensitively; `(?-i:...)`
marks the parts where capitals are the evidence (names, month names, state codes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nlp.pii.checksums import aba_valid, luhn_valid, ssn_valid


@dataclass(frozen=True)
class PatternSpec:
    type: str
    patterns: tuple[tuple[str, str, float], ...]  # (name, regex, score)
    context: tuple[str, ...] = ()  # lemmas that raise the score when they precede a match
    check: Callable[[str], bool] | None = None  # gets the match's digits; False drops the match


def _after(keywords: str, gap: str = r"[^\d\n]{0,20}") -> str:
    """The value must follow one of `keywords` within `gap`; the gap has no digits so that the
    keyword of one number never vouches for the next number along."""
    return rf"(?<=\b(?:{keywords})\b{gap})\b"


_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?:\.|\b)"
)
_WEEKDAY = r"(?:(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?,?\s+)?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_TIME_OF_DAY = r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_AM_PM = r"(?-i:[AaPp]\.[Mm]\.|[AaPp][Mm]\b)"  # in "at 10 AM." the full stop ends the sentence, not the time

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM"
    "|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_ZIP = r"\d{5}(?:-\d{4})?\b"
_CITY_STATE = rf"(?-i:[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}},\s+(?:{_STATES}))\b"
_STREET_SUFFIX = (
    r"(?-i:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace"
    r"|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Plaza|Alley)(?:\.|\b)"
)
_STREET_WORD = r"(?-i:[A-Z][a-z]+|[A-Z]{2,}|\d+(?:st|nd|rd|th))"
_UNIT = r"(?:,?\s+(?:(?-i:Apt|Apartment|Suite|Ste|Unit|Room|Floor|Bldg|Building)\.?\s*#?|#)\s*[\w-]{1,6})"

# A name is capitalised words (O'Connor, McDonald, Smith-Jones) with an optional middle initial.
_NAME_WORD = r"(?:[A-Z]['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
_NAME = rf"(?-i:{_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+{_NAME_WORD}){{0,2}})\b"

# Whom letters and chats greet when they greet no one in particular, and titles (the title
# pattern takes the name after them).
_NOT_A_NAME = (
    r"(?-i:(?:Sir|Madam|Customer|Valued|Colleague|Friend|Team|Member|Patient|Client|Applicant|All|Everyone)s?"
    r"|Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\b"
)

# A secret runs to the next space, less the sentence's closing punctuation.
_SECRET = r"\S{3,63}[^\s.,;:!?)\"']"

SPECS: tuple[PatternSpec, ...] = (
    PatternSpec(
        "SSN",
        (("ssn formatted", r"\b\d{3}([- ])\d{2}\1\d{4}\b", 0.5), ("ssn bare", r"\b\d{9}\b", 0.2)),
        context=("ssn", "ssns", "social", "security"),
        check=ssn_valid,
    ),
    PatternSpec(
        "CREDIT_DEBIT_NUMBER",
        (
            ("card 4-4-4-4", r"\b[2-6]\d{3}([- ])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?\b", 0.6),
            ("card 4-6-5", r"\b3\d{3}([- ])\d{6}\1\d{4,5}\b", 0.6),
            ("card bare", r"\b[2-6]\d{12,18}\b", 0.45),
        ),
        context=("card", "credit", "debit", "visa", "mastercard", "amex", "discover", "cc"),
        check=luhn_valid,
    ),
    PatternSpec(
        "BANK_ROUTING",
        (("routing bare", r"\b\d{9}\b", 0.2),),
        # spaCy's lemma of "routing" is "rout" when it tags it as a verb, which it mostly does.
        context=("routing", "rout", "route", "aba", "rtn", "transit"),
        check=aba_valid,
    ),
    PatternSpec(
        "BANK_ACCOUNT_NUMBER",
        (("account after keyword", _after(r"account|acct|a/c|checking|savings") + r"\d{6,17}\b", 0.8),),
    ),
    PatternSpec(
        "PASSPORT_NUMBER",
        (("passport after keyword", _after("passport") + r"(?-i:[A-Z]{0,2})\d{6,9}\b", 0.8),),
    ),
    PatternSpec(
        "DRIVER_ID",
        (
            (
                "licence after keyword",
                _after(r"driver['\u2019]?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e\s+(?:number|no)|DL|DLN")
                + r"(?-i:[A-Z]{0,2})\d(?:-?\d){4,15}\b",
                0.8,
            ),
        ),
    ),
    PatternSpec(
        "CREDIT_DEBIT_CVV",
        (
            (
                "cvv after keyword",
                _after(r"cvv2?|cvc2?|csc|cvn|security\s+code|card\s+verification(?:\s+(?:value|code|number))?")
                + r"\d{3,4}\b",
                0.8,
            ),
        ),
    ),
    PatternSpec(
        "CREDIT_DEBIT_EXPIRY",
        (
            (
                "expiry after keyword",
                _after(r"exp|expiry|expiration|expires|expiring|valid\s+(?:thru|through|until)|good\s+thru")
                + r"(?:0?[1-9]|1[0-2])\s?[/-]\s?(?:20)?\d{2}\b",
                0.8,
            ),
        ),
    ),
    PatternSpec("PIN", (("pin after keyword", _after(r"pin(?:\s+(?:code|number))?") + r"\d{4,8}\b", 0.8),)),
    PatternSpec(
        "PASSWORD",
        (
            ("password after colon", rf"(?<=\b(?:password|passwd|pwd|passcode|passphrase)\s*[:=]\s*){_SECRET}", 0.8),
            # Without a colon, "reset" or "changed" is as likely as a password: require a digit.
            (
                "password after is",
                rf"(?<=\b(?:password|passwd|pwd|passcode|passphrase)\s+(?:(?:is|was)\s+)?)(?=\S*\d){_SECRET}",
                0.7,
            ),
        ),
    ),
    PatternSpec(
        "USERNAME",
        (
            (
                "username after keyword",
                r"(?<=\b(?:user\s?name|user\s?id|login\s+(?:id|name)|screen\s?name)\s*(?::|=|\bis\b)\s*)"
                r"\w[\w.@+-]{1,30}\w",
                0.8,
            ),
            # "User wei_28 signed in": with no colon, only a value shaped like a handle counts.
            (
                "handle after user",
                r"(?<=\b(?:user|user\s?id|login)\s+)(?=[\w.@+-]*[\d_])\w[\w.@+-]{1,30}\w",
                0.6,
            ),
        ),
    ),
    PatternSpec(
        "AGE",
        (
            # Comprehend's span is the quantity and its unit: "40 years" in "40 years old".
            ("age with unit", r"\b\d{1,3}[- ](?:years?|yrs?|months?)(?=[- ]old\b)", 0.8),
            ("age after keyword", r"(?<=\b(?:age|aged)(?:\s+of)?\s*:?\s*)\b\d{1,3}\b", 0.8),
            ("age y/o", r"\b\d{1,3}\s?y/?o\b", 0.7),
        ),
    ),
    PatternSpec(
        "DATE_TIME",
        (
            ("month day", rf"\b{_WEEKDAY}{_MONTH}\s*{_DAY}\b(?:,?\s+{_YEAR}\b)?", 0.7),
            ("day month", rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?", 0.7),
            ("month year", rf"\b{_MONTH}\s*,?\s*{_YEAR}\b", 0.5),
            ("m/d/y", r"\b(?:0?[1-9]|1[0-2])([/-])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)?\d{2}\b", 0.6),
            ("d/m/y", r"\b(?:0?[1-9]|[12]\d|3[01])([/-])(?:0?[1-9]|1[0-2])\1(?:19|20)?\d{2}\b", 0.6),
            # Dots only with a four-digit year: "3.10.12" is a version, not a date.
            ("d.m.yyyy", rf"\b(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.{_YEAR}\b", 0.6),
            ("iso", rf"\b{_YEAR}([/-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d){_TIME_OF_DAY}", 0.7),
            ("clock", rf"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)(?:\s*{_AM_PM})?", 0.5),
            ("hour am/pm", rf"\b(?:1[0-2]|0?[1-9])\s*{_AM_PM}", 0.5),
        ),
    ),
    PatternSpec(
        "ADDRESS",
        (
            (
                "street",
                rf"\b\d{{1,6}}\s+(?:(?-i:[NSEW])\.?\s+)?(?:{_STREET_WORD}\s+){{1,4}}{_STREET_SUFFIX}{_UNIT}?"
                rf"(?:,?\s+{_CITY_STATE}(?:\s+{_ZIP})?)?",
                0.7,
            ),
            ("city state zip", rf"\b{_CITY_STATE}\s+{_ZIP}", 0.6),
            ("po box", r"\b(?-i:P\.?\s?O\.?\s+Box|Post\s+Office\s+Box)\s+\d{1,6}\b", 0.7),
        ),
    ),
    PatternSpec(
        "NAME",
        (
            ("name after title", rf"(?<=\b(?-i:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+){_NAME}", 0.8),
            ("name after label", rf"(?<=\b(?:my\s+name\s+is|name\s*:|i['\u2019]m|i\s+am)\s+){_NAME}", 0.7),
            (
                "name after greeting",
                rf"(?<=\b(?:dear|hi|hello|hey|thanks|thank\s+you)\b,?\s+)(?!{_NOT_A_NAME}){_NAME}",
                0.7,
            ),
        ),
    ),
    PatternSpec(
        "AWS_ACCESS_KEY",
        (("access key id", r"\b(?-i:(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA)[A-Z2-7]{16})\b", 0.9),),
    ),
    PatternSpec(
        "AWS_SECRET_KEY",
        (
            (
                "secret after keyword",
                r"(?<=\b(?:aws_secret_access_key|secret_access_key|secret(?:\s+access)?\s+key)[\s:=\"']{1,5})"
                r"(?-i:[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                0.8,
            ),
        ),
    ),
)
