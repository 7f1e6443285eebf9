"""Textract on pages made from real text and data on this machine (licences, scikit-learn's iris
CSV, a born-digital PDF from Debian's docs), in process, through the REST door (JSON, base64),
real boto3 clients (Bytes and S3Object from moto S3) and the SDK; bad documents get clear 4xx."""

from __future__ import annotations

import difflib
import json
import textwrap
import time
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from core.errors import BadDocument, InvalidJobId, InvalidParameter, UnsupportedDocument
from core.model_registry import ModelRegistry
from core.ocr import SPECS
from core.settings import ModelChoice, Settings
from documents import Textract
from gateway.client import Client
from tests.documents import textract_pages as pages

LIBTASN1 = Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf")


def _similar(found: str, expected: str) -> float:
    return difflib.SequenceMatcher(None, found, expected).ratio()


def _lines(blocks) -> list[str]:
    return [b.Text for b in blocks if b.BlockType == "LINE"]


def _child_text(block, by_id) -> str:
    ids = [i for rel in block.Relationships or [] if rel.Type == "CHILD" for i in rel.Ids]
    return " ".join(by_id[i].Text or by_id[i].SelectionStatus for i in ids)


@pytest.fixture(scope="module")
def textract(tmp_path_factory, s3_server) -> Textract:
    settings = Settings(data_dir=tmp_path_factory.mktemp("textract"), s3_endpoint_url=s3_server.endpoint_url)
    models = ModelRegistry(settings)
    for spec in SPECS:
        models.register(spec)
    return Textract(models)


@pytest.fixture(scope="module")
def two_columns() -> tuple[bytes, list[str]]:
    if not pages.LICENCES.is_dir():
        pytest.skip("no licence texts on this machine")
    image, lines = pages.text_page(pages.licence_paragraphs(count=8), columns=2, title="Apache License")
    return pages.encode(image), lines


@pytest.fixture(scope="module")
def iris_rows() -> list[list[str]]:
    import sklearn

    return pages.csv_rows(Path(sklearn.__file__).parent / "datasets" / "data" / "iris.csv", 6)


def test_detect_text_reads_two_columns_in_order(textract: Textract, two_columns) -> None:
    data, expected = two_columns
    result = textract.detect_document_text(document={"Bytes": data})
    assert result.DocumentMetadata.Pages == 1
    found = _lines(result.Blocks)
    assert len(found) == len(expected)
    # Reading order: the title, the whole left column, then the right one.
    assert sum(_similar(f, e) > 0.85 for f, e in zip(found, expected)) >= 0.9 * len(expected)
    page, *rest = result.Blocks
    assert page.BlockType == "PAGE" and page.Geometry.BoundingBox.Width == 1.0
    by_id = {b.Id: b for b in result.Blocks}
    lines = [b for b in rest if b.BlockType == "LINE"]
    assert page.Relationships[0].Ids == [b.Id for b in lines]
    for line in lines:
        assert line.Text == _child_text(line, by_id)
        box = line.Geometry.BoundingBox
        assert 0 <= box.Left <= box.Left + box.Width <= 1 and 0 <= box.Top <= box.Top + box.Height <= 1
        assert len(line.Geometry.Polygon) == 4 and 0 < line.Confidence <= 100 and line.Page == 1
    assert {b.TextType for b in rest if b.BlockType == "WORD"} == {"PRINTED"}


def test_digital_pdf_text_layer_is_read_exactly(textract: Textract) -> None:
    lines = [line for p in pages.licence_paragraphs(count=3) for line in textwrap.wrap(p, 80)]
    result = textract.detect_document_text(document={"Bytes": pages.digital_pdf([lines])})
    assert _lines(result.Blocks) == lines
    assert all(b.Confidence == 100 for b in result.Blocks if b.BlockType == "WORD")


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
def test_scanned_pdf_and_tiff_are_read_by_ocr(engine: str, tmp_path: Path) -> None:
    models = ModelRegistry(Settings(data_dir=tmp_path, models={"ocr": ModelChoice(engine=engine)}))
    for spec in SPECS:
        models.register(spec)
    textract = Textract(models)
    image, expected = pages.text_page(pages.licence_paragraphs(count=1), size=28)
    for data in (pages.scanned_pdf([image]), pages.multipage_tiff([image]),
                 pages.encode(pages.degrade(image), "JPEG")):
        found = _lines(textract.detect_document_text(document={"Bytes": data}).Blocks)
        assert _similar(" ".join(found), " ".join(expected)) > 0.9, found


def test_ruled_table_with_merged_title(textract: Textract, iris_rows) -> None:
    image = pages.table_page(iris_rows, ruled=True, merged_title="Iris measurements")
    result = textract.analyze_document(document={"Bytes": pages.encode(image)}, feature_types=["TABLES"])
    by_id = {b.Id: b for b in result.Blocks}
    table = next(b for b in result.Blocks if b.BlockType == "TABLE")
    cells = {(b.RowIndex, b.ColumnIndex): _child_text(b, by_id) for b in result.Blocks if b.BlockType == "CELL"}
    assert max(cells) == (len(iris_rows) + 1, len(iris_rows[0]))
    body = [cells[(r + 2, c + 1)] == value for r, row in enumerate(iris_rows) for c, value in enumerate(row)]
    assert sum(body) >= 0.9 * len(body)
    merged = [b for b in result.Blocks if b.BlockType == "MERGED_CELL"]
    assert [(m.RowIndex, m.ColumnIndex, m.RowSpan, m.ColumnSpan) for m in merged] == [(1, 1, 1, len(iris_rows[0]))]
    assert [r.Type for r in table.Relationships] == ["CHILD", "MERGED_CELL"]
    assert table.Id in next(b for b in result.Blocks if b.BlockType == "PAGE").Relationships[0].Ids


def test_unruled_table_from_aligned_columns(textract: Textract, iris_rows) -> None:
    image = pages.table_page(iris_rows, ruled=False)
    result = textract.analyze_document(document={"Bytes": pages.encode(image)}, feature_types=["TABLES"])
    by_id = {b.Id: b for b in result.Blocks}
    cells = {(b.RowIndex, b.ColumnIndex): (_child_text(b, by_id), b.EntityTypes)
             for b in result.Blocks if b.BlockType == "CELL"}
    assert max(cells) == (len(iris_rows), len(iris_rows[0]))
    assert [cells[(1, c + 1)] for c in range(3)] == [(v, ["COLUMN_HEADER"]) for v in iris_rows[0][:3]]
    assert [cells[(r + 1, 1)][0] for r in range(1, len(iris_rows))] == [row[0] for row in iris_rows[1:]]


def test_forms_queries_and_check_boxes(textract: Textract) -> None:
    image = pages.form_page([("Name", "Jane Doe"), ("Invoice Number", "INV-2024-0042"), ("Date", "2024-03-15")],
                            [("Married", True), ("Single", False)])
    result = textract.analyze_document(
        document={"Bytes": pages.encode(image)}, feature_types=["FORMS", "QUERIES"],
        queries_config={"Queries": [{"Text": "What is the invoice number?", "Alias": "INVOICE"},
                                    {"Text": "What is the date?"}, {"Text": "How tall is the giraffe?"}]})
    by_id = {b.Id: b for b in result.Blocks}
    pairs = {}
    for block in result.Blocks:
        if block.BlockType == "KEY_VALUE_SET" and block.EntityTypes == ["KEY"]:
            value = by_id[next(r for r in block.Relationships if r.Type == "VALUE").Ids[0]]
            assert value.EntityTypes == ["VALUE"]
            pairs[_child_text(block, by_id).rstrip(":")] = _child_text(value, by_id)
    assert pairs == {"Name": "Jane Doe", "Invoice Number": "INV-2024-0042", "Date": "2024-03-15",
                     "Married": "SELECTED", "Single": "NOT_SELECTED"}
    answers = {}
    for block in result.Blocks:
        if block.BlockType == "QUERY":
            ids = [i for r in block.Relationships or [] if r.Type == "ANSWER" for i in r.Ids]
            answers[block.Query.Alias or block.Query.Text] = [by_id[i].Text for i in ids]
    assert answers == {"INVOICE": ["INV-2024-0042"], "What is the date?": ["2024-03-15"],
                       "How tall is the giraffe?": []}


def test_layout_names_title_and_text(textract: Textract, two_columns) -> None:
    result = textract.analyze_document(document={"Bytes": two_columns[0]}, feature_types=["LAYOUT"])
    kinds = [b.BlockType for b in result.Blocks if b.BlockType.startswith("LAYOUT_")]
    assert kinds[0] == "LAYOUT_TITLE" and kinds.count("LAYOUT_TITLE") == 1
    assert kinds.count("LAYOUT_TEXT") >= 4
    by_id = {b.Id: b for b in result.Blocks}
    title = next(b for b in result.Blocks if b.BlockType == "LAYOUT_TITLE")
    assert _child_text(title, by_id) == "Apache License"


@pytest.mark.parametrize(("data", "error", "message"), [
    (b"hello, this is plain text", UnsupportedDocument, "not a PNG"),
    (b"", BadDocument, "empty"),
    (b"II*\x00\x08\x00\x00\x00\xff\xff garbage", BadDocument, "cannot be"),
    (b"%PDF-1.7\n" + b"[" * 200_000 + b"\n%%EOF", BadDocument, "PDF cannot be read"),
])
def test_bad_documents(textract: Textract, data: bytes, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        textract.detect_document_text(document={"Bytes": data})


def test_encrypted_huge_and_multipage_documents(textract: Textract) -> None:
    with pytest.raises(UnsupportedDocument, match="encrypted"):
        textract.detect_document_text(document={"Bytes": pages.digital_pdf([["secret"]], password="pw")})
    from fpdf import FPDF

    huge = FPDF(format=(3000, 3000), unit="pt")
    huge.add_page()
    with pytest.raises(UnsupportedDocument, match="40 inches"):
        textract.detect_document_text(document={"Bytes": bytes(huge.output())})
    from PIL import Image

    with pytest.raises(UnsupportedDocument, match="10000"):
        textract.detect_document_text(document={"Bytes": pages.encode(Image.new("L", (10_001, 8)))})
    with pytest.raises(UnsupportedDocument, match="synchronous operations take one page"):
        textract.detect_document_text(document={"Bytes": pages.digital_pdf([["one"], ["two"]])})
    with pytest.raises(InvalidParameter, match="QueriesConfig"):
        textract.analyze_document(document={"Bytes": pages.digital_pdf([["one"]])}, feature_types=["QUERIES"])


def _wait(get, job_id: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while True:
        result = get(job_id)
        if result["JobStatus"] != "IN_PROGRESS":
            return result
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.fixture(scope="module")
def door(start_gateway, s3_server):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url)


@pytest.fixture(scope="module")
def bucket(s3_server, two_columns) -> str:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="docs")
    s3.put_object(Bucket="docs", Key="page.png", Body=two_columns[0])
    if LIBTASN1.is_file():
        s3.put_object(Bucket="docs", Key="libtasn1.pdf", Body=LIBTASN1.read_bytes())
    image, _ = pages.text_page(pages.licence_paragraphs(count=1), size=28)
    s3.put_object(Bucket="docs", Key="scan.tiff", Body=pages.multipage_tiff([image, image.rotate(0)]))
    return "docs"


def test_boto3_bytes_and_s3_object(door, aws_client, bucket, two_columns) -> None:
    client = aws_client("textract", door.url)
    by_bytes = client.detect_document_text(Document={"Bytes": pages.digital_pdf([["Hello from a PDF"]])})
    assert [b["Text"] for b in by_bytes["Blocks"] if b["BlockType"] == "LINE"] == ["Hello from a PDF"]
    by_s3 = client.detect_document_text(Document={"S3Object": {"Bucket": bucket, "Name": "page.png"}})
    assert by_s3["DocumentMetadata"]["Pages"] == 1
    assert _similar([b["Text"] for b in by_s3["Blocks"] if b["BlockType"] == "LINE"][0], "Apache License") > 0.9
    with pytest.raises(ClientError) as missing:
        client.detect_document_text(Document={"S3Object": {"Bucket": bucket, "Name": "nope.png"}})
    assert missing.value.response["Error"]["Code"] == "InvalidS3ObjectException"
    with pytest.raises(ClientError) as unsupported:
        client.analyze_document(Document={"Bytes": b"just text"}, FeatureTypes=["TABLES"])
    assert unsupported.value.response["Error"]["Code"] == "UnsupportedDocumentException"
    assert unsupported.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.slow
def test_jobs_page_through_blocks(door, aws_client, bucket, s3_server) -> None:
    client = aws_client("textract", door.url)
    job = client.start_document_text_detection(DocumentLocation={"S3Object": {"Bucket": bucket, "Name": "scan.tiff"}},
                                               OutputConfig={"S3Bucket": bucket, "S3Prefix": "results"})
    done = _wait(lambda j: client.get_document_text_detection(JobId=j, MaxResults=1), job["JobId"])
    assert done["JobStatus"] == "SUCCEEDED" and done["DocumentMetadata"]["Pages"] == 2
    blocks, token = [], None
    while True:
        page = client.get_document_text_detection(JobId=job["JobId"], MaxResults=25,
                                                  **({"NextToken": token} if token else {}))
        assert len(page["Blocks"]) <= 25
        blocks += page["Blocks"]
        token = page.get("NextToken")
        if not token:
            break
    assert [b["Page"] for b in blocks if b["BlockType"] == "PAGE"] == [1, 2]
    written = s3_server.client().get_object(Bucket=bucket, Key=f"results/{job['JobId']}/1")["Body"].read()
    assert json.loads(written)["Blocks"] == blocks
    with pytest.raises(ClientError) as unknown:
        client.get_document_text_detection(JobId="0" * 32)
    assert unknown.value.response["Error"]["Code"] == "InvalidJobIdException"
    if LIBTASN1.is_file():
        analysis = client.start_document_analysis(
            DocumentLocation={"S3Object": {"Bucket": bucket, "Name": "libtasn1.pdf"}}, FeatureTypes=["LAYOUT"])
        result = _wait(lambda j: client.get_document_analysis(JobId=j), analysis["JobId"])
        assert result["JobStatus"] == "SUCCEEDED" and result["DocumentMetadata"]["Pages"] == 36
        lines = [b["Text"] for b in result["Blocks"] if b["BlockType"] == "LINE"]
        assert lines[0] == "Libtasn1" and "NextToken" in result  # 36 pages of blocks: more than one page of results
        with pytest.raises(ClientError) as wrong_kind:
            client.get_document_text_detection(JobId=analysis["JobId"])
        assert wrong_kind.value.response["Error"]["Code"] == "InvalidJobIdException"


def test_rest_door_and_sdk(door) -> None:
    import base64

    data = pages.digital_pdf([["Invoice Number: INV-7", "Total: 12.50"]])
    reply = httpx.post(f"{door.url}/v1/textract/analyze-document", timeout=60, json={
        "Document": {"Bytes": base64.b64encode(data).decode()}, "FeatureTypes": ["QUERIES"],
        "QueriesConfig": {"Queries": [{"Text": "What is the total?"}]}})
    assert reply.status_code == 200, reply.text
    assert [b["Text"] for b in reply.json()["Blocks"] if b["BlockType"] == "QUERY_RESULT"] == ["12.50"]
    bad = httpx.post(f"{door.url}/v1/textract/detect-document-text", json={"Document": {"Bytes": "aGVsbG8="}})
    assert bad.status_code == 400 and "UnsupportedDocument" in bad.text
    with Client(door.url) as client:
        result = client.textract.detect_document_text(document={"Bytes": data})
        assert _lines(result.Blocks) == ["Invoice Number: INV-7", "Total: 12.50"]
        with pytest.raises(InvalidJobId):
            client.textract.get_document_analysis(job_id="missing")


def test_analyze_expense_summary_and_line_items(door, aws_client) -> None:
    image = pages.receipt_page(
        "Blue Harbor Books", [("Invoice Number", "INV-2024-0042"), ("Invoice Date", "2024-03-15")],
        [["Description", "Qty", "Unit Price", "Amount"], ["Python Cookbook", "2", "35.00", "70.00"],
         ["Notebook", "3", "4.50", "13.50"]],
        [("Subtotal", "83.50"), ("Tax", "6.68"), ("Total", "$90.18")])
    result = aws_client("textract", door.url).analyze_expense(Document={"Bytes": pages.encode(image)})
    expense, = result["ExpenseDocuments"]
    summary = {f["Type"]["Text"]: f["ValueDetection"]["Text"] for f in expense["SummaryFields"]}
    assert summary == {"VENDOR_NAME": "Blue Harbor Books", "INVOICE_RECEIPT_ID": "INV-2024-0042",
                       "INVOICE_RECEIPT_DATE": "2024-03-15", "SUBTOTAL": "83.50", "TAX": "6.68", "TOTAL": "$90.18"}
    total = next(f for f in expense["SummaryFields"] if f["Type"]["Text"] == "TOTAL")
    assert total["Currency"]["Code"] == "USD" and total["LabelDetection"]["Text"] == "Total"
    items = [{f["Type"]["Text"]: f["ValueDetection"]["Text"] for f in item["LineItemExpenseFields"]}
             for group in expense["LineItemGroups"] for item in group["LineItems"]]
    assert [(i["ITEM"], i["QUANTITY"], i["UNIT_PRICE"], i["PRICE"]) for i in items] == [
        ("Python Cookbook", "2", "35.00", "70.00"), ("Notebook", "3", "4.50", "13.50")]
    assert expense["Blocks"][0]["BlockType"] == "PAGE"
