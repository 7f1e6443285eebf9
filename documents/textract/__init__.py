"""Amazon Textract on embedded OCR: text with geometry, tables, forms, queries, layout, expenses and
multi-page jobs."""

from documents.textract.service import Textract

__all__ = ["Textract"]
