"""The recognizers behind the detector. Each one emits Comprehend type names, so nothing downstream maps."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MacAddressRecognizer,
    PhoneRecognizer,
    UsItinRecognizer,
)
from presidio_analyzer.predefined_recognizers import (
    UrlRecognizer as PresidioUrlRecognizer,
)

from nlp.pii.ner import FilteredNerRecognizer
from nlp.pii.patterns import SPECS, PatternSpec

# Presidio's phone context has "number", which would let "account number 4829103746" read as a phone.
# Not "call": spaCy counts it a stop word, and stop words never reach the context check.
PHONE_CONTEXT = ["phone", "telephone", "tel", "cell", "mobile", "fax", "contact", "reach", "text"]
# Numbers written with "+" are found whatever the region; the regions add national formats.
# Each region is one more pass of libphonenumber's matcher over the text.
PHONE_REGIONS = ("US", "GB")

# The public-suffix snapshot inside tldextract's wheel: no download, and no cache written to disk.
_OFFLINE_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class ChecksumPatternRecognizer(PatternRecognizer):
    """A pattern whose digits must pass a checksum. Presidio's checksum recognizers score every pass
    1.0, but one 9-digit number in ten passes the ABA check by chance: here passing only keeps the
    pattern's score, and context decides the rest."""

    def __init__(self, *, check: Callable[[str], bool], **kwargs: object) -> None:
        self._check = check
        super().__init__(**kwargs)

    def invalidate_result(self, pattern_text: str) -> bool:
        return not self._check(re.sub(r"\D", "", pattern_text))


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's validation goes through tldextract's module-level extractor, which fetches the
    suffix list unless the environment said otherwise before its first import."""

    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_SUFFIXES(pattern_text).fqdn != ""


class UrlRecognizer(PresidioUrlRecognizer):
    """Presidio's URL patterns, with three fixes. A bare domain needs a context word: "setup.py",
    "index.md" and "notes.sh" end in country domains. A domain may not run on into a word
    ("scalar.return" is not "scalar.re"). And a path stops before a sentence's closing punctuation."""

    _DOMAIN = PresidioUrlRecognizer.BASE_URL_REGEX + r"(?![\w-])"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("url with scheme", r"(?i)\bhttps?://" + _DOMAIN, 0.6),
        Pattern("url with www", r"(?i)\bwww\d{0,3}\." + _DOMAIN, 0.6),
        Pattern("bare domain", r"(?i)\b" + _DOMAIN, 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = ["url", "website", "site", "link", "web", "visit", "domain", "homepage", "portal"]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            result.end = result.start + len(text[result.start : result.end].rstrip(".,;:!?"))
        return results


def _from_spec(spec: PatternSpec) -> PatternRecognizer:
    arguments = {
        "supported_entity": spec.type,
        "name": f"{spec.type} patterns",
        "patterns": [Pattern(name, regex, score) for name, regex, score in spec.patterns],
        "context": list(spec.context),
    }
    if spec.check:
        return ChecksumPatternRecognizer(check=spec.check, **arguments)
    return PatternRecognizer(**arguments)


def build_recognizers() -> list[EntityRecognizer]:
    return [
        FilteredNerRecognizer(),
        OfflineEmailRecognizer(supported_entity="EMAIL"),
        PhoneRecognizer(supported_entity="PHONE", context=PHONE_CONTEXT, supported_regions=PHONE_REGIONS),
        IpRecognizer(supported_entity="IP_ADDRESS"),
        MacAddressRecognizer(supported_entity="MAC_ADDRESS"),
        UrlRecognizer(supported_entity="URL"),
        IbanRecognizer(supported_entity="INTERNATIONAL_BANK_ACCOUNT_NUMBER"),
        UsItinRecognizer(supported_entity="US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"),
        *(_from_spec(spec) for spec in SPECS),
    ]
