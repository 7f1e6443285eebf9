"""Every page of a long document at once: AnalyzeDocumentPages, for documents of up to 3000 pages.

Not an AWS operation: it is what StartDocumentTextDetection (no FeatureTypes) and StartDocumentAnalysis
run on their document (the gateway's job adapter, gateway/jobs/aws_textract.py), offered on its own
as a synchronous call. `check_document_pages` makes the checks AWS makes when such a job starts
(features, format, size, page count) without reading the pages, so that a bad document answers the
Start request as an error rather than becoming a failed job.
"""

from __future__ import annotations

from core.errors import DocumentTooLarge
from core.service import operation
from documents.textract.analysis import check_features
from documents.textract.document import ASYNC_PAGES, Document
from documents.textract.shapes import AnalyzeDocumentPagesRequest, AnalyzeDocumentPagesResponse, DocumentMetadata

ASYNC_BYTES = 500 * 1024 * 1024  # AWS: PDF and TIFF jobs up to 500 MB
ASYNC_IMAGE_BYTES = 10 * 1024 * 1024  # and images up to 10 MB, as in the synchronous operations


class DocumentPagesOperations:
    """A mixin of `Textract`, which provides `_open` and `page_blocks`."""

    def _open_pages(self, request: AnalyzeDocumentPagesRequest) -> tuple[Document, list[str]]:
        # No FeatureTypes is text detection; a QueriesConfig alone is still refused by check_features.
        features = check_features(request.FeatureTypes, request.QueriesConfig) \
            if request.FeatureTypes or request.QueriesConfig else []
        document: Document = self._open(request.Document, max_bytes=ASYNC_BYTES,  # type: ignore[attr-defined]
                                        max_pages=ASYNC_PAGES)
        if document.kind in ("PNG", "JPEG") and document.size > ASYNC_IMAGE_BYTES:
            raise DocumentTooLarge(f"The {document.kind} image is {document.size} bytes; images may be 10 MB.")
        return document, features

    def check_document_pages(self, request: AnalyzeDocumentPagesRequest) -> None:
        """Refuse what AnalyzeDocumentPages would refuse before reading a page (the Start-time checks)."""
        self._open_pages(request)

    @operation(text_out=("Blocks[*].Text",))
    def analyze_document_pages(self, request: AnalyzeDocumentPagesRequest) -> AnalyzeDocumentPagesResponse:
        """The blocks of every page of a document of up to 3000 pages (PDF, TIFF, PNG or JPEG): its text,
        and the tables, forms, queries and layout that FeatureTypes asks for."""
        document, features = self._open_pages(request)
        blocks = [block for page in document.pages()
                  for block in self.page_blocks(page, features, request.QueriesConfig)]  # type: ignore[attr-defined]
        return AnalyzeDocumentPagesResponse(DocumentMetadata=DocumentMetadata(Pages=document.page_count),
                                            Blocks=blocks)
