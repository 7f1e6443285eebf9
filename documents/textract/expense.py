"""AnalyzeExpense: invoices and receipts read as summary fields and line items, by heuristics over
the page's words (no expense model ships offline).

Summary fields come from labelled values — a form key ("Invoice Number:") or a line that starts
with a known label and ends with an amount ("Total 12.50") — named with AWS's field types (TOTAL,
SUBTOTAL, TAX, INVOICE_RECEIPT_DATE, INVOICE_RECEIPT_ID, DUE_DATE, …; other labelled values are
OTHER); VENDOR_NAME is the top line of the first page. Line items are the rows of the page's tables,
their columns typed by their header (ITEM, QUANTITY, UNIT_PRICE, PRICE) and each row also given
whole as EXPENSE_ROW.
"""

from __future__ import annotations

import re
import statistics

from core.model_registry import ModelRegistry
from core.ocr import OcrLine, OcrWord
from core.service import operation
from documents.textract.blocks import PageBlocks
from documents.textract.document import SYNC_BYTES, SYNC_PAGES
from documents.textract.forms import find_key_values
from documents.textract.geometry import Box
from documents.textract.shapes import (
    AnalyzeExpenseRequest,
    AnalyzeExpenseResponse,
    DocumentMetadata,
    ExpenseCurrency,
    ExpenseDetection,
    ExpenseDocument,
    ExpenseField,
    ExpenseType,
    LineItemFields,
    LineItemGroup,
)
from documents.textract.tables import Table, find_tables

# Label patterns, most specific first: "Subtotal" must not be read as TOTAL. Spaces are optional:
# OCR runs tight label words together ("UnitPrice").
SUMMARY_LABELS = [
    ("SUBTOTAL", r"sub[\s-]?total"),
    ("TAX", r"(sales\s*)?tax|vat|gst"),
    ("DUE_DATE", r"(payment\s*)?due\s*date|pay\s*by"),
    ("TOTAL", r"(grand\s*)?total|amount\s*due|balance\s*due|total\s*due"),
    ("INVOICE_RECEIPT_ID", r"(invoice|receipt|bill)\s*(no\.?|number|num|#|id)|order\s*(no\.?|number|#)"),
    ("INVOICE_RECEIPT_DATE", r"(invoice|receipt|bill|order)?\s*date|dated"),
    ("PAYMENT_TERMS", r"(payment\s*)?terms"),
    ("RECEIVER_NAME", r"bill\s*to|sold\s*to|customer(\s*name)?"),
    ("VENDOR_PHONE", r"(tel|phone)\.?"),
]
COLUMN_LABELS = [
    ("QUANTITY", r"qty|quantity|units?"),
    ("UNIT_PRICE", r"unit\s*price|price\s*each|rate|unit\s*cost"),
    ("PRICE", r"amount|line\s*total|total|price|cost"),
    ("ITEM", r"item|description|product|service|article|details"),
    ("PRODUCT_CODE", r"sku|code|part\s*(no\.?|number)"),
]
_AMOUNT = re.compile(r"^[($€£]*-?\d[\d,]*\.\d{2}\)?$")
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}


def _type_of(label: str, patterns: list[tuple[str, str]]) -> str | None:
    text = " ".join(label.lower().rstrip(":").split())
    return next((kind for kind, pattern in patterns if re.fullmatch(pattern, text)), None)


class ExpenseOperations:
    _models: ModelRegistry

    @operation(text_out=("ExpenseDocuments[*].Blocks[*].Text",
                         "ExpenseDocuments[*].SummaryFields[*].ValueDetection.Text",
                         "ExpenseDocuments[*].LineItemGroups[*].LineItems[*].LineItemExpenseFields[*].ValueDetection.Text"))
    def analyze_expense(self, request: AnalyzeExpenseRequest) -> AnalyzeExpenseResponse:
        """Read an invoice or receipt: summary fields (vendor, date, totals, ...) and the line items of its tables."""
        document = self._open(request.Document, max_bytes=SYNC_BYTES, max_pages=SYNC_PAGES)  # type: ignore[attr-defined]
        expenses = []
        for page in document.pages():
            height, width = page.image.shape[:2]
            blocks = PageBlocks(page.number, width, height)
            lines = self.read_lines(page)  # type: ignore[attr-defined]
            blocks.add_text(lines)
            groups, item_lines = [], set()
            for table in find_tables(page.image, lines):
                items = _line_items(blocks, table, page.number)
                if items:
                    groups.append(LineItemGroup(LineItemGroupIndex=len(groups) + 1, LineItems=items))
                    item_lines |= {id(line) for line in table.lines_inside(lines)}
            # Totals set in aligned columns look like a table too: only item tables are left out.
            fields = _summary_fields(blocks, [line for line in lines if id(line) not in item_lines], page.number)
            expenses.append(ExpenseDocument(ExpenseIndex=len(expenses) + 1, SummaryFields=fields,
                                            LineItemGroups=groups, Blocks=blocks.finish()))
        return AnalyzeExpenseResponse(DocumentMetadata=DocumentMetadata(Pages=document.page_count),
                                      ExpenseDocuments=expenses)


def _detection(blocks: PageBlocks, words: list[OcrWord]) -> ExpenseDetection | None:
    if not words:
        return None
    return ExpenseDetection(Text=" ".join(w.text for w in words),
                            Geometry=blocks.geometry(Box.enclosing(words).polygon),
                            Confidence=100 * statistics.mean(w.confidence for w in words))


def _field(blocks: PageBlocks, kind: str, label: list[OcrWord], value: list[OcrWord], page: int) -> ExpenseField:
    text = " ".join(w.text for w in value)
    currency = next((code for sign, code in _CURRENCY.items() if sign in text), None)
    return ExpenseField(Type=ExpenseType(Text=kind, Confidence=90.0 if kind != "OTHER" else 70.0),
                        LabelDetection=_detection(blocks, label), ValueDetection=_detection(blocks, value),
                        PageNumber=page, Currency=ExpenseCurrency(Code=currency, Confidence=90.0) if currency else None)


def _summary_fields(blocks: PageBlocks, lines: list[OcrLine], page: int) -> list[ExpenseField]:
    fields: list[ExpenseField] = []
    labelled: set[int] = set()
    for pair in find_key_values(lines, []):
        if pair.value:
            kind = _type_of(pair.key_text, SUMMARY_LABELS) or "OTHER"
            fields.append(_field(blocks, kind, pair.key, pair.value, page))
            labelled |= {id(w) for w in pair.key + pair.value}
    for label, amount in _labelled_amounts([line for line in lines if not any(id(w) in labelled for w in line.words)]):
        kind = _type_of(" ".join(w.text for w in label), SUMMARY_LABELS)
        if kind is not None:
            fields.append(_field(blocks, kind, label, amount, page))
    if page == 1 and lines:
        vendor = min(lines, key=lambda line: Box.of(line).top)
        fields.insert(0, _field(blocks, "VENDOR_NAME", [], vendor.words, page))
    return fields


def _labelled_amounts(lines: list[OcrLine]) -> list[tuple[list[OcrWord], list[OcrWord]]]:
    """(label, amount) of "Total 12.50" on one line, or of a label whose amount sits further right on
    its row (a receipt's right-aligned column, which reading order made a line of its own)."""
    found = []
    for line in lines:
        if len(line.words) >= 2 and _AMOUNT.match(line.words[-1].text):
            found.append((line.words[:-1], line.words[-1:]))
            continue
        box = Box.of(line)
        beside = [other for other in lines
                  if Box.of(other).left > box.right and Box.of(other).vertical_overlap(box) > 0.5
                  and len(other.words) == 1 and _AMOUNT.match(other.words[0].text)]
        if beside:
            found.append((line.words, min(beside, key=lambda other: Box.of(other).left).words))
    return found


def _line_items(blocks: PageBlocks, table: Table, page: int) -> list[LineItemFields]:
    header = {c.column: c.words for c in table.cells if c.row == 1}
    kinds = {column: _type_of(" ".join(w.text for w in words), COLUMN_LABELS) for column, words in header.items()}
    if not any(kinds.values()):
        return []  # a table without expense columns is not a list of items
    items = []
    for row in range(2, table.rows + 1):
        cells = [c for c in table.cells if c.row == row and c.words]
        fields = [_field(blocks, kinds[c.column], header[c.column], c.words, page)
                  for c in cells if kinds.get(c.column)]
        if fields:
            everything = [w for c in cells for w in c.words]
            fields.append(_field(blocks, "EXPENSE_ROW", [], everything, page))
            items.append(LineItemFields(LineItemExpenseFields=fields))
    return items
