"""PII detection and redaction, Comprehend-style: `PiiDetector().detect(text)` finds typed spans,
`redact(text, spans, mode)` rewrites them. Detection and transformation stay apart (as in Presidio)
so one detection can serve an API answer, a redacted copy and a count."""

import os

# tldextract, under Presidio's e-mail recognizer, downloads the public-suffix list on first use
# unless this is set before it is imported; empty means its bundled snapshot. Offline sites only.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from nlp.pii.detector import PiiDetector
from nlp.pii.redaction import RedactionResult, redact
from nlp.pii.types import PiiSpan, pii_entity_types

__all__ = ["PiiDetector", "PiiSpan", "RedactionResult", "pii_entity_types", "redact"]
