"""The same batch job on the Ray executor (the `[ray]` extra, part of the dev install, so CI runs it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from gateway.jobs import JobEngine
from tests.gateway.test_jobs import LANGUAGES, text_of

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # Ray starts a local cluster: ~30 s


@pytest.fixture(scope="module", autouse=True)
def ray_session() -> Iterator[None]:
    yield
    ray.shutdown()


def test_s3_job_on_ray(s3_server, tmp_path: Path) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="ray-corpus")
    for i in range(300):
        s3.put_object(Bucket="ray-corpus", Key=f"in/{i:04d}.txt", Body=text_of(i).encode())
    s3.put_object(Bucket="ray-corpus", Key="in/../escape.txt", Body=b"an English sentence, climbing out")
    s3.put_object(Bucket="ray-corpus", Key="in/latin1.txt", Body="crème brûlée".encode("latin-1"))
    # Small chunks: three datasets, so actors are started again and the listing is streamed across them.
    settings = Settings(data_dir=tmp_path, s3_endpoint_url=s3_server.endpoint_url,
                        jobs={"executor": "ray", "ray_chunk": 128})
    engine = JobEngine(settings)
    try:
        job = engine.wait(engine.start("comprehend.DetectDominantLanguage", "s3://ray-corpus/in/",
                                       "s3://ray-corpus/out/").job_id, timeout=240)
    finally:
        engine.close()
    assert (job.state, job.done, job.failed, job.total) == ("COMPLETED", 300, 2, 302)
    rows = [json.loads(line) for line in
            s3.get_object(Bucket="ray-corpus", Key="out/manifest.jsonl")["Body"].read().decode().splitlines()]
    failed = {r["key"]: r["error"]["code"] for r in rows if r["status"] == "FAILED"}
    assert failed == {"../escape.txt": "InvalidRequestException", "latin1.txt": "InvalidRequestException"}
    for i in (0, 1, 2, 3):
        result = json.loads(s3.get_object(Bucket="ray-corpus", Key=f"out/{i:04d}.txt.json")["Body"].read())
        assert result["Languages"][0]["LanguageCode"] == LANGUAGES[i]
    outside = [o["Key"] for o in s3.list_objects_v2(Bucket="ray-corpus")["Contents"]
               if not o["Key"].startswith(("in/", "out/"))]
    assert outside == []
