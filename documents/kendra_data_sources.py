"""Kendra data sources: CreateDataSource, DescribeDataSource, ListDataSources, DeleteDataSource,
StartDataSourceSyncJob and ListDataSourceSyncJobs.

Two kinds are served: `S3` (S3Configuration: bucket, inclusion prefixes, inclusion/exclusion glob
patterns, metadata sidecars under DocumentsMetadataConfiguration.S3Prefix) and a local folder, which
Kendra's model has no type for: `TEMPLATE` with the template
`{"type": "FILESYSTEM", "connectionConfiguration": {"repositoryEndpointMetadata": {"folderPath": DIR}},
"additionalProperties": {"inclusionPatterns": [...], "exclusionPatterns": [...]}}`. A folder must lie
inside one of the gateway's `jobs.local_roots`, so that an HTTP caller cannot index the server's files.

A sidecar is `<key>.metadata.json` (`{"DocumentId", "Title", "ContentType", "Attributes": {name: value},
"AccessControlList": [...]}`) beside the document in a folder, or under the S3 metadata prefix.
A sync is a durable job (core.service_jobs): it adds new documents, re-indexes changed ones (content
or sidecar hash) and deletes the ones that are gone, and counts each in its metrics.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.errors import Conflict, ResourceInUse, ResourceNotFound, ServiceError, ValidationError
from core.local_roots import is_inside
from core.paging import offset_page
from core.service import operation
from core.service_jobs import JobRecord, JobStore, runner_of
from core.storage import Location, Storage
from documents.kendra_documents import Incoming, content_type_of
from documents.kendra_shapes import (
    CreateDataSourceRequest,
    CreateDataSourceResponse,
    DataSourceIdRequest,
    DataSourceSummary,
    DataSourceSyncJob,
    DescribeDataSourceResponse,
    DocumentAttribute,
    Empty,
    ListDataSourcesRequest,
    ListDataSourcesResponse,
    ListDataSourceSyncJobsRequest,
    ListDataSourceSyncJobsResponse,
    StartDataSourceSyncJobResponse,
)
from documents.kendra_store import ChildRecord

KIND = "KENDRA_SYNC"
SIDECAR = ".metadata.json"
_BATCH = 10
_STATUS = {"SUBMITTED": "SYNCING", "IN_PROGRESS": "SYNCING", "COMPLETED": "SUCCEEDED", "FAILED": "FAILED"}


def _folder_settings(template: dict[str, Any]) -> tuple[str, list[str], list[str]]:
    try:
        folder = template["connectionConfiguration"]["repositoryEndpointMetadata"]["folderPath"]
    except (KeyError, TypeError):
        raise ValidationError("A FILESYSTEM template needs connectionConfiguration.repositoryEndpointMetadata."
                              "folderPath.") from None
    extra = template.get("additionalProperties") or {}
    return str(folder), list(extra.get("inclusionPatterns") or []), list(extra.get("exclusionPatterns") or [])


def _wanted(key: str, include: list[str], exclude: list[str]) -> bool:
    """Kendra's rule: exclusion patterns win; with inclusion patterns a key must match one."""
    if any(fnmatch.fnmatchcase(key, p) for p in exclude):
        return False
    return not include or any(fnmatch.fnmatchcase(key, p) for p in include)


def _sidecar_attributes(values: dict[str, Any], fields: dict[str, dict]) -> list[DocumentAttribute]:
    """A sidecar's plain JSON values as typed attributes, read by the index's field types."""
    attributes = []
    for key, value in values.items():
        type_ = (fields.get(key) or {}).get("Type")
        if type_ == "DATE_VALUE":
            member = "DateValue"
        elif isinstance(value, list):
            member = "StringListValue"
        elif isinstance(value, bool) or not isinstance(value, int):
            member = "StringValue"
        else:
            member = "LongValue"
        attributes.append(DocumentAttribute(Key=key, Value={member: value}))
    return attributes


class DataSourceOperations:
    def _source(self, index_id: str, source_id: str) -> ChildRecord:
        self._index(index_id)
        source = next((s for s in self._store().children("data_source", index_id) if s.id == source_id), None)
        if source is None:
            raise ResourceNotFound(f"The index {index_id} has no data source with the id {source_id}.")
        return source

    def _sync_store(self) -> JobStore:
        return runner_of(self).store(self._models.settings.data_dir / "kendra" / "jobs.sqlite3")

    def _check_folder(self, folder: str) -> Path:
        path = Path(folder).expanduser().resolve()
        if not is_inside(path, self._models.settings.jobs.local_roots):
            raise ValidationError(f"The folder {folder} is outside the gateway's jobs.local_roots; "
                                  "add a root that holds it to the settings.")
        return path

    @operation
    def create_data_source(self, request: CreateDataSourceRequest) -> CreateDataSourceResponse:
        """Connect an S3 bucket or a local folder (TEMPLATE type FILESYSTEM) to an index."""
        self._index(request.IndexId)
        configuration = request.Configuration
        if request.Type == "S3":
            if configuration is None or configuration.S3Configuration is None:
                raise ValidationError("An S3 data source needs Configuration.S3Configuration.")
        elif request.Type == "TEMPLATE":
            template = configuration.TemplateConfiguration.Template if configuration and \
                configuration.TemplateConfiguration else None
            if not template or template.get("type") != "FILESYSTEM":
                raise ValidationError('A TEMPLATE data source here is a local folder: its template\'s "type" must '
                                      'be "FILESYSTEM".')
            self._check_folder(_folder_settings(template)[0])
        else:
            raise ValidationError(f"Data sources of type {request.Type} are not served; use S3 or TEMPLATE.")
        store = self._store()
        if any(s.name == request.Name for s in store.children("data_source", request.IndexId)):
            raise Conflict(f"The index already has a data source named {request.Name}.")
        now = datetime.now(timezone.utc)
        config = request.model_dump(mode="json", exclude={"IndexId", "Name", "ClientToken"}, exclude_none=True)
        source_id = uuid.uuid4().hex
        store.put_child("data_source", request.IndexId, ChildRecord(source_id, request.Name, config, "ACTIVE", None,
                                                                    now, now))
        return CreateDataSourceResponse(Id=source_id)

    @operation
    def describe_data_source(self, request: DataSourceIdRequest) -> DescribeDataSourceResponse:
        """A data source's settings and status."""
        source = self._source(request.IndexId, request.Id)
        return DescribeDataSourceResponse(Id=source.id, IndexId=request.IndexId, Name=source.name,
                                          CreatedAt=source.created, UpdatedAt=source.updated, Status=source.status,
                                          **{"Configuration": {}, **source.config})

    @operation
    def list_data_sources(self, request: ListDataSourcesRequest) -> ListDataSourcesResponse:
        """An index's data sources in the order they were created."""
        self._index(request.IndexId)
        page, token = offset_page(self._store().children("data_source", request.IndexId), request.NextToken,
                                  request.MaxResults, default_size=100, error=ValidationError)
        return ListDataSourcesResponse(NextToken=token, SummaryItems=[
            DataSourceSummary(Name=s.name, Id=s.id, Type=s.config["Type"], CreatedAt=s.created, UpdatedAt=s.updated,
                              Status=s.status, LanguageCode=s.config["LanguageCode"]) for s in page])

    @operation
    def delete_data_source(self, request: DataSourceIdRequest) -> Empty:
        """Disconnect a data source and remove the documents it brought."""
        self._source(request.IndexId, request.Id)
        store = self._store()
        store.delete_documents(request.IndexId, list(store.documents(request.IndexId, data_source_id=request.Id)))
        store.delete_child("data_source", request.IndexId, request.Id)
        return Empty()

    @operation
    def start_data_source_sync_job(self, request: DataSourceIdRequest) -> StartDataSourceSyncJobResponse:
        """Bring the index in step with the data source: add, re-index and delete documents, as a job."""
        source = self._source(request.IndexId, request.Id)
        store = self._sync_store()
        if store.list(KIND, name=f"{request.IndexId}/{source.id}", status="IN_PROGRESS", limit=1) or \
                store.list(KIND, name=f"{request.IndexId}/{source.id}", status="SUBMITTED", limit=1):
            raise ResourceInUse(f"The data source {source.id} is already syncing.")
        execution_id = uuid.uuid4().hex
        runner_of(self).submit(store, execution_id, KIND, f"{request.IndexId}/{source.id}",
                               {"IndexId": request.IndexId, "DataSourceId": source.id}, None, self._sync)
        return StartDataSourceSyncJobResponse(ExecutionId=execution_id)

    def _listing(self, source: ChildRecord) -> tuple[dict[str, Location], dict[str, Location]]:
        """(document key -> location, document key -> its sidecar) for every wanted document."""
        storage = Storage(self._models.settings)
        documents: dict[str, Location] = {}
        sidecars: dict[str, Location] = {}
        if source.config["Type"] == "S3":
            s3 = source.config["Configuration"]["S3Configuration"]
            bucket, meta = s3["BucketName"], ((s3.get("DocumentsMetadataConfiguration") or {}).get("S3Prefix") or "")
            meta = meta.rstrip("/") + "/" if meta else ""
            if meta:
                for location in storage.list_keys(Location("s3", bucket, meta)):
                    if location.key.endswith(SIDECAR):
                        sidecars[location.key[len(meta):-len(SIDECAR)]] = location
            for prefix in s3.get("InclusionPrefixes") or [""]:
                for location in storage.list_keys(Location("s3", bucket, prefix)):
                    key = location.key
                    if not (meta and key.startswith(meta)) and _wanted(
                            key, s3.get("InclusionPatterns") or [], s3.get("ExclusionPatterns") or []):
                        documents[key] = location
        else:
            folder, include, exclude = _folder_settings(source.config["Configuration"]["TemplateConfiguration"]["Template"])
            root = self._check_folder(folder)
            for location in storage.list_keys(str(root)):
                key = Path(location.key).relative_to(root).as_posix()
                if key.endswith(SIDECAR):
                    sidecars[key[:-len(SIDECAR)]] = location
                elif _wanted(key, include, exclude):
                    documents[key] = location
        return documents, sidecars

    def _sync(self, record: JobRecord) -> None:
        """The sync's work, on a worker thread."""
        index_id, source_id = record.params["IndexId"], record.params["DataSourceId"]
        source = self._source(index_id, source_id)
        fields = self._fields(self._index(index_id))
        storage = Storage(self._models.settings)
        store = self._store()
        metrics = dict.fromkeys(("DocumentsAdded", "DocumentsModified", "DocumentsDeleted", "DocumentsFailed",
                                 "DocumentsScanned"), 0)
        documents, sidecars = self._listing(source)
        known = store.documents(index_id, data_source_id=source_id)
        seen: set[str] = set()
        batch: list[Incoming] = []

        def flush() -> None:
            failed = {f.Id for f in self.ingest(index_id, batch)} if batch else set()
            for doc in batch:
                if doc.doc_id in failed:
                    metrics["DocumentsFailed"] += 1
                else:
                    metrics["DocumentsModified" if doc.doc_id in known else "DocumentsAdded"] += 1
            batch.clear()
            store.put_sync_metrics(record.job_id, metrics)

        for key, location in sorted(documents.items()):
            metrics["DocumentsScanned"] += 1
            data = storage.read_bytes(location)
            meta_bytes = storage.read_bytes(sidecars[key]) if key in sidecars else b""
            meta: dict[str, Any] = {}
            error = None
            if meta_bytes:
                try:
                    meta = json.loads(meta_bytes)
                except json.JSONDecodeError as exc:
                    error = f"The metadata file of {key} is not valid JSON: {exc}"
            uri = str(location)
            doc_id = str(meta.get("DocumentId") or uri)
            seen.add(doc_id)
            # The fingerprint covers the sidecar too: new metadata re-indexes an unchanged file.
            fingerprint = hashlib.sha256(data + b"\0" + meta_bytes).hexdigest()
            if doc_id in known and known[doc_id].content_hash == fingerprint:
                continue
            doc = Incoming(doc_id, data, meta.get("ContentType") or content_type_of(key), meta.get("Title"),
                           [], list(meta.get("AccessControlList") or []), source_id, error, fingerprint)
            try:
                doc.attributes = _sidecar_attributes({"_source_uri": uri, **(meta.get("Attributes") or {})}, fields)
            except (ValueError, ServiceError) as exc:
                doc.error = doc.error or f"The metadata of {key} has an attribute that is not valid: {exc}"
            batch.append(doc)
            if len(batch) == _BATCH:
                flush()
        flush()
        gone = [doc_id for doc_id in known if doc_id not in seen]
        if gone:
            store.delete_documents(index_id, gone)
        metrics["DocumentsDeleted"] = len(gone)
        store.put_sync_metrics(record.job_id, metrics)

    @operation
    def list_data_source_sync_jobs(self, request: ListDataSourceSyncJobsRequest
                                   ) -> ListDataSourceSyncJobsResponse:
        """A data source's syncs, oldest first, with their metrics."""
        source = self._source(request.IndexId, request.Id)
        records = self._sync_store().list(KIND, name=f"{request.IndexId}/{source.id}", limit=10_000)
        history = []
        for record in records:
            metrics = self._store().sync_metrics(record.job_id)
            status = _STATUS[record.status]
            if status == "SUCCEEDED" and metrics and metrics["DocumentsFailed"]:
                status = "INCOMPLETE"
            history.append(DataSourceSyncJob(
                ExecutionId=record.job_id, StartTime=record.submit_time, EndTime=record.end_time, Status=status,
                ErrorMessage=record.message, ErrorCode="InvalidRequest" if record.status == "FAILED" else None,
                Metrics={k: str(v) for k, v in metrics.items()} if metrics else None))
        if request.StatusFilter:
            history = [h for h in history if h.Status == request.StatusFilter]
        window = request.StartTimeFilter
        if window is not None:
            history = [h for h in history if (window.StartTime is None or h.StartTime >= window.StartTime)
                       and (window.EndTime is None or h.StartTime <= window.EndTime)]
        page, token = offset_page(history, request.NextToken, request.MaxResults, default_size=10,
                                  error=ValidationError)
        return ListDataSourceSyncJobsResponse(History=page, NextToken=token)
