"""Amazon Textract, in process: `Textract().detect_document_text(document={"Bytes": png})`.

Every operation reads a page the same way: the PDF's own text layer where there is one, OCR
(core.ocr, the engine settings choose) where there is not; lines then go into reading order, and
the analysis features (TABLES, FORMS, QUERIES, LAYOUT) work from the page image and those lines.
"""

from __future__ import annotations

from core.errors import DocumentTooLarge
from core.model_registry import ModelRegistry, registry
from core.ocr import CAPABILITY as OCR
from core.ocr import OcrLine
from core.s3_object import InlineOrS3, read_input
from core.service import Service, operation
from documents.textract import reading_order
from documents.textract.analysis import analyze_page, check_features
from documents.textract.blocks import PageBlocks
from documents.textract.document import SYNC_BYTES, SYNC_PAGES, Document, Page, open_document
from documents.textract.document_pages import DocumentPagesOperations
from documents.textract.expense import ExpenseOperations
from documents.textract.shapes import (
    MODEL_VERSION,
    AnalyzeDocumentRequest,
    AnalyzeDocumentResponse,
    Block,
    DetectDocumentTextRequest,
    DetectDocumentTextResponse,
    DocumentMetadata,
    QueriesConfig,
)


class Textract(ExpenseOperations, DocumentPagesOperations, Service):
    name = "textract"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry

    def _open(self, document: InlineOrS3, *, max_bytes: int, max_pages: int) -> Document:
        data = read_input(document, self._models.settings, what="Document", max_inline_bytes=max_bytes,
                          max_s3_bytes=max_bytes, too_large=DocumentTooLarge)
        return open_document(data, max_pages=max_pages)

    def read_lines(self, page: Page) -> list[OcrLine]:
        """The page's lines in reading order: its text layer, or OCR of its image."""
        if page.text_layer is not None:
            lines = page.text_layer
        else:
            lines = reading_order.without_rules(self._models.get(OCR).read(page.image))
        return reading_order.order(reading_order.split_wide_gaps(lines))

    def page_blocks(self, page: Page, features: list[str] = (), queries: QueriesConfig | None = None) -> list[Block]:
        height, width = page.image.shape[:2]
        blocks = PageBlocks(page.number, width, height)
        lines = self.read_lines(page)
        blocks.add_text(lines)
        if features:
            analyze_page(blocks, page.image, lines, features, queries)
        return blocks.finish()

    @operation(text_out=("Blocks[*].Text",))
    def detect_document_text(self, request: DetectDocumentTextRequest) -> DetectDocumentTextResponse:
        """Detect the lines and words of a one-page document (PNG, JPEG, TIFF or PDF)."""
        document = self._open(request.Document, max_bytes=SYNC_BYTES, max_pages=SYNC_PAGES)
        blocks = [block for page in document.pages() for block in self.page_blocks(page)]
        return DetectDocumentTextResponse(DocumentMetadata=DocumentMetadata(Pages=document.page_count),
                                          Blocks=blocks, DetectDocumentTextModelVersion=MODEL_VERSION)

    @operation(text_out=("Blocks[*].Text",))
    def analyze_document(self, request: AnalyzeDocumentRequest) -> AnalyzeDocumentResponse:
        """Find tables, form key-values and check boxes, answers to queries and the layout of a one-page document."""
        features = check_features(request.FeatureTypes, request.QueriesConfig)
        document = self._open(request.Document, max_bytes=SYNC_BYTES, max_pages=SYNC_PAGES)
        blocks = [block for page in document.pages()
                  for block in self.page_blocks(page, features, request.QueriesConfig)]
        return AnalyzeDocumentResponse(DocumentMetadata=DocumentMetadata(Pages=document.page_count),
                                       Blocks=blocks, AnalyzeDocumentModelVersion=MODEL_VERSION)
