"""Amazon Textract on embedded OCR: text with geometry, tables, forms, queries, layout, expenses and
multi-page documents (AnalyzeDocumentPages, which the gateway's asynchronous Textract jobs run)."""

from documents.textract.service import Textract

__all__ = ["Textract"]
