"""Personalize's data: dataset groups, schemas, datasets and dataset import jobs (CSV from S3 or a
folder, checked against the dataset's schema, imported all or nothing)."""

from __future__ import annotations

import json
from typing import Any

from core.errors import InvalidInput, ResourceAlreadyExists, ResourceInUse, ResourceNotFound
from core.service_jobs import JobRecord
from core.storage import Storage, parse
from personalize import jobs
from personalize.aws_shapes import CONTROL, aws_operation
from personalize.resources import (
    DATASET,
    DATASET_GROUP,
    DATASET_IMPORT_JOB,
    EVENT_TRACKER,
    SCHEMA,
    SOLUTION,
    Kind,
    new_props,
    not_found,
    listing,
)
from personalize.schema import Field, check_dataset_type, parse_schema, read_csv
from personalize.state import UsesState

DATASET_TYPES = {"interactions": "Interactions", "items": "Items", "users": "Users"}
_RESERVED = {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"}


class DatasetOperations(UsesState):
    def _create(self, kind: Kind, resource_arn: str, name: str, parent: str | None, **members: Any) -> None:
        if not self._state.store.put(resource_arn, kind.slug, name, parent,
                                     new_props(kind, resource_arn, name=name, **members)):
            raise ResourceAlreadyExists(f"A {kind.words} named {name!r} already exists.")

    def _get(self, kind: Kind, resource_arn: str) -> dict[str, Any]:
        props = self._state.store.get(kind.slug, resource_arn)
        if props is None:
            raise not_found(kind, resource_arn)
        return props

    def _fields(self, dataset: dict[str, Any]) -> list[Field]:
        return parse_schema(self._get(SCHEMA, dataset["schemaArn"])["schema"])

    def _dataset_of_type(self, dataset_group: str, dataset_type: str) -> dict[str, Any] | None:
        found = [d for d in self._state.store.find(DATASET.slug, dataset_group) if d["datasetType"] == dataset_type]
        return found[0] if found else None

    # Dataset groups

    @aws_operation(CONTROL, "CreateDatasetGroup")
    def create_dataset_group(self, request):
        """Create a dataset group: the container of one set of datasets and what is trained on them."""
        group_arn = DATASET_GROUP.arn(request.name)
        self._create(DATASET_GROUP, group_arn, request.name, None, domain=request.domain, roleArn=request.roleArn)
        return CONTROL.response("CreateDatasetGroup")(datasetGroupArn=group_arn, domain=request.domain)

    @aws_operation(CONTROL, "DescribeDatasetGroup")
    def describe_dataset_group(self, request):
        """Describe a dataset group."""
        return CONTROL.response("DescribeDatasetGroup")(datasetGroup=self._get(DATASET_GROUP, request.datasetGroupArn))

    @aws_operation(CONTROL, "ListDatasetGroups")
    def list_dataset_groups(self, request):
        """Dataset groups, oldest first."""
        found = self._state.store.find(DATASET_GROUP.slug)
        return listing("ListDatasetGroups", "datasetGroups", found, request, kind=DATASET_GROUP)

    @aws_operation(CONTROL, "DeleteDatasetGroup")
    def delete_dataset_group(self, request):
        """Delete a dataset group that no longer holds datasets, solutions, filters or event trackers."""
        group_arn = request.datasetGroupArn
        self._get(DATASET_GROUP, group_arn)
        store = self._state.store
        if any(store.find(kind.slug, group_arn) for kind in (DATASET, SOLUTION, EVENT_TRACKER)):
            raise ResourceInUse(f"Dataset group {group_arn} still has datasets, solutions or event trackers;"
                                " delete them first.")
        store.delete(group_arn)
        return CONTROL.response("DeleteDatasetGroup")()

    # Schemas

    @aws_operation(CONTROL, "CreateSchema")
    def create_schema(self, request):
        """Create a schema from Avro JSON: the fields (and their types) of a dataset's CSV columns."""
        parse_schema(request.schema)
        schema_arn = SCHEMA.arn(request.name)
        self._create(SCHEMA, schema_arn, request.name, None, schema=request.schema, domain=request.domain)
        return CONTROL.response("CreateSchema")(schemaArn=schema_arn)

    @aws_operation(CONTROL, "DescribeSchema")
    def describe_schema(self, request):
        """Describe a schema, with its Avro JSON."""
        return CONTROL.response("DescribeSchema")(schema=self._get(SCHEMA, request.schemaArn))

    @aws_operation(CONTROL, "ListSchemas")
    def list_schemas(self, request):
        """Schemas, oldest first."""
        return listing("ListSchemas", "schemas", self._state.store.find(SCHEMA.slug), request, kind=SCHEMA)

    @aws_operation(CONTROL, "DeleteSchema")
    def delete_schema(self, request):
        """Delete a schema that no dataset uses."""
        self._get(SCHEMA, request.schemaArn)
        if any(d["schemaArn"] == request.schemaArn for d in self._state.store.find(DATASET.slug)):
            raise ResourceInUse(f"Schema {request.schemaArn} is used by a dataset.")
        self._state.store.delete(request.schemaArn)
        return CONTROL.response("DeleteSchema")()

    # Datasets

    @aws_operation(CONTROL, "CreateDataset")
    def create_dataset(self, request):
        """Create the Interactions, Items or Users dataset of a dataset group, on a schema."""
        group = self._get(DATASET_GROUP, request.datasetGroupArn)
        dataset_type = DATASET_TYPES.get(request.datasetType.lower())
        if dataset_type is None:
            raise InvalidInput(f"datasetType must be Interactions, Items or Users, not {request.datasetType!r}.")
        fields = parse_schema(self._get(SCHEMA, request.schemaArn)["schema"])
        check_dataset_type(fields, dataset_type)
        if self._dataset_of_type(request.datasetGroupArn, dataset_type):
            raise ResourceAlreadyExists(f"Dataset group {group['name']} already has an {dataset_type} dataset.")
        dataset_arn = DATASET.arn(group["name"], dataset_type.upper())
        self._create(DATASET, dataset_arn, request.name, request.datasetGroupArn,
                     datasetGroupArn=request.datasetGroupArn, datasetType=dataset_type, schemaArn=request.schemaArn)
        return CONTROL.response("CreateDataset")(datasetArn=dataset_arn)

    @aws_operation(CONTROL, "DescribeDataset")
    def describe_dataset(self, request):
        """Describe a dataset."""
        return CONTROL.response("DescribeDataset")(dataset=self._get(DATASET, request.datasetArn))

    @aws_operation(CONTROL, "ListDatasets")
    def list_datasets(self, request):
        """The datasets of a dataset group (or all), oldest first."""
        found = self._state.store.find(DATASET.slug, request.datasetGroupArn)
        return listing("ListDatasets", "datasets", found, request, kind=DATASET)

    @aws_operation(CONTROL, "DeleteDataset")
    def delete_dataset(self, request):
        """Delete a dataset and the data imported into it."""
        dataset = self._get(DATASET, request.datasetArn)
        self._state.store.drop_data(dataset["datasetGroupArn"], dataset["datasetType"])
        self._state.store.delete(request.datasetArn)
        return CONTROL.response("DeleteDataset")()

    # Import jobs

    @aws_operation(CONTROL, "CreateDatasetImportJob")
    def create_dataset_import_job(self, request):
        """Import CSV files (an S3 object or prefix, or a local file or folder) into a dataset, as a job:
        poll DescribeDatasetImportJob until ACTIVE or CREATE FAILED (with the bad rows named)."""
        dataset = self._get(DATASET, request.datasetArn)
        location = request.dataSource.dataLocation if request.dataSource else None
        if not location:
            raise InvalidInput("dataSource.dataLocation is required: an s3:// URI or a local path.")
        parse(location)
        job_arn = DATASET_IMPORT_JOB.arn(request.jobName)
        params = {"jobName": request.jobName, "datasetArn": request.datasetArn,
                  "dataSource": {"dataLocation": location}, "roleArn": request.roleArn,
                  "importMode": request.importMode or "FULL",
                  "publishAttributionMetricsToS3": request.publishAttributionMetricsToS3}
        jobs.submit(self._state, DATASET_IMPORT_JOB, job_arn, request.jobName,
                    {k: v for k, v in params.items() if v is not None},
                    lambda record: self._import(record, dataset))
        return CONTROL.response("CreateDatasetImportJob")(datasetImportJobArn=job_arn)

    def _import(self, record: JobRecord, dataset: dict[str, Any]) -> None:
        """The job's work: every CSV under the location, all checked before any row is stored."""
        storage = Storage(self._models.settings)
        fields = self._fields(dataset)
        try:
            sources = [loc for loc in storage.list_keys(record.params["dataSource"]["dataLocation"])
                       if loc.key.lower().endswith(".csv")]
        except ResourceNotFound as exc:
            raise InvalidInput(f"The data location cannot be read: {exc.message}") from None
        if not sources:
            raise InvalidInput(f"There is no CSV file at {record.params['dataSource']['dataLocation']}.")
        rows = [row for source in sources for row in read_csv(storage.read_bytes(source), fields, str(source))]
        replace = record.params["importMode"] == "FULL"
        group, dataset_type = dataset["datasetGroupArn"], dataset["datasetType"]
        store = self._state.store
        if dataset_type == "Interactions":
            store.add_interactions(group, (_interaction(row) for row in rows), replace=replace)
        else:
            id_field = "ITEM_ID" if dataset_type == "Items" else "USER_ID"
            store.put_records(group, dataset_type, ((row[id_field], row) for row in rows), replace=replace)

    @aws_operation(CONTROL, "DescribeDatasetImportJob")
    def describe_dataset_import_job(self, request):
        """Describe a dataset import job: CREATE PENDING, CREATE IN_PROGRESS, ACTIVE or CREATE FAILED."""
        props = jobs.job(self._state, DATASET_IMPORT_JOB, request.datasetImportJobArn)
        return CONTROL.response("DescribeDatasetImportJob")(datasetImportJob=props)

    @aws_operation(CONTROL, "ListDatasetImportJobs")
    def list_dataset_import_jobs(self, request):
        """The import jobs of a dataset (or all), oldest first."""
        found = jobs.jobs(self._state, DATASET_IMPORT_JOB, datasetArn=request.datasetArn)
        return listing("ListDatasetImportJobs", "datasetImportJobs", found, request,
                       kind=DATASET_IMPORT_JOB)


def _interaction(row: dict[str, Any]) -> tuple:
    extra = {k: v for k, v in row.items() if k not in _RESERVED and v is not None}
    return (row["USER_ID"], row["ITEM_ID"], float(row["TIMESTAMP"]), row.get("EVENT_TYPE"),
            row.get("EVENT_VALUE"), json.dumps(extra) if extra else None)
