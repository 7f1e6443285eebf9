"""The two steps of a Comprehend topic detection job, as operations of `Comprehend` (not AWS ones).

Topic modelling is a fit over the whole corpus, so a job is a map and a reduce: ReadTopicDocuments
splits one input object into its documents, named as AWS names them; FitTopics reads every object's
documents back, one file at a time, models topics (nlp.topic_model) and writes AWS's
`output.tar.gz`. The gateway's job engine runs them for StartTopicsDetectionJob
(gateway/jobs/aws_comprehend_topics.py); in process they are plain synchronous calls.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from core.model_registry import ModelRegistry
from core.service import operation
from core.storage import Storage
from nlp import topic_model
from nlp.comprehend_topics_shapes import (
    FitTopicsRequest,
    FitTopicsResponse,
    ReadTopicDocumentsRequest,
    ReadTopicDocumentsResponse,
    TopicDocument,
)

# AWS ends a line at LF, CR or CRLF, and only there (not at U+2028, as str.splitlines would).
_LINE_END = re.compile(r"\r\n|\r|\n")


def _documents(name: str, text: str, line_per_document: bool) -> list[TopicDocument]:
    if not line_per_document:
        return [TopicDocument(Name=name, Text=text)] if text.strip() else []
    return [TopicDocument(Name=f"{name}:{number}", Text=line)
            for number, line in enumerate(_LINE_END.split(text)) if line.strip()]


class TopicModellingOperations:
    _models: ModelRegistry

    @operation(text_in=("Text",), text_out=("Documents[*].Text",))
    def read_topic_documents(self, request: ReadTopicDocumentsRequest) -> ReadTopicDocumentsResponse:
        """The non-empty documents of one input file of a topic detection job, named as AWS names them."""
        name = posixpath.basename(request.ObjectKey)
        return ReadTopicDocumentsResponse(
            Documents=_documents(name, request.Text, request.InputFormat == "ONE_DOC_PER_LINE"))

    @operation(served=False)
    def fit_topics(self, request: FitTopicsRequest) -> FitTopicsResponse:
        """Model the topics of every document ReadTopicDocuments wrote under a folder; write output.tar.gz."""
        storage = Storage(self._models.settings)
        count = 0

        def documents() -> Iterator[tuple[str, str]]:
            nonlocal count
            for location in storage.list_keys(request.Results):  # one file in memory at a time
                for document in ReadTopicDocumentsResponse.model_validate_json(storage.read_bytes(location)).Documents:
                    count += 1
                    yield document.Name, document.Text

        topics = topic_model.detect(documents(), request.NumberOfTopics)
        storage.write_bytes(request.OutputUri, topics.archive(), "application/gzip")
        return FitTopicsResponse(OutputUri=request.OutputUri, DocumentsCount=count)
