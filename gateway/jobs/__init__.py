"""Batch jobs: any single-item operation over every object under an S3 prefix or a folder.

    engine = JobEngine(settings)
    job = engine.start("comprehend.DetectSentiment", "s3://in/reviews/", "s3://out/sentiment/",
                       {"LanguageCode": "en"})

Results land at `<output>/<key>.json`, with `manifest.jsonl` and `summary.json` once the job ends.
Served on /v1/jobs (gateway.jobs.api), by the SDK's `client.jobs` and by `aigw batch`.
"""

from gateway.jobs.engine import JobEngine
from gateway.jobs.models import JobDescription, JobList, StartJobRequest

__all__ = ["JobEngine", "JobDescription", "JobList", "StartJobRequest"]
