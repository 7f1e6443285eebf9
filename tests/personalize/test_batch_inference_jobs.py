"""Personalize's batch inference jobs on the gateway's job engine: boto3 through the AWS door over a real S3
(moto), the job and its manifest on /v1/jobs, a poisoned input file, RecommendJsonLines on the REST door
and the SDK, and a gateway restart that resumes an unfinished job."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient

from core.model_registry import ModelRegistry
from core.settings import Settings
from gateway.app import create_app
from gateway.catalog import ServiceCatalog
from gateway.client import Client
from gateway.jobs.aws_adapters import with_job_operations
from personalize import Personalize
from tests.personalize.conftest import (
    INTERACTIONS_SCHEMA,
    ITEMS_SCHEMA,
    Data,
    clients,
    genre_of,
    import_csv,
    recipe_arn,
    user_genre,
    wait_for,
)

BUCKET = "personalize-batch"
ROLE = "arn:aws:iam::000000000000:role/personalize"
USERS = '{"userId": "u00"}\n{"userId": "u01"}\n\nnot json\n'


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


def train(control, data: Data, folder: Path, recipe: str) -> tuple[str, str]:
    """A dataset group with the films' interactions and items, and one trained version of `recipe`."""
    interactions_csv, items_csv = data.write(folder)
    group = control.create_dataset_group(name="films").datasetGroupArn
    for kind, schema, csv in (("Interactions", INTERACTIONS_SCHEMA, interactions_csv),
                              ("Items", ITEMS_SCHEMA, items_csv)):
        schema_arn = control.create_schema(name=f"films-{kind}", schema=schema).schemaArn
        dataset = control.create_dataset(name=f"films-{kind}", dataset_group_arn=group, dataset_type=kind,
                                         schema_arn=schema_arn).datasetArn
        assert import_csv(control, dataset, f"films-{kind}", csv).status == "ACTIVE"
    solution = control.create_solution(name=f"films-{recipe}", dataset_group_arn=group,
                                       recipe_arn=recipe_arn(recipe)).solutionArn
    version = control.create_solution_version(solution_arn=solution).solutionVersionArn
    assert wait_for(lambda: control.describe_solution_version(version).solutionVersion).status == "ACTIVE"
    return group, version


@dataclass
class Served:
    url: str
    personalize: Any  # boto3 clients
    s3: Any
    version: str
    no_horror: str  # a filter's ARN

    def create(self, name: str, prefix: str, output: str, bucket: str = BUCKET, **members) -> str:
        """A job over `prefix` of `bucket`, writing under `output`; `members` add to or replace the request's."""
        request = {"jobName": name, "solutionVersionArn": self.version, "roleArn": ROLE,
                   "jobInput": {"s3DataSource": {"path": f"s3://{bucket}/{prefix}"}},
                   "jobOutput": {"s3DataDestination": {"path": f"s3://{BUCKET}/{output}"}}}
        return self.personalize.create_batch_inference_job(**(request | members))["batchInferenceJobArn"]

    def wait(self, job_arn: str) -> dict:
        return wait_for(lambda: self.personalize.describe_batch_inference_job(
            batchInferenceJobArn=job_arn)["batchInferenceJob"])

    def read(self, key: str) -> str:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()

    def lines(self, key: str) -> list[dict]:
        return [json.loads(line) for line in self.read(key).splitlines()]


@pytest.fixture(scope="module")
def served(start_gateway, aws_client, s3_server, data: Data, tmp_path_factory: pytest.TempPathFactory) -> Served:
    gateway = start_gateway(s3_endpoint_url=s3_server.endpoint_url)
    # Trained in process over the gateway's data_dir: the jobs under test are the batch ones.
    control, _, _ = clients(gateway.settings.data_dir)
    group, version = train(control, data, tmp_path_factory.mktemp("csv"), "aws-user-personalization")
    no_horror = control.create_filter(name="no-horror", dataset_group_arn=group,
                                      filter_expression='EXCLUDE ItemID WHERE Items.GENRES IN ("Horror")').filterArn
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="in/users.json", Body=USERS.encode())
    s3.put_object(Bucket=BUCKET, Key="in/ranking/lists.json",
                  Body=b'{"userId": "u01", "itemList": ["c01", "h01", "d01", "h02"]}\n')
    s3.put_object(Bucket=BUCKET, Key="in/latin1.json", Body='{"userId": "café"}\n'.encode("latin-1"))
    s3.put_object(Bucket=BUCKET, Key="in/table.csv", Body=b"USER_ID\nu00\nu01\n")
    return Served(gateway.url, aws_client("personalize", gateway.url), s3, version, no_horror)


def test_a_job_answers_every_line_of_every_file_and_records_the_poisoned_ones(served: Served) -> None:
    job_arn = served.create("films-batch", "in/", "out/", numResults=5, filterArn=served.no_horror)
    assert job_arn.endswith(":batch-inference-job/films-batch")
    done = served.wait(job_arn)
    assert done["status"] == "ACTIVE", done.get("failureReason")
    assert done["failureReason"] == "2 of 4 input files failed; see manifest.jsonl in the output path."
    assert (done["jobName"], done["numResults"], done["filterArn"]) == ("films-batch", 5, served.no_horror)
    assert done["jobOutput"]["s3DataDestination"]["path"] == f"s3://{BUCKET}/out/"
    assert done["lastUpdatedDateTime"] >= done["creationDateTime"]

    users = served.lines("out/users.json.out")  # a file right under the input prefix: <output>/<name>.out
    assert [line["input"] for line in users] == [{"userId": "u00"}, {"userId": "u01"}, "not json"]
    for line in users[:2]:
        recommended = line["output"]["recommendedItems"]
        assert len(recommended) == 5 and line["error"] is None and len(line["output"]["scores"]) == 5
        assert not any(genre_of(item) == "Horror" for item in recommended)  # the filter applies
    assert sum(genre_of(i) == user_genre("u00") for i in users[0]["output"]["recommendedItems"]) >= 4
    assert users[2]["output"] is None and users[2]["error"] == "The line is not JSON."
    ranked = served.lines("out/ranking/lists.json.out")[0]["output"]["rankedItems"]
    assert sorted(ranked) == ["c01", "d01"]  # the filter took the horror films out of the list

    manifest = {m["key"]: m for m in map(json.loads, served.read("out/manifest.jsonl").splitlines())}
    assert sorted(manifest) == ["latin1.json", "ranking/lists.json", "table.csv", "users.json"]
    assert manifest["users.json"]["status"] == "SUCCEEDED"
    assert manifest["users.json"]["output_key"] == f"s3://{BUCKET}/out/users.json.out"
    assert manifest["latin1.json"]["status"] == "FAILED" and "UTF-8" in manifest["latin1.json"]["error"]["message"]
    assert manifest["table.csv"]["error"] == {"code": "InvalidInputException",
                                              "message": "The file is not JSON lines: none of its lines is JSON."}
    written = [o["Key"] for o in served.s3.list_objects_v2(Bucket=BUCKET, Prefix="out/")["Contents"]]
    assert "out/latin1.json.out" not in written and "out/table.csv.out" not in written

    # An engine job like any other: GET /v1/jobs lists it with its counts.
    jobs = httpx.get(f"{served.url}/v1/jobs", params={"max_results": 500}).json()["jobs"]
    mine = [j for j in jobs if j["operation"] == "personalize.RecommendJsonLines"]
    assert [(j["input"], j["output"], j["state"], j["done"], j["failed"], j["total"]) for j in mine] == [
        (f"s3://{BUCKET}/in/", f"s3://{BUCKET}/out/", "COMPLETED", 2, 2, 4)]
    assert httpx.get(f"{served.url}/v1/jobs/{mine[0]['job_id']}").json()["parameters"]["numResults"] == 5


def test_list_pages_and_create_refusals(served: Served) -> None:
    other = served.create("films-ranking", "in/ranking/", "ranked/")
    assert served.wait(other)["status"] == "ACTIVE"
    listed = served.personalize.list_batch_inference_jobs(solutionVersionArn=served.version)["batchInferenceJobs"]
    assert [(j["jobName"], j["status"]) for j in listed] == [("films-batch", "ACTIVE"), ("films-ranking", "ACTIVE")]
    first = served.personalize.list_batch_inference_jobs(maxResults=1)
    rest = served.personalize.list_batch_inference_jobs(maxResults=1, nextToken=first["nextToken"])
    assert [j["jobName"] for j in first["batchInferenceJobs"] + rest["batchInferenceJobs"]] == [
        "films-batch", "films-ranking"]
    assert "nextToken" not in rest
    assert served.personalize.list_batch_inference_jobs(
        solutionVersionArn=served.version + "x")["batchInferenceJobs"] == []

    refusals = {
        "ResourceAlreadyExistsException": lambda: served.create("films-batch", "in/", "elsewhere/"),
        "ResourceNotFoundException": lambda: served.create("no-version", "in/", "x/",
                                                           solutionVersionArn=served.version[:-8] + "00000000"),
        "InvalidInputException": lambda: served.create("bad-exploration", "in/", "x/", batchInferenceJobConfig={
            "itemExplorationConfig": {"explorationWeight": "2"}}),
        "ValidationException": lambda: served.create("inside", "in/", "in/out/"),  # outputs would be read back
    }
    for code, create in refusals.items():
        with pytest.raises(ClientError) as excinfo:
            create()
        assert _code(excinfo) == code
    with pytest.raises(ClientError) as excinfo:
        served.create("no-filter", "in/", "x/", filterArn=served.no_horror.replace("no-horror", "none"))
    assert _code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        served.personalize.describe_batch_inference_job(batchInferenceJobArn=other.replace("films-ranking", "none"))
    assert _code(excinfo) == "ResourceNotFoundException"
    # An input that cannot be listed fails the job, with the reason.
    failed = served.wait(served.create("no-bucket", "in/", "x/", bucket="no-such-bucket"))
    assert failed["status"] == "CREATE FAILED" and "no-such-bucket" in failed["failureReason"]

def test_recommend_json_lines_on_the_rest_door_and_the_sdk(served: Served) -> None:
    r = httpx.post(f"{served.url}/v1/personalize/recommend-json-lines", timeout=60, json={
        "jsonLines": '{"userId": "u02"}\n', "solutionVersionArn": served.version, "numResults": 3})
    assert r.status_code == 200, r.text
    [line] = [json.loads(text) for text in r.json()["results"].splitlines()]
    assert all(genre_of(i) == user_genre("u02") for i in line["output"]["recommendedItems"])
    bad = httpx.post(f"{served.url}/v1/personalize/recommend-json-lines", timeout=60, json={
        "jsonLines": "a,b\n", "solutionVersionArn": served.version})
    assert bad.status_code == 400 and bad.json()["__type"] == "InvalidInputException"
    with Client(served.url) as client:
        answer = client.personalize.recommend_json_lines(json_lines='{"userId": "u03"}\n{"itemId": "d01"}\n',
                                                         solution_version_arn=served.version, num_results=2)
        by_user, by_item = map(json.loads, answer.results.splitlines())
        assert len(by_user["output"]["recommendedItems"]) == 2
        assert by_item["error"] == "A line for a version of the aws-user-personalization recipe must be a JSON" \
            " object with a userId."


class SlowPersonalize(with_job_operations(Personalize)):  # type: ignore[misc]
    """Answers files slowly and says when `signal_after` of them are done: a job still running when the
    gateway stops."""

    def __init__(self, models: ModelRegistry, signal_after: int) -> None:
        super().__init__(models)
        self.calls = 0
        self.signal_after = signal_after
        self.reached = threading.Event()
        self._count = threading.Lock()

    def recommend_json_lines(self, *args, **kwargs):
        time.sleep(0.05)
        answer = super().recommend_json_lines(*args, **kwargs)
        with self._count:
            self.calls += 1
            if self.calls >= self.signal_after:
                self.reached.set()
        return answer


def test_a_gateway_restart_resumes_an_unfinished_job(tmp_path: Path, data: Data) -> None:
    # Two files in flight at a time: most are still to do when the gateway stops.
    settings = Settings(data_dir=tmp_path / "data", jobs={"workers": 2, "window": 2, "local_roots": [tmp_path]})
    control, _, _ = clients(settings.data_dir)
    _, version = train(control, data, tmp_path / "csv", "aws-popularity-count")
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for n in range(40):
        (source / f"{n:02d}.json").write_text(f'{{"userId": "u{n:02d}"}}\n')
    request = {"jobName": "resumed", "solutionVersionArn": version, "roleArn": ROLE, "numResults": 3,
               "jobInput": {"s3DataSource": {"path": str(source)}},
               "jobOutput": {"s3DataDestination": {"path": str(target)}}}

    models = ModelRegistry(settings)
    slow = SlowPersonalize(models, signal_after=5)
    with TestClient(create_app(settings, catalog=ServiceCatalog([slow]), models=models)):
        job_arn = slow.create_batch_inference_job(**request).batchInferenceJobArn
        assert slow.reached.wait(60)
    # The gateway stopped: files in flight were finished and recorded; the rest wait for the next start.
    assert 5 <= slow.calls < 40
    assert len(list(target.glob("*.out"))) == slow.calls

    models = ModelRegistry(settings)
    catalog = ServiceCatalog.default(models)
    with TestClient(create_app(settings, catalog=catalog, models=models)) as gateway:
        personalize = catalog.get("personalize")
        done = wait_for(lambda: personalize.describe_batch_inference_job(job_arn).batchInferenceJob)
        assert done.status == "ACTIVE", done.failureReason
        [job] = gateway.get("/v1/jobs").json()["jobs"]
        assert (job["state"], job["done"], job["failed"], job["total"]) == ("COMPLETED", 40, 0, 40)
    outputs = sorted(target.glob("*.out"))
    assert [p.name for p in outputs] == [f"{n:02d}.json.out" for n in range(40)]
    for n, path in enumerate(outputs):
        [line] = [json.loads(text) for text in path.read_text().splitlines()]
        assert line["input"] == {"userId": f"u{n:02d}"} and len(line["output"]["recommendedItems"]) == 3
    manifest = [json.loads(text) for text in (target / "manifest.jsonl").read_text().splitlines()]
    assert len(manifest) == 40 and {m["status"] for m in manifest} == {"SUCCEEDED"}
