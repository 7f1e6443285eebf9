"""Natural-language services on embedded models: Amazon Comprehend and Amazon Translate."""

from core.model_registry import registry
from nlp.comprehend import Comprehend
from nlp.engines import SPECS
from nlp.translate import Translate

for _spec in SPECS:
    registry.register(_spec)

SERVICES = [Comprehend, Translate]
__all__ = ["Comprehend", "SERVICES", "Translate"]
