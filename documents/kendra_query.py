"""Kendra's search operations: Query, Retrieve, SubmitFeedback and GetQuerySuggestions.

A query ranks the passages of the documents the caller may see and that pass the AttributeFilter
(kendra_ranking: dense cosine lifted by each passage's nearest neighbour, plus a share of BM25 and a
small boost from users' feedback); a document ranks by its best passage. Filters and ACLs are applied
before ranking, so counts and facets only ever count what the caller may see.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from dataclasses import dataclass

from typing import Any

import numpy as np

from core.errors import ValidationError
from core.service import operation
from documents.kendra_access import may_see, principal_of
from documents.kendra_attributes import matches, typed, wire_value
from documents.kendra_excerpts import excerpt, highlights
from documents.kendra_passages import sentences
from documents.kendra_ranking import PassageMatrix
from documents.kendra_shapes import (
    AdditionalResultAttribute,
    AttributeFilterShape,
    DocumentAttribute,
    DocumentAttributeValueCountPair,
    Empty,
    FacetResult,
    GetQuerySuggestionsRequest,
    GetQuerySuggestionsResponse,
    QueryRequest,
    QueryResult,
    QueryResultItem,
    RetrieveRequest,
    RetrieveResult,
    RetrieveResultItem,
    ScoreAttributesShape,
    SubmitFeedbackRequest,
    Suggestion,
    TextWithHighlights,
    UserContextShape,
)
from documents.kendra_store import DocumentRecord, IndexRecord

MAX_QUERY_CHARS = 1000  # Kendra's quota on query text
MAX_RESULTS = 100  # Kendra pages through at most the first 100 results
MIN_RELEVANCE = 0.2  # below this match score a passage does not match (unrelated text scores near 0.05)
ANSWER_MIN_COSINE = 0.45  # an answer sentence must be at least this close to the question
FAQ_MIN_COSINE = 0.7
USER_FEEDBACK_WEIGHT = 0.1  # a well-liked document rises past near-ties, never past a clearly better match
DEFAULT_FACET_VALUES = 10


def _confidence(score: float) -> str:
    return "VERY_HIGH" if score >= 0.75 else "HIGH" if score >= 0.6 else "MEDIUM" if score >= 0.45 else "LOW"


@dataclass
class SearchView:
    """An index as queries read it, rebuilt when its generation moves."""

    generation: int
    documents: dict[str, DocumentRecord]
    passages: PassageMatrix
    faq: list[tuple[str, str, str | None]]  # question, answer, uri
    faq_vectors: np.ndarray
    feedback: dict[str, float]


@dataclass
class Ranked:
    doc_id: str
    score: float
    passage: int  # the document's best passage


class QueryOperations:
    def _view(self, index: IndexRecord) -> SearchView:
        with self._lock:
            cached = self._matrices.get(index.id)
        if cached is not None and cached.generation == index.generation:
            return cached
        store = self._store()
        documents = store.documents(index.id)
        passages = [p for p in store.passages(index.id) if p.doc_id in documents]
        searchable = [f["Name"] for f in index.config["DocumentMetadataConfigurations"]
                      if f["Type"] in ("STRING_VALUE", "STRING_LIST_VALUE") and (f.get("Search") or {}).get("Searchable")]

        def lexical(doc: DocumentRecord) -> str:
            values = [typed(doc.attributes[key]) for key in searchable if key in doc.attributes]
            return " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in values)

        matrix = PassageMatrix.build([p.doc_id for p in passages], [p.text for p in passages],
                                     [p.vector for p in passages],
                                     [f"{lexical(documents[p.doc_id])} {p.text}" for p in passages])
        entries = store.faq_entries(index.id)
        view = SearchView(index.generation, documents, matrix, [(q, a, uri) for q, a, uri, _ in entries],
                          np.vstack([v for *_, v in entries]) if entries else np.zeros((0, 1), np.float32),
                          store.feedback(index.id))
        with self._lock:
            self._matrices[index.id] = view
        return view

    def _visible(self, index: IndexRecord, view: SearchView, user: UserContextShape | None,
                 attribute_filter: AttributeFilterShape | None) -> set[str]:
        principal = principal_of(user, index.config)
        policy = index.config["UserContextPolicy"]
        return {doc_id for doc_id, doc in view.documents.items()
                if may_see(doc.acl, principal, policy)
                and (attribute_filter is None or matches(attribute_filter, doc.attributes))}

    def _rank(self, view: SearchView, visible: set[str], text: str | None,
              query_vector: np.ndarray | None) -> tuple[list[Ranked], np.ndarray, np.ndarray]:
        """Visible documents that match, best first, and every passage's (hybrid, match) score."""
        matrix = view.passages
        if not text:  # a filter-only query: every visible document, in a stable order
            none = np.zeros(len(matrix.texts), np.float32)
            return [Ranked(d, 0.0, -1) for d in sorted(visible)], none, none
        fused, match = matrix.fused(text, query_vector, np.array([d in visible for d in matrix.doc_ids], dtype=bool))
        best: dict[str, Ranked] = {}
        for n, doc_id in enumerate(matrix.doc_ids):
            if doc_id in visible and match[n] >= MIN_RELEVANCE and (doc_id not in best or fused[n] > best[doc_id].score):
                best[doc_id] = Ranked(doc_id, float(fused[n]), n)
        for ranked in best.values():
            ranked.score += USER_FEEDBACK_WEIGHT * math.tanh(view.feedback.get(ranked.doc_id, 0.0) / 3)
        return sorted(best.values(), key=lambda r: (-r.score, r.doc_id)), fused, match

    @staticmethod
    def _check_text(text: str | None) -> None:
        if text is not None and len(text) > MAX_QUERY_CHARS:
            raise ValidationError(f"The query text is {len(text)} characters; the limit is {MAX_QUERY_CHARS}.")

    @staticmethod
    def _displayed(index: IndexRecord, doc: DocumentRecord, requested: list[str] | None) -> list[DocumentAttribute]:
        shown = {f["Name"] for f in index.config["DocumentMetadataConfigurations"]
                 if (f.get("Search") or {}).get("Displayable")}
        keys = [k for k in doc.attributes if k in shown and (requested is None or k in requested)]
        return [DocumentAttribute(Key=k, Value=doc.attributes[k]) for k in sorted(keys)]

    def _facets(self, index: IndexRecord, view: SearchView, found: list[Ranked], request: QueryRequest
                ) -> list[FacetResult]:
        fields = {f["Name"]: f for f in index.config["DocumentMetadataConfigurations"]}
        results = []
        for facet in request.Facets or []:
            field = fields.get(facet.DocumentAttributeKey)
            if field is None or not (field.get("Search") or {}).get("Facetable"):
                raise ValidationError(f"{facet.DocumentAttributeKey} is not a facetable field of the index.")
            counts: Counter = Counter()
            for ranked in found:
                value = view.documents[ranked.doc_id].attributes.get(facet.DocumentAttributeKey)
                if value is not None:
                    type_, v = wire_value(value)
                    counts.update(v if type_ == "STRING_LIST_VALUE" else [v])
            member = {"STRING_VALUE": "StringValue", "STRING_LIST_VALUE": "StringValue",
                      "LONG_VALUE": "LongValue", "DATE_VALUE": "DateValue"}[field["Type"]]
            limit = facet.MaxResults if facet.MaxResults is not None else DEFAULT_FACET_VALUES
            pairs = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit or None]
            results.append(FacetResult(
                DocumentAttributeKey=facet.DocumentAttributeKey, DocumentAttributeValueType=(
                    "STRING_VALUE" if field["Type"] == "STRING_LIST_VALUE" else field["Type"]),
                DocumentAttributeValueCountPairs=[DocumentAttributeValueCountPair(
                    DocumentAttributeValue={member: value}, Count=count) for value, count in pairs]))
        return results

    def _sorted(self, index: IndexRecord, view: SearchView, found: list[Ranked], request: QueryRequest
                ) -> list[Ranked]:
        sorting = request.SortingConfiguration
        if sorting is None:
            return found
        key = sorting.DocumentAttributeKey
        field = next((f for f in index.config["DocumentMetadataConfigurations"] if f["Name"] == key), None)
        if field is None or not (field.get("Search") or {}).get("Sortable") or field["Type"] == "STRING_LIST_VALUE":
            raise ValidationError(f"{key} is not a sortable field of the index.")
        having = [r for r in found if key in view.documents[r.doc_id].attributes]
        missing = [r for r in found if key not in view.documents[r.doc_id].attributes]
        having.sort(key=lambda r: typed(view.documents[r.doc_id].attributes[key]), reverse=sorting.SortOrder == "DESC")
        return having + missing  # documents without the attribute come last, in relevance order

    def _answer(self, view: SearchView, top: Ranked, query: str, query_vector: np.ndarray
                ) -> tuple[tuple[int, int], float] | None:
        """The sentence of the top passage that best answers the query, if one is close enough."""
        passage = view.passages.texts[top.passage]
        spans = sentences(passage)
        vectors = self._embedder().embed([passage[s:e] for s, e in spans])
        scores = vectors @ query_vector
        best = int(np.argmax(scores))
        return (spans[best], float(scores[best])) if scores[best] >= ANSWER_MIN_COSINE else None

    def _faq_items(self, view: SearchView, query: str, query_vector: np.ndarray) -> list[tuple[int, float]]:
        if not view.faq:
            return []
        scores = view.faq_vectors @ query_vector
        order = np.argsort(-scores)[:3]
        return [(int(n), float(scores[n])) for n in order if scores[n] >= FAQ_MIN_COSINE]

    @operation(text_out=("ResultItems[*].DocumentTitle.Text", "ResultItems[*].DocumentExcerpt.Text",
                         "ResultItems[*].AdditionalAttributes[*].Value.TextWithHighlightsValue.Text",
                         "ResultItems[*].DocumentAttributes[*].Value.StringValue",
                         "ResultItems[*].DocumentAttributes[*].Value.StringListValue[*]",
                         "FacetResults[*].DocumentAttributeValueCountPairs[*].DocumentAttributeValue.StringValue"))
    def query(self, request: QueryRequest) -> QueryResult:
        """Search an index: documents with excerpts, an extracted answer and FAQ answers, facets and paging."""
        self._check_text(request.QueryText)
        index = self._index(request.IndexId)
        view = self._view(index)
        visible = self._visible(index, view, request.UserContext, request.AttributeFilter)
        text = (request.QueryText or "").strip() or None
        query_vector = self._embedder().embed([text])[0] if text else None
        found, _, _ = self._rank(view, visible, text, query_vector)
        facets = self._facets(index, view, found, request)
        ordered = self._sorted(index, view, found, request)[:MAX_RESULTS]
        query_id = str(uuid.uuid4())
        items: list[QueryResultItem] = []
        wanted = request.QueryResultTypeFilter

        def add(type_: str, doc_id: str | None, score: float, **members: Any) -> None:
            result_id = f"{query_id}-{len(items)}"
            items.append(QueryResultItem(Id=result_id, Type=type_, DocumentId=doc_id, FeedbackToken=result_id,
                                         ScoreAttributes=ScoreAttributesShape(ScoreConfidence=_confidence(score)),
                                         **members))

        first_page = request.PageNumber == 1
        if text and first_page and wanted in (None, "QUESTION_ANSWER"):
            for n, score in self._faq_items(view, text, query_vector):
                question, answer, uri = view.faq[n]
                add("QUESTION_ANSWER", None, score, Format="TEXT", DocumentURI=uri,
                    DocumentTitle=TextWithHighlights(Text=question, Highlights=highlights(question, text)),
                    DocumentExcerpt=TextWithHighlights(Text=answer, Highlights=highlights(answer, text)),
                    AdditionalAttributes=[
                        AdditionalResultAttribute(Key="QuestionText", Value={"TextWithHighlightsValue": {
                            "Text": question, "Highlights": highlights(question, text)}}),
                        AdditionalResultAttribute(Key="AnswerText", Value={"TextWithHighlightsValue": {
                            "Text": answer, "Highlights": highlights(answer, text)}})])
        if text and first_page and found and wanted in (None, "ANSWER"):
            top = found[0]
            answer = self._answer(view, top, text, query_vector)
            if answer is not None:
                span, score = answer
                doc = view.documents[top.doc_id]
                shown = excerpt(view.passages.texts[top.passage], text, span)
                add("ANSWER", top.doc_id, score, Format="TEXT",
                    DocumentTitle=TextWithHighlights(Text=doc.title or "", Highlights=highlights(doc.title or "", text)),
                    DocumentExcerpt=shown, DocumentURI=self._uri(doc),
                    DocumentAttributes=self._displayed(index, doc, request.RequestedDocumentAttributes),
                    AdditionalAttributes=[AdditionalResultAttribute(
                        Key="AnswerText", Value={"TextWithHighlightsValue": shown})])
        start = (request.PageNumber - 1) * request.PageSize
        if wanted in (None, "DOCUMENT"):
            for ranked in ordered[start:start + request.PageSize]:
                doc = view.documents[ranked.doc_id]
                passage = view.passages.texts[ranked.passage] if ranked.passage >= 0 else self._first_passage(
                    view, ranked.doc_id)
                add("DOCUMENT", ranked.doc_id, ranked.score,
                    DocumentTitle=TextWithHighlights(Text=doc.title or "", Highlights=highlights(doc.title or "",
                                                                                                text or "")),
                    DocumentExcerpt=excerpt(passage, text or ""), DocumentURI=self._uri(doc),
                    DocumentAttributes=self._displayed(index, doc, request.RequestedDocumentAttributes))
        self._store().record_query(index.id, query_id, text, [(i.Id, i.DocumentId) for i in items if i.DocumentId])
        return QueryResult(QueryId=query_id, ResultItems=items, FacetResults=facets,
                           TotalNumberOfResults=len(found))

    @staticmethod
    def _uri(doc: DocumentRecord) -> str | None:
        value = doc.attributes.get("_source_uri")
        return value["StringValue"] if value else None

    @staticmethod
    def _first_passage(view: SearchView, doc_id: str) -> str:
        return next((t for d, t in zip(view.passages.doc_ids, view.passages.texts) if d == doc_id), "")

    @operation(text_out=("ResultItems[*].DocumentTitle", "ResultItems[*].Content",
                         "ResultItems[*].DocumentAttributes[*].Value.StringValue",
                         "ResultItems[*].DocumentAttributes[*].Value.StringListValue[*]"))
    def retrieve(self, request: RetrieveRequest) -> RetrieveResult:
        """The passages (≤ 200 tokens each) most relevant to a query, up to 100, best first."""
        self._check_text(request.QueryText)
        if not request.QueryText.strip():
            raise ValidationError("QueryText must not be empty.")
        index = self._index(request.IndexId)
        view = self._view(index)
        visible = self._visible(index, view, request.UserContext, request.AttributeFilter)
        query_vector = self._embedder().embed([request.QueryText])[0]
        _, fused, match = self._rank(view, visible, request.QueryText, query_vector)
        order = [int(n) for n in np.argsort(-fused) if view.passages.doc_ids[n] in visible
                 and match[n] >= MIN_RELEVANCE][:MAX_RESULTS]
        start = (request.PageNumber - 1) * request.PageSize
        query_id = str(uuid.uuid4())
        items = []
        for n in order[start:start + request.PageSize]:
            doc = view.documents[view.passages.doc_ids[n]]
            items.append(RetrieveResultItem(
                Id=f"{query_id}-{len(items)}", DocumentId=doc.doc_id, DocumentTitle=doc.title,
                Content=view.passages.texts[n], DocumentURI=self._uri(doc),
                DocumentAttributes=self._displayed(index, doc, request.RequestedDocumentAttributes),
                ScoreAttributes=ScoreAttributesShape(ScoreConfidence=_confidence(float(fused[n])))))
        self._store().record_query(index.id, query_id, None, [(i.Id, i.DocumentId) for i in items])
        return RetrieveResult(QueryId=query_id, ResultItems=items)

    @operation
    def submit_feedback(self, request: SubmitFeedbackRequest) -> Empty:
        """Clicks and relevance votes on a query's results; they boost (or lower) those documents later."""
        self._index(request.IndexId)
        store = self._store()
        documents = store.result_documents(request.IndexId, request.QueryId)
        votes = [(documents[c.ResultId], 1.0) for c in request.ClickFeedbackItems or [] if c.ResultId in documents]
        votes += [(documents[r.ResultId], 1.0 if r.RelevanceValue == "RELEVANT" else -1.0)
                  for r in request.RelevanceFeedbackItems or [] if r.ResultId in documents]
        if votes:
            store.add_feedback(request.IndexId, votes)
        return Empty()

    @operation(text_out=("Suggestions[*].Value.Text.Text",))
    def get_query_suggestions(self, request: GetQuerySuggestionsRequest) -> GetQuerySuggestionsResponse:
        """Completions of a partial query: earlier queries (most asked first), then public document titles."""
        self._check_text(request.QueryText)
        index = self._index(request.IndexId)
        prefix = " ".join(request.QueryText.split()).lower()
        texts = [text for text, _ in self._store().logged_queries(index.id, prefix)]
        view = self._view(index)
        texts += sorted({doc.title for doc in view.documents.values()
                         if doc.title and not doc.acl and doc.title.lower().startswith(prefix)})
        unique = list(dict.fromkeys(texts))[:request.MaxSuggestionsCount]
        suggestions_id = str(uuid.uuid4())
        return GetQuerySuggestionsResponse(QuerySuggestionsId=suggestions_id, Suggestions=[
            Suggestion(Id=f"{suggestions_id}-{n}", Value={"Text": {
                "Text": text, "Highlights": [{"BeginOffset": 0, "EndOffset": len(prefix)}]}})
            for n, text in enumerate(unique)])
