"""Kendra in process on real text (Debian's licences, the shared-mime-info spec PDF) in every format it
indexes: index lifecycle and persistence, per-document failures, hybrid search with answers, filters,
facets, sorting, paging and ACLs, Retrieve, FAQs from S3, feedback and suggestions."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.errors import ResourceNotFound, ValidationError
from core.model_registry import ModelRegistry
from core.settings import Settings
from documents import KENDRA_EMBEDDINGS_SPEC, Kendra
from documents.kendra_passages import MAX_PASSAGE_TOKENS
from tests.documents import kendra_corpus as corpus

pytestmark = pytest.mark.skipif(not corpus.LICENCES.is_dir(), reason="no licence texts on this machine")


@pytest.fixture(scope="module")
def models(tmp_path_factory, s3_server) -> ModelRegistry:
    registry = ModelRegistry(Settings(data_dir=tmp_path_factory.mktemp("kendra"),
                                      s3_endpoint_url=s3_server.endpoint_url))
    registry.register(KENDRA_EMBEDDINGS_SPEC)
    return registry


@pytest.fixture(scope="module")
def kendra(models) -> Kendra:
    return Kendra(models)


def _active(kendra: Kendra, index_id: str) -> None:
    deadline = time.monotonic() + 120
    while (status := kendra.describe_index(id=index_id).Status) != "ACTIVE":
        assert status == "CREATING" and time.monotonic() < deadline, status
        time.sleep(0.05)


FIELDS = [
    {"Name": "department", "Type": "STRING_VALUE", "Search": {"Facetable": True, "Displayable": True}},
    {"Name": "year", "Type": "LONG_VALUE", "Search": {"Facetable": True, "Sortable": True, "Displayable": True}},
    {"Name": "tags", "Type": "STRING_LIST_VALUE", "Search": {"Facetable": True, "Searchable": True}},
    {"Name": "published", "Type": "DATE_VALUE", "Search": {"Sortable": True, "Displayable": True}},
]


def _attributes(department: str, year: int, tags: list[str]) -> list[dict]:
    return [{"Key": "department", "Value": {"StringValue": department}},
            {"Key": "year", "Value": {"LongValue": year}},
            {"Key": "tags", "Value": {"StringListValue": tags}},
            {"Key": "published", "Value": {"DateValue": datetime(year, 6, 29, tzinfo=timezone.utc)}}]


# Document id -> (content type, bytes, attributes, ACL); built once, from real licence text.
def _documents() -> list[dict]:
    gpl, apache = corpus.paragraphs("GPL-3", 4), corpus.paragraphs("Apache-2.0", 5)
    mpl, bsd = corpus.paragraphs("MPL-2.0", 6, skip=2), corpus.paragraphs("BSD", 3)
    artistic, cc0 = corpus.paragraphs("Artistic", 4), corpus.paragraphs("CC0-1.0", 4)
    lgpl = corpus.paragraphs("LGPL-2.1", 4)
    return [
        {"Id": "gpl-3", "ContentType": "PLAIN_TEXT", "Blob": "\n\n".join(gpl).encode(), "Title": "GNU GPL v3",
         "Attributes": _attributes("legal", 2007, ["copyleft", "gnu"])},
        {"Id": "apache-2", "ContentType": "HTML", "Blob": corpus.html("Apache License 2.0", apache),
         "Attributes": _attributes("legal", 2004, ["permissive", "patent"])},
        {"Id": "mpl-2", "ContentType": "MS_WORD", "Blob": corpus.docx("Mozilla Public License", mpl),
         "Attributes": _attributes("engineering", 2012, ["copyleft", "file-level"]),
         "AccessControlList": [{"Name": "lawyers", "Type": "GROUP", "Access": "ALLOW"}]},
        {"Id": "bsd", "ContentType": "PPT", "Blob": corpus.pptx("BSD licence", bsd),
         "Attributes": _attributes("engineering", 1990, ["permissive"])},
        {"Id": "artistic", "ContentType": "JSON", "Blob": corpus.json_doc("Artistic License", artistic),
         "Attributes": _attributes("marketing", 2000, ["perl"]),
         "AccessControlList": [{"Name": "alice", "Type": "USER", "Access": "ALLOW"},
                               {"Name": "interns", "Type": "GROUP", "Access": "DENY"}]},
        {"Id": "cc0", "ContentType": "MD", "Blob": ("# Creative Commons Zero\n\n" + "\n\n".join(cc0)).encode()},
        {"Id": "lgpl", "ContentType": "RTF", "Blob": corpus.rtf(lgpl), "Title": "GNU LGPL 2.1"},
        {"Id": "spdx-sheet", "ContentType": "MS_EXCEL", "Blob": corpus.xlsx(
            [["SPDX identifier", "Family", "Approved"], ["GPL-3.0-or-later", "copyleft", "yes"],
             ["Apache-2.0", "permissive", "yes"], ["WTFPL", "public domain like", "no"]])},
        {"Id": "spdx-csv", "ContentType": "CSV", "Blob": corpus.csv_text(
            [["licence", "osi_approved"], ["Zlib", "yes"], ["Unlicense", "yes"]])},
    ]


@pytest.fixture(scope="module")
def index(kendra) -> str:
    index_id = kendra.create_index(name="licences", description="Debian's licence texts").Id
    _active(kendra, index_id)
    kendra.update_index(id=index_id, document_metadata_configuration_updates=FIELDS)
    failed = kendra.batch_put_document(index_id=index_id, documents=_documents()[:5]).FailedDocuments
    failed += kendra.batch_put_document(index_id=index_id, documents=_documents()[5:]).FailedDocuments
    assert failed == []
    return index_id


def _top(kendra: Kendra, index_id: str, text: str, **kwargs) -> list[str]:
    result = kendra.query(index_id=index_id, query_text=text, query_result_type_filter="DOCUMENT", **kwargs)
    return [item.DocumentId for item in result.ResultItems]


def test_index_lifecycle_and_persistence(kendra, models) -> None:
    created = kendra.create_index(name="scratch", client_token="once", role_arn="arn:aws:iam::000000000000:role/k")
    assert kendra.create_index(name="scratch", client_token="once").Id == created.Id  # an idempotent retry
    other = kendra.create_index(name="other").Id
    assert kendra.describe_index(id=created.Id).Status in ("CREATING", "ACTIVE")
    _active(kendra, created.Id)
    kendra.update_index(id=created.Id, name="renamed", document_metadata_configuration_updates=FIELDS[:1])
    described = kendra.describe_index(id=created.Id)
    assert described.Name == "renamed" and described.RoleArn.endswith("role/k")
    fields = {f.Name: f for f in described.DocumentMetadataConfigurations}
    assert fields["department"].Search.Facetable and fields["_document_title"].Type == "STRING_VALUE"
    with pytest.raises(ValidationError, match="cannot change"):
        kendra.update_index(id=created.Id, document_metadata_configuration_updates=[
            {"Name": "department", "Type": "LONG_VALUE"}])
    restarted = Kendra(models)  # a new process over the same data_dir
    assert restarted.describe_index(id=created.Id).Name == "renamed"
    assert created.Id in [i.Id for i in restarted.list_indices().IndexConfigurationSummaryItems]
    first = restarted.list_indices(max_results=1)
    assert len(first.IndexConfigurationSummaryItems) == 1 and first.NextToken
    restarted.delete_index(id=created.Id)
    restarted.delete_index(id=other)
    with pytest.raises(ResourceNotFound):
        kendra.describe_index(id=created.Id)
    with pytest.raises(ResourceNotFound):
        kendra.query(index_id=created.Id, query_text="anything")


def test_every_format_is_indexed_and_found(kendra, index) -> None:
    stats = kendra.describe_index(id=index).IndexStatistics.TextDocumentStatistics
    assert stats.IndexedTextDocumentsCount == 9 and stats.IndexedTextBytes > 5000
    assert _top(kendra, index, "free copyleft license for software and other kinds of works")[0] == "gpl-3"
    assert _top(kendra, index, "Legal Entity means the union of the acting entity and all other entities")[0] \
        == "apache-2"
    assert _top(kendra, index, "redistributions of source code must retain the copyright notice")[0] == "bsd"
    assert _top(kendra, index, "waive copyright and related rights, dedicate to the public domain")[0] == "cc0"
    assert _top(kendra, index, "GNU Lesser General Public License for libraries")[0] == "lgpl"
    assert _top(kendra, index, "WTFPL")[0] == "spdx-sheet"
    assert _top(kendra, index, "Zlib Unlicense osi approved")[0] == "spdx-csv"
    # Titles come from the format when the request gives none; scripts and styles are not text.
    titles = {i.DocumentId: i.DocumentTitle.Text for i in kendra.query(index_id=index, query_text="licence",
                                                                       page_size=20).ResultItems}
    assert titles["apache-2"] == "Apache License 2.0" and titles["cc0"] == "Creative Commons Zero"
    assert _top(kendra, index, "scriptword") == []
    # A query of stop words only has no BM25 terms (bm25s raises on an empty query): dense alone ranks it.
    assert _top(kendra, index, "Who is it for? What does it do?")[0] in {"gpl-3", "lgpl", "apache-2", "bsd", "cc0"}


def test_answers_excerpts_and_highlights(kendra, index) -> None:
    question = "Can the Legal Entity be a corporation under common control?"
    result = kendra.query(index_id=index, query_text=question)
    kinds = [item.Type for item in result.ResultItems]
    assert kinds[0] == "ANSWER" and "DOCUMENT" in kinds
    answer = result.ResultItems[0]
    assert answer.DocumentId == "apache-2"
    text = answer.AdditionalAttributes[0].Value.TextWithHighlightsValue
    top = [h for h in text.Highlights if h.TopAnswer]
    assert len(top) == 1 and "control" in text.Text[top[0].BeginOffset:top[0].EndOffset].lower()
    document = next(i for i in result.ResultItems if i.Type == "DOCUMENT")
    words = {document.DocumentExcerpt.Text[h.BeginOffset:h.EndOffset].lower() for h in document.DocumentExcerpt.Highlights}
    assert words and words <= {"legal", "entity", "corporation", "common", "control", "under"}
    assert document.ScoreAttributes.ScoreConfidence in ("VERY_HIGH", "HIGH")
    assert result.TotalNumberOfResults >= 1 and len(result.QueryId) == 36


def test_attribute_filters(kendra, index) -> None:
    def ids(filter_: dict) -> set[str]:
        return set(_top(kendra, index, "licence terms", attribute_filter=filter_, page_size=100))

    assert ids({"EqualsTo": {"Key": "department", "Value": {"StringValue": "legal"}}}) == {"gpl-3", "apache-2"}
    assert ids({"ContainsAny": {"Key": "tags", "Value": {"StringListValue": ["patent", "perl"]}}}) == \
        {"apache-2", "artistic"}
    assert ids({"ContainsAll": {"Key": "tags", "Value": {"StringListValue": ["copyleft", "gnu"]}}}) == {"gpl-3"}
    assert ids({"AndAllFilters": [{"GreaterThanOrEquals": {"Key": "year", "Value": {"LongValue": 2004}}},
                                  {"LessThan": {"Key": "year", "Value": {"LongValue": 2012}}}]}) == \
        {"gpl-3", "apache-2"}
    assert ids({"OrAllFilters": [{"LessThanOrEquals": {"Key": "year", "Value": {"LongValue": 1990}}},
                                 {"GreaterThan": {"Key": "published", "Value": {"DateValue": "2010-01-01T00:00:00Z"}}}]}) \
        == {"bsd", "mpl-2"}
    assert "gpl-3" not in ids({"NotFilter": {"EqualsTo": {"Key": "department", "Value": {"StringValue": "legal"}}}})
    with pytest.raises(ValidationError, match="exactly one"):
        ids({})
    browse = kendra.query(index_id=index, attribute_filter={  # no query text: every document the filter keeps
        "EqualsTo": {"Key": "department", "Value": {"StringValue": "engineering"}}})
    assert [i.DocumentId for i in browse.ResultItems] == ["bsd", "mpl-2"] and browse.TotalNumberOfResults == 2


def test_facets_sorting_and_paging(kendra, index) -> None:
    result = kendra.query(index_id=index, query_text="license terms", page_size=100,
                          facets=[{"DocumentAttributeKey": "department"}, {"DocumentAttributeKey": "tags"}])
    counts = {f.DocumentAttributeKey: {p.DocumentAttributeValue.StringValue: p.Count
                                       for p in f.DocumentAttributeValueCountPairs} for f in result.FacetResults}
    assert counts["department"] == {"legal": 2, "engineering": 2, "marketing": 1}
    assert counts["tags"]["copyleft"] == 2 and counts["tags"]["permissive"] == 2
    with pytest.raises(ValidationError, match="facetable"):
        kendra.query(index_id=index, query_text="licence", facets=[{"DocumentAttributeKey": "published"}])

    by_year = _top(kendra, index, "licence", page_size=100,
                   sorting_configuration={"DocumentAttributeKey": "year", "SortOrder": "DESC"})
    assert by_year[:5] == ["mpl-2", "gpl-3", "apache-2", "artistic", "bsd"]
    pages = [_top(kendra, index, "licence", page_size=3, page_number=n) for n in (1, 2, 3, 4)]
    flat = [d for page in pages for d in page]
    assert len(flat) == len(set(flat)) == kendra.query(index_id=index, query_text="licence").TotalNumberOfResults
    displayed = next(i for i in kendra.query(index_id=index, query_text="GNU GPL v3", page_size=100).ResultItems
                     if i.DocumentId == "gpl-3").DocumentAttributes
    assert {a.Key for a in displayed} >= {"department", "year", "published"} and "tags" not in {a.Key for a in displayed}


def test_acl_hides_documents_even_from_facets(kendra, index) -> None:
    def visible(user: dict) -> tuple[set[str], dict]:
        result = kendra.query(index_id=index, query_text="license terms", page_size=100, user_context=user,
                              facets=[{"DocumentAttributeKey": "department"}])
        counts = {p.DocumentAttributeValue.StringValue: p.Count
                  for p in result.FacetResults[0].DocumentAttributeValueCountPairs}
        return {i.DocumentId for i in result.ResultItems if i.Type == "DOCUMENT"}, counts

    bob, bob_counts = visible({"UserId": "bob", "Groups": ["staff"]})
    assert "mpl-2" not in bob and "artistic" not in bob and "marketing" not in bob_counts
    assert bob_counts["engineering"] == 1
    lawyer, _ = visible({"UserId": "bob", "Groups": ["lawyers"]})
    assert "mpl-2" in lawyer and "artistic" not in lawyer
    alice, _ = visible({"UserId": "alice"})
    assert "artistic" in alice
    intern_alice, _ = visible({"UserId": "alice", "Groups": ["interns"]})  # DENY wins over ALLOW
    assert "artistic" not in intern_alice
    # Retrieve and suggestions honour the same lists.
    passages = kendra.retrieve(index_id=index, query_text="Mozilla Public License", page_size=100,
                               user_context={"UserId": "bob"}).ResultItems
    assert "mpl-2" not in {p.DocumentId for p in passages}


def test_user_tokens_need_a_json_token_configuration(kendra) -> None:
    index_id = kendra.create_index(name="tokens", user_context_policy="USER_TOKEN", user_token_configurations=[
        {"JsonTokenTypeConfiguration": {"UserNameAttributeField": "sub", "GroupAttributeField": "groups"}}]).Id
    _active(kendra, index_id)
    kendra.batch_put_document(index_id=index_id, documents=[
        {"Id": "secret", "Blob": b"The launch code of the rocket is in the blue safe.",
         "AccessControlList": [{"Name": "ops", "Type": "GROUP", "Access": "ALLOW"}]},
        {"Id": "public", "Blob": b"The rocket launch is planned for spring."}])
    anonymous = _top(kendra, index_id, "rocket launch code")
    assert anonymous == ["public"]  # USER_TOKEN: no token, public documents only
    token = json.dumps({"sub": "carol", "groups": ["ops"]})
    assert "secret" in _top(kendra, index_id, "rocket launch code", user_context={"Token": token})
    with pytest.raises(Exception, match="JSON object nor a JWT"):
        _top(kendra, index_id, "rocket", user_context={"Token": "not json"})


def test_bad_documents_fail_alone(kendra, index) -> None:
    pdf_header = b"%PDF-1.7\n" + b"\x00garbage" * 50
    failed = kendra.batch_put_document(index_id=index, documents=[
        {"Id": "broken-pdf", "ContentType": "PDF", "Blob": pdf_header},
        {"Id": "broken-docx", "ContentType": "MS_WORD", "Blob": b"PK\x03\x04 not really a zip"},
        {"Id": "xslt", "ContentType": "XSLT", "Blob": b"<xsl:stylesheet/>"},
        {"Id": "huge", "ContentType": "PLAIN_TEXT", "Blob": b"word " * (1_100_000)},
        {"Id": "unknown-field", "Blob": b"text", "Attributes": [{"Key": "colour", "Value": {"StringValue": "red"}}]},
        {"Id": "wrong-type", "Blob": b"text", "Attributes": [{"Key": "year", "Value": {"StringValue": "2001"}}]},
        {"Id": "good", "ContentType": "PLAIN_TEXT", "Blob": b"A perfectly fine note about licence compliance."},
    ]).FailedDocuments
    reasons = {f.Id: f.ErrorMessage for f in failed}
    assert set(reasons) == {"broken-pdf", "broken-docx", "xslt", "huge", "unknown-field", "wrong-type"}
    assert all(f.ErrorCode == "InvalidRequest" for f in failed)
    assert "PDF" in reasons["broken-pdf"] and "XSLT is not supported" in reasons["xslt"]
    assert "limit" in reasons["huge"] and "colour" in reasons["unknown-field"]
    assert "LONG_VALUE" in reasons["wrong-type"]
    statuses = kendra.batch_get_document_status(index_id=index, document_info_list=[
        {"DocumentId": "good"}, {"DocumentId": "broken-pdf"}]).DocumentStatusList
    assert [(s.DocumentId, s.DocumentStatus) for s in statuses] == [("good", "INDEXED"), ("broken-pdf", "FAILED")]
    assert "PDF" in statuses[1].FailureReason
    kendra.batch_put_document(index_id=index, documents=[{"Id": "good", "ContentType": "PDF", "Blob": pdf_header}])
    assert kendra.batch_get_document_status(index_id=index, document_info_list=[{"DocumentId": "good"}]
                                            ).DocumentStatusList[0].DocumentStatus == "UPDATE_FAILED"
    kendra.batch_delete_document(index_id=index, document_id_list=["good"])
    assert kendra.batch_get_document_status(index_id=index, document_info_list=[{"DocumentId": "good"}]
                                            ).DocumentStatusList[0].DocumentStatus == "NOT_FOUND"
    with pytest.raises(ValidationError, match="10000 characters"):
        kendra.query(index_id=index, query_text="licence " * 1250)
    with pytest.raises(ResourceNotFound):
        kendra.batch_put_document(index_id="0" * 36, documents=[{"Id": "x", "Blob": b"x"}])


@pytest.mark.skipif(not corpus.MIME_SPEC_PDF.is_file(), reason="no shared-mime-info spec PDF")
def test_pdf_from_s3_and_retrieve_passages(kendra, index, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="kendra-pdf")
    s3.put_object(Bucket="kendra-pdf", Key="spec/mime.pdf", Body=corpus.MIME_SPEC_PDF.read_bytes())
    failed = kendra.batch_put_document(index_id=index, documents=[
        {"Id": "mime-spec", "S3Path": {"Bucket": "kendra-pdf", "Key": "spec/mime.pdf"}},
        {"Id": "missing", "S3Path": {"Bucket": "kendra-pdf", "Key": "nope.pdf"}}]).FailedDocuments
    assert [f.Id for f in failed] == ["missing"]
    passages = kendra.retrieve(index_id=index, query_text="How are MIME types guessed from magic bytes in the file?",
                               page_size=100).ResultItems
    assert passages[0].DocumentId == "mime-spec" and "magic" in passages[0].Content.lower()
    embedder = kendra._embedder()
    assert all(embedder.count_tokens(p.Content) <= MAX_PASSAGE_TOKENS for p in passages)
    confidence = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW"]
    ranks = [confidence.index(p.ScoreAttributes.ScoreConfidence) for p in passages]
    assert ranks == sorted(ranks) and 1 < len(passages) <= 100


def test_faqs_from_s3(kendra, index, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="kendra-faq")
    s3.put_object(Bucket="kendra-faq", Key="faq.csv", Body=corpus.csv_text([
        ["Can I sell software under the GPL?", "Yes: the GPL allows selling copies, as long as the source comes along.",
         "https://www.gnu.org/licenses/gpl-faq.html"],
        ["Is the Apache licence compatible with GPLv3?", "Yes, Apache 2.0 code can be included in GPLv3 projects."]]))
    s3.put_object(Bucket="kendra-faq", Key="faq.json", Body=json.dumps({"SchemaVersion": 1, "FaqDocuments": [
        {"Question": "What is a copyleft licence?", "Answer": "One that requires derived works to keep the same licence."}
    ]}).encode())
    s3.put_object(Bucket="kendra-faq", Key="bad.csv", Body=b"only a question\n")
    csv_faq = kendra.create_faq(index_id=index, name="gpl-faq", s3_path={"Bucket": "kendra-faq", "Key": "faq.csv"},
                                role_arn="arn:aws:iam::000000000000:role/k").Id
    kendra.create_faq(index_id=index, name="json-faq", s3_path={"Bucket": "kendra-faq", "Key": "faq.json"},
                      file_format="JSON")
    bad = kendra.create_faq(index_id=index, name="bad", s3_path={"Bucket": "kendra-faq", "Key": "bad.csv"}).Id
    assert kendra.describe_faq(index_id=index, id=csv_faq).Status == "ACTIVE"
    failed = kendra.describe_faq(index_id=index, id=bad)
    assert failed.Status == "FAILED" and "question and an answer" in failed.ErrorMessage
    assert [f.Name for f in kendra.list_faqs(index_id=index).FaqSummaryItems] == ["gpl-faq", "json-faq", "bad"]
    assert kendra.describe_index(id=index).IndexStatistics.FaqStatistics.IndexedQuestionAnswersCount == 3

    result = kendra.query(index_id=index, query_text="Am I allowed to sell GPL software?")
    answer = result.ResultItems[0]
    assert answer.Type == "QUESTION_ANSWER" and answer.DocumentURI == "https://www.gnu.org/licenses/gpl-faq.html"
    assert {a.Key for a in answer.AdditionalAttributes} == {"QuestionText", "AnswerText"}
    assert "selling copies" in answer.DocumentExcerpt.Text
    kendra.delete_faq(index_id=index, id=csv_faq)
    assert "QUESTION_ANSWER" not in [i.Type for i in kendra.query(
        index_id=index, query_text="Am I allowed to sell GPL software?").ResultItems]
    with pytest.raises(ResourceNotFound):
        kendra.describe_faq(index_id=index, id=csv_faq)


def test_feedback_boosts_and_suggestions(kendra) -> None:
    index_id = kendra.create_index(name="feedback").Id
    _active(kendra, index_id)
    text = "\n\n".join(corpus.paragraphs("GPL-3", 2)).encode()
    # The same text twice: a tie that relevance alone breaks by id, and feedback must break the other way.
    kendra.batch_put_document(index_id=index_id, documents=[
        {"Id": "gpl-a", "Title": "GNU GPL version 3", "Blob": text},
        {"Id": "gpl-b", "Title": "GNU GPL version 3 (mirror)", "Blob": text},
        {"Id": "gpl-2", "Title": "GNU GPL version 2", "Blob": "\n\n".join(corpus.paragraphs("GPL-2", 2)).encode()}])
    question = "GNU General Public License"
    before = kendra.query(index_id=index_id, query_text=question)
    ranked = [i.DocumentId for i in before.ResultItems if i.Type == "DOCUMENT"]
    assert ranked.index("gpl-a") < ranked.index("gpl-b")
    loser = next(i for i in before.ResultItems if i.DocumentId == "gpl-b")
    for _ in range(3):
        result = kendra.query(index_id=index_id, query_text=question)
        clicked = next(i for i in result.ResultItems if i.DocumentId == loser.DocumentId and i.Type == "DOCUMENT")
        kendra.submit_feedback(index_id=index_id, query_id=result.QueryId,
                               click_feedback_items=[{"ResultId": clicked.Id, "ClickTime": datetime.now(timezone.utc)}],
                               relevance_feedback_items=[{"ResultId": clicked.Id, "RelevanceValue": "RELEVANT"}])
    after = [i.DocumentId for i in kendra.query(index_id=index_id, query_text=question).ResultItems
             if i.Type == "DOCUMENT"]
    assert after.index("gpl-b") < after.index("gpl-a")

    suggestions = kendra.get_query_suggestions(index_id=index_id, query_text="GNU g").Suggestions
    texts = [s.Value.Text.Text for s in suggestions]
    assert texts[0] == "gnu general public license" and "GNU GPL version 2" in texts
    assert suggestions[0].Value.Text.Highlights[0].EndOffset == len("gnu g")


@pytest.mark.skipif(not corpus.MIME_SPEC_PDF.is_file(), reason="no shared-mime-info spec PDF")
def test_scanned_pdf_is_read_by_ocr(kendra, models) -> None:
    from core import ocr
    from core.errors import ModelUnavailable

    for spec in ocr.SPECS:
        models.register(spec)
    try:
        models.get(ocr.CAPABILITY)
    except ModelUnavailable as exc:
        pytest.skip(f"no OCR engine installed: {exc.message}")
    index_id = kendra.create_index(name="scans").Id
    _active(kendra, index_id)
    failed = kendra.batch_put_document(index_id=index_id, documents=[
        {"Id": "scan", "ContentType": "PDF", "Blob": corpus.scanned_pdf(corpus.MIME_SPEC_PDF, page=0)}]).FailedDocuments
    assert failed == []
    hit = kendra.query(index_id=index_id, query_text="Shared MIME-info Database specification",
                       query_result_type_filter="DOCUMENT").ResultItems[0]
    assert hit.DocumentId == "scan" and "mime" in hit.DocumentExcerpt.Text.lower()
