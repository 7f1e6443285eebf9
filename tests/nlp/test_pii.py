"""PII detection and redaction on the real pipeline (spaCy small English + Presidio + our patterns)."""

from __future__ import annotations

import itertools
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.errors import UnsupportedLanguage, ValidationError
from core.model_registry import ModelRegistry
from nlp.pii import PiiDetector, PiiSpan, pii_entity_types, redact
from nlp.pii.engine import SPEC

DISCHARGE_NOTE = """DISCHARGE SUMMARY
Patient: Maria Gonzalez   DOB: 04/12/1958   MRN: 00482913
Admitted 03/02/2024 to St. Luke's Medical Center, 1200 Oak Avenue, Springfield, IL 62704.
Ms. Gonzalez is a 65-year-old woman seen by Dr. Alan Whitaker. Her daughter, Sofia Gonzalez, can be \
reached at (217) 555-0142 or sofia.g@example.com.
SSN 512-44-3021. Follow-up on March 15, 2024 at 10:30 AM."""

BANK_CHAT = """Agent: Thanks for contacting First Harbor Bank. How can I help?
Customer: Hi, I'm James O'Connor. I think there's a fraudulent charge on my Visa 4111 1111 1111 1111.
Agent: I'm sorry to hear that, James. Can you confirm the routing number 021000021 and your account number \
000123456789?
Customer: Sure. The CVV is 737 and it expires 09/27. My username is jocon88 and my password is Blue$ky2024.
Customer: I'm 42 years old, born 7/4/1981. You can also wire to my IBAN DE89 3704 0044 0532 0130 00.
Customer: My IP was 192.168.10.24 when I logged in from https://firstharbor.com/login."""

FORM_LETTER = """Dear Mr. Thompson,
We write regarding your application received on January 5, 2023. Please confirm your passport number \
X12345678, your driver's license D1234-5678-9012 and your ITIN 912-78-3456.
Sincerely,
Rebecca Lin, Compliance Office, 77 Harbor Blvd, Suite 400, Boston, MA 02110. Phone +1 617-555-0199."""


@pytest.fixture(scope="session")
def detector() -> PiiDetector:
    models = ModelRegistry()
    models.register(SPEC)
    found = PiiDetector(models)
    start = time.monotonic()
    found.detect("warm up")
    # The small model and the regexes load in 1-3 s (5 s on a busy 2-core machine); a large spaCy
    # model or a download would take far longer.
    assert time.monotonic() - start < 30
    return found


def at(text: str, pii_type: str, value: str, nth: int = 0) -> tuple[str, int, int]:
    """The (type, begin, end) of the nth occurrence of value: offsets from the text, not by hand."""
    begin = -1
    for _ in range(nth + 1):
        begin = text.index(value, begin + 1)
    return pii_type, begin, begin + len(value)


def found(detector: PiiDetector, text: str, **options: object) -> set[tuple[str, int, int]]:
    return {(s.type, s.begin, s.end) for s in detector.detect(text, **options)}


def covered(detector: PiiDetector, text: str, word: str) -> bool:
    begin = text.index(word)
    return any(s.begin < begin + len(word) and begin < s.end for s in detector.detect(text))


def test_discharge_note(detector: PiiDetector) -> None:
    text = DISCHARGE_NOTE
    expected = {
        at(text, "NAME", "Maria Gonzalez"),
        at(text, "DATE_TIME", "04/12/1958"),
        at(text, "DATE_TIME", "03/02/2024"),
        at(text, "ADDRESS", "1200 Oak Avenue, Springfield, IL 62704"),
        at(text, "NAME", "Gonzalez", nth=1),
        at(text, "AGE", "65-year"),
        at(text, "NAME", "Alan Whitaker"),
        at(text, "NAME", "Sofia Gonzalez"),
        at(text, "PHONE", "(217) 555-0142"),
        at(text, "EMAIL", "sofia.g@example.com"),
        at(text, "SSN", "512-44-3021"),
        at(text, "DATE_TIME", "March 15, 2024"),
        at(text, "DATE_TIME", "10:30 AM"),
    }
    assert expected <= found(detector, text)
    for label in ("DISCHARGE SUMMARY", "DOB", "MRN", "SSN", "Follow-up"):
        assert not covered(detector, text, label), label


def test_bank_chat(detector: PiiDetector) -> None:
    text = BANK_CHAT
    expected = {
        at(text, "NAME", "James O'Connor"),
        at(text, "CREDIT_DEBIT_NUMBER", "4111 1111 1111 1111"),
        at(text, "NAME", "James", nth=1),
        at(text, "BANK_ROUTING", "021000021"),
        at(text, "BANK_ACCOUNT_NUMBER", "000123456789"),
        at(text, "CREDIT_DEBIT_CVV", "737"),
        at(text, "CREDIT_DEBIT_EXPIRY", "09/27"),
        at(text, "USERNAME", "jocon88"),
        at(text, "PASSWORD", "Blue$ky2024"),
        at(text, "AGE", "42 years"),
        at(text, "DATE_TIME", "7/4/1981"),
        at(text, "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "DE89 3704 0044 0532 0130 00"),
        at(text, "IP_ADDRESS", "192.168.10.24"),
        at(text, "URL", "https://firstharbor.com/login"),
    }
    assert expected <= found(detector, text)
    for words in ("Agent", "Customer", "First Harbor Bank", "Visa"):
        assert not covered(detector, text, words), words


def test_form_letter(detector: PiiDetector) -> None:
    text = FORM_LETTER
    expected = {
        at(text, "NAME", "Thompson"),
        at(text, "DATE_TIME", "January 5, 2023"),
        at(text, "PASSPORT_NUMBER", "X12345678"),
        at(text, "DRIVER_ID", "D1234-5678-9012"),
        at(text, "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "912-78-3456"),
        at(text, "NAME", "Rebecca Lin"),
        at(text, "ADDRESS", "77 Harbor Blvd, Suite 400, Boston, MA 02110"),
        at(text, "PHONE", "+1 617-555-0199"),
    }
    assert expected <= found(detector, text)
    assert not covered(detector, text, "Sincerely")


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111 1111 1111 1111", True),
        ("5500-0000-0000-0004", True),
        ("3782 822463 10005", True),
        ("2223003122003222", True),
        ("4111 1111 1111 1112", False),
        ("5500-0000-0000-0005", False),
    ],
)
def test_credit_card_luhn(detector: PiiDetector, number: str, valid: bool) -> None:
    text = f"Please charge my credit card {number} today."
    assert (at(text, "CREDIT_DEBIT_NUMBER", number) in found(detector, text)) is valid


@pytest.mark.parametrize(
    ("ssn", "valid"),
    [
        ("512-44-3021", True),
        ("078 05 1120", True),
        ("000-12-3456", False),  # area 000
        ("666-12-3456", False),  # area 666
        ("912-34-5678", False),  # 9xx areas are ITINs, never SSNs
        ("512-00-3021", False),  # group 00
        ("512-44-0000", False),  # serial 0000
    ],
)
def test_ssn_rules(detector: PiiDetector, ssn: str, valid: bool) -> None:
    text = f"Her social security number is {ssn}."
    assert (at(text, "SSN", ssn) in found(detector, text)) is valid


def test_bare_nine_digits_need_context(detector: PiiDetector) -> None:
    with_context = "SSN 512443021 on file."
    assert at(with_context, "SSN", "512443021") in found(detector, with_context)
    assert found(detector, "Reference 512443021 on file.") == set()


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("GB29NWBK60161331926819", True),
        ("FR1420041010050500013M02606", True),
        ("DE88 3704 0044 0532 0130 00", False),
        ("GB28NWBK60161331926819", False),
    ],
)
def test_iban_checksum(detector: PiiDetector, iban: str, valid: bool) -> None:
    text = f"Wire it to {iban} please."
    assert (at(text, "INTERNATIONAL_BANK_ACCOUNT_NUMBER", iban) in found(detector, text)) is valid


@pytest.mark.parametrize(("routing", "valid"), [("021000021", True), ("011000015", True), ("021000022", False)])
def test_aba_checksum(detector: PiiDetector, routing: str, valid: bool) -> None:
    text = f"The routing number is {routing}."
    assert (at(text, "BANK_ROUTING", routing) in found(detector, text)) is valid


@pytest.mark.parametrize("email", ["sofia.g@example.com", "j.o'connor+bank@mail.example.co.uk", "admin@hospital.org"])
def test_emails(detector: PiiDetector, email: str) -> None:
    text = f"Write to {email} for details."
    assert found(detector, text) == {at(text, "EMAIL", email)}


@pytest.mark.parametrize(
    "phone",
    ["(217) 555-0142", "217-555-0142", "217.555.0142", "+1 617 555 0199", "+1-617-555-0199", "+44 20 7946 0958"],
)
def test_phones(detector: PiiDetector, phone: str) -> None:
    text = f"Call me on {phone} after lunch."
    assert found(detector, text) == {at(text, "PHONE", phone)}


@pytest.mark.parametrize(
    ("address", "pii_type"),
    [
        ("192.168.10.24", "IP_ADDRESS"),
        ("8.8.8.8", "IP_ADDRESS"),
        ("2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS"),
        ("fe80::1ff:fe23:4567:890a", "IP_ADDRESS"),
        ("00:1A:2B:3C:4D:5E", "MAC_ADDRESS"),
        ("00-1a-2b-3c-4d-5e", "MAC_ADDRESS"),
    ],
)
def test_network_addresses(detector: PiiDetector, address: str, pii_type: str) -> None:
    text = f"The device at {address} was blocked."
    assert found(detector, text) == {at(text, pii_type, address)}


def test_invalid_ip_is_not_an_address(detector: PiiDetector) -> None:
    assert not any(s.type == "IP_ADDRESS" for s in detector.detect("Host 999.12.1.300 is unreachable."))


@pytest.mark.parametrize("url", ["https://firstharbor.com/login", "http://portal.example.org/a?b=1", "www.example.com"])
def test_urls_without_trailing_punctuation(detector: PiiDetector, url: str) -> None:
    text = f"Sign in at {url}."
    assert found(detector, text) == {at(text, "URL", url)}


def test_bare_domain_needs_context(detector: PiiDetector) -> None:
    # .py, .md and .sh are country domains: a file name must not read as a URL.
    assert detector.detect("Edit setup.py, index.md and build.sh first.") == []
    text = "Visit example.com for details."
    assert found(detector, text) == {at(text, "URL", "example.com")}


@pytest.mark.parametrize(
    "date",
    [
        "March 15, 2024",
        "15 March 2024",
        "Tuesday, March 5, 2024",
        "Mar. 3rd",
        "2024-03-15",
        "2024-03-15T10:30:00Z",
        "3/15/24",
        "15.03.2024",
        "10:30 AM",
        "5 p.m.",
        "14:45",
    ],
)
def test_dates_and_times(detector: PiiDetector, date: str) -> None:
    text = f"She was seen on {date} by the nurse."
    assert found(detector, text) == {at(text, "DATE_TIME", date)}


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("He is 42 years old.", "42 years"),
        ("A 65-year-old woman was admitted.", "65-year"),
        ("The patient, aged 42, reports pain.", "42"),
        ("Age: 7", "7"),
        ("Pt is a 42 y/o male.", "42 y/o"),
    ],
)
def test_ages(detector: PiiDetector, text: str, age: str) -> None:
    assert found(detector, text) == {at(text, "AGE", age)}


@pytest.mark.parametrize(
    ("text", "pii_type", "value"),
    [
        ("My PIN is 4821.", "PIN", "4821"),
        ("Key AKIAIOSFODNN7EXAMPLE was leaked.", "AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("Login: user ID mchen_88, password: Tr0ub4dor&3", "USERNAME", "mchen_88"),
        ("Login: user ID mchen_88, password: Tr0ub4dor&3", "PASSWORD", "Tr0ub4dor&3"),
        ("Security code 7341 on the back.", "CREDIT_DEBIT_CVV", "7341"),
        ("Card valid thru 11/2029.", "CREDIT_DEBIT_EXPIRY", "11/2029"),
    ],
)
def test_keyword_anchored_types(detector: PiiDetector, text: str, pii_type: str, value: str) -> None:
    assert at(text, pii_type, value) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "1234",
        "SSN",
        "the year 2020 was",
        "see page 3",
        "Order 1234 shipped in 3 days.",
        "Version 3.10.12 fixes the bug.",
        "The SSN field is required.",
        "Blood pressure was 120/80; take 2 tablets every 6 hours.",
        "The password was reset.",
        "Dear Customer, thank you for your order.",
        "She has 40 years of experience.",
        "Mix 3/4 cup of flour.",
    ],
)
def test_no_noise(detector: PiiDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_spans_sorted_and_disjoint(detector: PiiDetector) -> None:
    spans = detector.detect(BANK_CHAT)
    assert spans == sorted(spans, key=lambda s: s.begin)
    assert all(a.end <= b.begin for a, b in itertools.pairwise(spans))
    assert all(isinstance(s, PiiSpan) and 0.0 < s.score <= 1.0 for s in spans)


def test_email_wins_over_the_url_inside_it(detector: PiiDetector) -> None:
    text = "Mail sofia.g@example.com now."
    assert found(detector, text) == {at(text, "EMAIL", "sofia.g@example.com")}
    assert found(detector, text, types=["URL"]) == set()


def test_types_filter(detector: PiiDetector) -> None:
    everything = detector.detect(DISCHARGE_NOTE)
    only = detector.detect(DISCHARGE_NOTE, types=["EMAIL", "SSN"])
    assert only == [s for s in everything if s.type in {"EMAIL", "SSN"}]
    assert {s.type for s in only} == {"EMAIL", "SSN"}
    assert detector.detect(DISCHARGE_NOTE, types=["ALL"]) == everything
    with pytest.raises(ValidationError):
        detector.detect(DISCHARGE_NOTE, types=["SOCIAL_SECURITY"])


def test_min_score(detector: PiiDetector) -> None:
    spans = detector.detect(BANK_CHAT, min_score=0.9)
    assert spans and all(s.score >= 0.9 for s in spans)
    assert len(spans) < len(detector.detect(BANK_CHAT))


def test_contains(detector: PiiDetector) -> None:
    labels = detector.contains(FORM_LETTER)
    assert {"NAME", "PASSPORT_NUMBER", "DRIVER_ID", "ADDRESS", "PHONE"} <= labels.keys()
    best = {}
    for span in detector.detect(FORM_LETTER):
        best[span.type] = max(best.get(span.type, 0.0), span.score)
    assert labels == best
    assert detector.contains("Nothing personal here.") == {}


@pytest.mark.parametrize("language", ["fr", "es", "de", "EN", ""])
def test_unsupported_language(detector: PiiDetector, language: str) -> None:
    with pytest.raises(UnsupportedLanguage):
        detector.detect("Jean Dupont habite à Paris.", language)
    with pytest.raises(UnsupportedLanguage):
        detector.contains("Jean Dupont habite à Paris.", language)


def test_supported_types_are_comprehend_types(detector: PiiDetector) -> None:
    supported = detector.supported_types()
    assert supported <= pii_entity_types()
    asked_for = {
        "NAME", "EMAIL", "PHONE", "ADDRESS", "SSN", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY",
        "IP_ADDRESS", "MAC_ADDRESS", "URL", "DATE_TIME", "BANK_ACCOUNT_NUMBER", "BANK_ROUTING", "PASSPORT_NUMBER",
        "DRIVER_ID", "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "AGE",
        "USERNAME", "PASSWORD",
    }  # fmt: skip
    assert asked_for <= supported


def test_concurrent_calls_agree(detector: PiiDetector) -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(detector.detect, [BANK_CHAT] * 12))
    assert all(r == results[0] for r in results)


def test_nothing_reaches_for_the_network() -> None:
    # Imported after nlp.pii, as any caller's would be: the shared extractor must not fetch the suffix list.
    from tldextract.tldextract import TLD_EXTRACTOR

    assert TLD_EXTRACTOR.suffix_list_urls == ()


# Redaction


def _shape(text: str, spans: list[PiiSpan], token: str) -> re.Pattern[str]:
    """The redacted text must be the original's non-PII stretches, byte for byte, around tokens."""
    pattern, cursor = "", 0
    for span in spans:
        pattern += re.escape(text[cursor : span.begin]) + token.format(n=span.end - span.begin, type=span.type)
        cursor = span.end
    return re.compile(pattern + re.escape(text[cursor:]), re.DOTALL)


@pytest.mark.parametrize(
    ("mode", "token"),
    [("mask", r"#{{{n}}}"), ("type", r"\[{type}\]"), ("hash", r"[0-9a-f]{{12}}")],
)
def test_redaction_keeps_everything_else(detector: PiiDetector, mode: str, token: str) -> None:
    for text in (DISCHARGE_NOTE, BANK_CHAT, FORM_LETTER):
        spans = detector.detect(text)
        result = redact(text, spans, mode, mask_char="#")
        assert _shape(text, spans, token).fullmatch(result.text)
        assert sum(result.counts_by_type.values()) == len(spans)


def test_redaction_counts_and_types(detector: PiiDetector) -> None:
    spans = detector.detect(FORM_LETTER)
    result = redact(FORM_LETTER, spans, "type")
    assert "[PASSPORT_NUMBER]" in result.text and "X12345678" not in result.text
    assert result.counts_by_type["NAME"] == 2
    assert result.counts_by_type == {t: sum(s.type == t for s in spans) for t in {s.type for s in spans}}


def test_mask_keeps_length() -> None:
    text = "Call Ann at 555-0142."
    result = redact(text, [PiiSpan("NAME", 5, 8, 0.9), PiiSpan("PHONE", 12, 20, 0.8)])
    assert result.text == "Call *** at ********."
    assert result.counts_by_type == {"NAME": 1, "PHONE": 1}


def test_hash_is_stable_per_value_and_keyed() -> None:
    text = "Ann met Bob, then Ann left."
    spans = [PiiSpan("NAME", 0, 3, 0.9), PiiSpan("NAME", 8, 11, 0.9), PiiSpan("NAME", 18, 21, 0.9)]
    first, bob, again = re.findall(r"[0-9a-f]{12}", redact(text, spans, "hash").text)
    assert first == again != bob
    assert redact(text, spans, "hash").text == redact(text, spans, "hash").text
    assert redact(text, spans, "hash", hash_key=b"site-a").text != redact(text, spans, "hash", hash_key=b"site-b").text


def test_overlapping_spans_merge() -> None:
    text = "ID AB12CD34 ok"
    spans = [PiiSpan("DRIVER_ID", 5, 11, 0.6), PiiSpan("PASSPORT_NUMBER", 3, 9, 0.8), PiiSpan("PIN", 7, 9, 0.5)]
    result = redact(text, spans, "type")
    assert result.text == "ID [PASSPORT_NUMBER] ok"  # one region, named after its best-scored span
    assert result.counts_by_type == {"PASSPORT_NUMBER": 1}
    assert redact(text, spans, "mask").text == "ID ******** ok"


def test_redaction_rejects_bad_arguments() -> None:
    with pytest.raises(ValidationError):
        redact("abc", [], "blur")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        redact("abc", [], "mask", mask_char="**")
    with pytest.raises(ValidationError):
        redact("abc", [PiiSpan("NAME", 1, 9, 0.9)], "mask")


def test_redaction_without_spans_is_identity() -> None:
    assert redact("nothing here", [], "type").text == "nothing here"
