"""Amazon Kendra, in process: `Kendra().create_index(name="docs")`, then `batch_put_document`,
`query`, `retrieve`, FAQs and data sources (the operation mixins beside this file).

State lives in `<data_dir>/kendra/kendra.sqlite3` (kendra_store), so indexes survive restarts. An
index is CREATING until the embedding model it needs has loaded (on a background thread), then
ACTIVE; FAILED with the reason if the model cannot load.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from core.errors import ResourceNotFound, ServiceError, ValidationError
from core.model_registry import ModelRegistry, registry
from core.paging import offset_page
from core.service import Service, operation
from documents.engines import embeddings_minilm
from documents.kendra_attributes import RESERVED_FIELDS
from documents.kendra_data_sources import DataSourceOperations
from documents.kendra_documents import DocumentOperations
from documents.kendra_faqs import FaqOperations
from documents.kendra_query import QueryOperations, SearchView
from documents.kendra_shapes import (
    CreateIndexRequest,
    CreateIndexResponse,
    DescribeIndexResponse,
    Empty,
    FaqStatisticsShape,
    IndexConfigurationSummary,
    IndexIdRequest,
    IndexStatisticsShape,
    ListIndicesRequest,
    ListIndicesResponse,
    TextDocumentStatisticsShape,
    UpdateIndexRequest,
)
from documents.kendra_store import IndexRecord, KendraStore

_PAGE_SIZE = 100


def _merge_fields(current: list[dict], updates: list[dict]) -> list[dict]:
    """Index fields after an update: a named field is replaced whole, a new one appended."""
    by_name = {field["Name"]: field for field in current}
    for field in updates:
        old = by_name.get(field["Name"])
        if old is not None and old["Type"] != field["Type"]:
            raise ValidationError(f"The field {field['Name']} is a {old['Type']}; its type cannot change to "
                                  f"{field['Type']}.")
        by_name[field["Name"]] = {**(old or {}), **{k: v for k, v in field.items() if v is not None}}
    return list(by_name.values())


class Kendra(Service, DocumentOperations, QueryOperations, FaqOperations, DataSourceOperations):
    name = "kendra"

    def __init__(self, models: ModelRegistry | None = None) -> None:
        self._models = models or registry
        self._stores: dict[Path, KendraStore] = {}
        self._matrices: dict[str, SearchView] = {}  # index id -> what its queries read
        self._lock = threading.Lock()

    # --- shared by the mixins ---

    def _store(self) -> KendraStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        path = self._models.settings.data_dir / "kendra" / "kendra.sqlite3"
        with self._lock:
            store = self._stores.get(path)
            if store is None:
                store = self._stores[path] = KendraStore(path)
                # An index left CREATING by a stopped process finishes its creation now.
                for index in store.indexes():
                    if index.status == "CREATING":
                        self._activate(store, index.id)
        return store

    def _embedder(self) -> embeddings_minilm.MiniLmEmbedder:
        return self._models.get(embeddings_minilm.CAPABILITY)

    def _index(self, index_id: str) -> IndexRecord:
        index = self._store().index(index_id)
        if index is None:
            raise ResourceNotFound(f"No index has the id {index_id}.")
        return index

    def _activate(self, store: KendraStore, index_id: str) -> None:
        def load() -> None:
            try:
                self._embedder()
            except ServiceError as exc:
                config = {**store.index(index_id).config, "ErrorMessage": exc.message}
                store.update_index(index_id, config=config, status="FAILED")
            else:
                store.update_index(index_id, status="ACTIVE")

        threading.Thread(target=load, name=f"kendra-index-{index_id[:8]}", daemon=True).start()

    @staticmethod
    def _fields(index: IndexRecord) -> dict[str, dict]:
        return {field["Name"]: field for field in index.config["DocumentMetadataConfigurations"]}

    # --- indexes ---

    @operation
    def create_index(self, request: CreateIndexRequest) -> CreateIndexResponse:
        """Create an empty index; it is CREATING until its embedding model has loaded, then ACTIVE."""
        config: dict[str, Any] = request.model_dump(exclude={"Name", "ClientToken"}, exclude_none=True)
        config["DocumentMetadataConfigurations"] = [dict(field) for field in RESERVED_FIELDS]
        store = self._store()
        index, created = store.create_index(str(uuid.uuid4()), request.Name, config, request.ClientToken)
        if created:
            self._activate(store, index.id)
        return CreateIndexResponse(Id=index.id)

    @operation
    def describe_index(self, request: IndexIdRequest) -> DescribeIndexResponse:
        """An index's settings, fields, status and counts."""
        index = self._index(request.Id)
        documents, size, faqs = self._store().statistics(index.id)
        config = index.config
        return DescribeIndexResponse(
            Name=index.name, Id=index.id, Edition=config["Edition"], RoleArn=config.get("RoleArn"),
            Status=index.status, Description=config.get("Description"), CreatedAt=index.created,
            UpdatedAt=index.updated, DocumentMetadataConfigurations=config["DocumentMetadataConfigurations"],
            IndexStatistics=IndexStatisticsShape(
                FaqStatistics=FaqStatisticsShape(IndexedQuestionAnswersCount=faqs),
                TextDocumentStatistics=TextDocumentStatisticsShape(IndexedTextDocumentsCount=documents,
                                                                   IndexedTextBytes=size)),
            ErrorMessage=config.get("ErrorMessage"), UserTokenConfigurations=config.get("UserTokenConfigurations"),
            UserContextPolicy=config["UserContextPolicy"],
        )

    @operation(name="ListIndices")
    def list_indices(self, request: ListIndicesRequest) -> ListIndicesResponse:
        """Indexes in the order they were created."""
        page, token = offset_page(self._store().indexes(), request.NextToken, request.MaxResults,
                                  default_size=_PAGE_SIZE,
                                  error=ValidationError)
        return ListIndicesResponse(
            IndexConfigurationSummaryItems=[
                IndexConfigurationSummary(Name=i.name, Id=i.id, Edition=i.config["Edition"], CreatedAt=i.created,
                                          UpdatedAt=i.updated, Status=i.status) for i in page],
            NextToken=token)

    @operation
    def update_index(self, request: UpdateIndexRequest) -> Empty:
        """Rename an index, change its description, token settings or fields (DocumentMetadataConfigurationUpdates)."""
        index = self._index(request.Id)
        config = dict(index.config)
        for member in ("RoleArn", "Description", "UserTokenConfigurations", "UserContextPolicy"):
            value = getattr(request, member)
            if value is not None:
                config[member] = request.model_dump(include={member}, exclude_none=True)[member]
        if request.DocumentMetadataConfigurationUpdates:
            updates = [f.model_dump(exclude_none=True) for f in request.DocumentMetadataConfigurationUpdates]
            config["DocumentMetadataConfigurations"] = _merge_fields(config["DocumentMetadataConfigurations"], updates)
        self._store().update_index(index.id, name=request.Name, config=config)
        return Empty()

    @operation
    def delete_index(self, request: IndexIdRequest) -> Empty:
        """Delete an index with its documents, FAQs and data sources."""
        self._index(request.Id)
        self._store().delete_index(request.Id)
        with self._lock:
            self._matrices.pop(request.Id, None)
        return Empty()
