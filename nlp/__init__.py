"""Natural-language services on embedded models: Amazon Comprehend and Amazon Translate."""

from core.model_registry import registry
from nlp.comprehend import Comprehend
from nlp.engines import SPECS
from nlp.pii.engine import SPEC as PII_SPEC
from nlp.toxicity import SPEC as TOXICITY_SPEC
from nlp.translate import Translate

for _spec in [*SPECS, PII_SPEC, TOXICITY_SPEC]:
    registry.register(_spec)

SERVICES = [Comprehend, Translate]
__all__ = ["Comprehend", "SERVICES", "Translate"]
