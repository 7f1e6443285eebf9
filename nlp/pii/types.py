"""What the detector returns: a typed, scored character span."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import botocore.session


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """`text[begin:end]` is the entity; offsets count characters (code points), as Comprehend's do."""

    type: str
    begin: int
    end: int
    score: float


@cache
def pii_entity_types() -> frozenset[str]:
    """Comprehend's PII type names, read from botocore's model so they never drift from AWS's."""
    model = botocore.session.get_session().get_service_model("comprehend")
    return frozenset(model.shape_for("PiiEntityType").enum)
