"""Natural-language services: Amazon Comprehend (and, later, Translate) on embedded models."""

from core.model_registry import registry
from nlp.comprehend import Comprehend
from nlp.engines import SPECS

for _spec in SPECS:
    registry.register(_spec)

SERVICES = [Comprehend]
__all__ = ["Comprehend", "SERVICES"]
