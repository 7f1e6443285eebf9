"""Personalize's CreateBatchInferenceJob and its Describe/List, on the JobEngine.

A batch inference job is one engine job over its input path (a file, or every file under a prefix or
folder), each file answered by `personalize.RecommendJsonLines` into `<name>.out` under the output path.
Personalize names jobs rather than taking a client token: the engine job's id derives from the name,
which is unique, so the ARN (made of the name) finds the job.
"""

from __future__ import annotations

from typing import Any

from core.errors import ResourceAlreadyExists
from gateway.jobs.aws_jobs import EngineJobs
from gateway.jobs.models import JobDescription
from gateway.jobs.store import JobRecord
from personalize.aws_shapes import CONTROL, aws_operation
from personalize.batch_inference import BatchInferenceOperations
from personalize.resources import BATCH_INFERENCE_JOB, listing, not_found
from personalize.serving import DEFAULT_RESULTS

_PER_FILE = "personalize.RecommendJsonLines"


def batch_status(job: JobDescription) -> tuple[str, str | None]:
    """Personalize's status of an engine job, and its failureReason."""
    if job.state == "SUBMITTED":
        return "CREATE PENDING", None
    if job.state == "RUNNING":
        return "CREATE IN_PROGRESS", None
    if job.state == "CANCELLED":  # DELETE /v1/jobs/{id}: Personalize's words for a stopped creation
        return ("CREATE STOPPED" if job.finished else "CREATE STOPPING"), "The job was cancelled."
    if job.state == "FAILED":
        return "CREATE FAILED", job.message
    if job.failed and not job.done:
        return "CREATE FAILED", f"No input file could be read ({job.failed}); see manifest.jsonl in the output path."
    if job.failed:  # the others' answers are written: the job is usable, and says what it missed
        return "ACTIVE", f"{job.failed} of {job.total} input files failed; see manifest.jsonl in the output path."
    return "ACTIVE", None


class PersonalizeJobOperations(EngineJobs, BatchInferenceOperations):
    KIND = "BatchInference"

    def _description(self, record: JobRecord, job: JobDescription) -> dict[str, Any]:
        details = record.details or {}
        status, reason = batch_status(job)
        props = {**details, "batchInferenceJobArn": BATCH_INFERENCE_JOB.arn(details["jobName"]), "status": status,
                 "failureReason": reason, "creationDateTime": job.created_at,
                 "lastUpdatedDateTime": job.ended_at or job.started_at or job.created_at}
        return {k: v for k, v in props.items() if v is not None}

    @aws_operation(CONTROL, "CreateBatchInferenceJob")
    def create_batch_inference_job(self, request):
        """Recommend for every line of JSON-lines files ({"userId"} or {"itemId"}, {"userId", "itemList"} for
        ranking) under an S3 prefix or folder; each file's answers go to `<name>.out` under the output path."""
        config = self._config(request.batchInferenceJobConfig)
        self.batch_serving(request.solutionVersionArn, request.filterArn, config)
        source, target = request.jobInput.s3DataSource.path, request.jobOutput.s3DataDestination.path
        self._check_folders(source, target)
        if self._job_engine().store.get(self._job_id(self.KIND, request.jobName)) is not None:
            raise ResourceAlreadyExists(f"A batch inference job named {request.jobName!r} already exists.")
        parameters = {"solutionVersionArn": request.solutionVersionArn, "filterArn": request.filterArn,
                      "numResults": request.numResults or DEFAULT_RESULTS, "batchInferenceJobConfig": config}
        details = {**parameters, "jobName": request.jobName, "roleArn": request.roleArn,
                   "jobInput": {"s3DataSource": {"path": source}}, "jobOutput": {"s3DataDestination": {"path": target}},
                   "batchInferenceJobMode": request.batchInferenceJobMode or "BATCH_INFERENCE"}
        self._start(self.KIND, request.jobName, source, target, _PER_FILE,
                    {k: v for k, v in parameters.items() if v is not None},
                    {k: v for k, v in details.items() if v is not None})
        job_arn = BATCH_INFERENCE_JOB.arn(request.jobName)
        return CONTROL.response("CreateBatchInferenceJob")(batchInferenceJobArn=job_arn)

    @aws_operation(CONTROL, "DescribeBatchInferenceJob")
    def describe_batch_inference_job(self, request):
        """Describe a batch inference job: CREATE PENDING, CREATE IN_PROGRESS, ACTIVE or CREATE FAILED (CREATE
        STOPPED once cancelled on /v1/jobs)."""
        job_arn = request.batchInferenceJobArn
        name = job_arn.rpartition("/")[2]
        engine = self._job_engine()
        record = engine.store.get(self._job_id(self.KIND, name)) if BATCH_INFERENCE_JOB.arn(name) == job_arn else None
        if record is None:
            raise not_found(BATCH_INFERENCE_JOB, job_arn)
        return CONTROL.response("DescribeBatchInferenceJob")(
            batchInferenceJob=self._description(record, engine.get(record.job_id)))

    @aws_operation(CONTROL, "ListBatchInferenceJobs")
    def list_batch_inference_jobs(self, request):
        """Batch inference jobs (of one solution version, or all), oldest first."""
        engine = self._job_engine()
        found = [self._description(record, engine.get(record.job_id)) for record in self._records(self.KIND, None)
                 if request.solutionVersionArn in (None, (record.details or {}).get("solutionVersionArn"))]
        return listing("ListBatchInferenceJobs", "batchInferenceJobs", found, request, kind=BATCH_INFERENCE_JOB)
