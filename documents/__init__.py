"""Document services on embedded models: Amazon Textract and Amazon Kendra."""

from core.model_registry import registry
from core.ocr import SPECS as OCR_SPECS
from documents.engines.embeddings_minilm import SPEC as KENDRA_EMBEDDINGS_SPEC
from documents.kendra import Kendra
from documents.textract import Textract

registry.register(KENDRA_EMBEDDINGS_SPEC)
for _spec in OCR_SPECS:
    registry.register(_spec)

SERVICES: list = [Textract, Kendra]
