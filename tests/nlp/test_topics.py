"""Comprehend topic detection jobs on real text from this machine (licences, git release notes, dpkg's
trigger spec: three clear themes), read from moto S3 and from a local folder, in process and through
a real gateway with boto3. The jobs run on the gateway's job engine (gateway/jobs/aws_comprehend_topics.py):
ReadTopicDocuments per object, then FitTopics over them all."""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from core.errors import InvalidRequest, JobNotFound, ValidationError
from core.model_registry import ModelRegistry
from core.service import operation
from core.settings import Settings
from core.storage import Storage
from gateway.catalog import ServiceCatalog
from gateway.jobs.aws_adapters import with_job_operations
from gateway.jobs.folders import FolderNotAllowed
from nlp import Comprehend, topic_model
from nlp.comprehend_topics_shapes import (
    FitTopicsRequest,
    FitTopicsResponse,
    ReadTopicDocumentsRequest,
    ReadTopicDocumentsResponse,
)

LICENCES = Path("/usr/share/common-licenses")
GIT_NOTES = Path("/usr/share/doc/git/RelNotes")
THEME_SOURCES = {
    "licence": [LICENCES / "GPL-3", LICENCES / "Apache-2.0", LICENCES / "MPL-2.0"],
    "git": [GIT_NOTES / "2.28.0.txt", GIT_NOTES / "2.29.0.txt", GIT_NOTES / "2.30.0.txt"],
    "dpkg": [Path("/usr/share/doc/dpkg/spec/triggers.txt")],
}
DOCS_PER_THEME = 8
TIMEOUT_S = 60
ComprehendWithJobs = with_job_operations(Comprehend)


@pytest.fixture(scope="module")
def themes() -> dict[str, list[str]]:
    """Theme -> documents of three paragraphs each (AWS advises 3+ sentences a document)."""
    missing = [str(p) for paths in THEME_SOURCES.values() for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"the corpus is built from files this machine lacks: {missing}")
    corpus = {}
    for theme, paths in THEME_SOURCES.items():
        paragraphs = [" ".join(p.split()) for path in paths for p in re.split(r"\n\s*\n", path.read_text())]
        paragraphs = [p for p in paragraphs if len(p.split()) >= 20]
        corpus[theme] = [" ".join(paragraphs[i:i + 3]) for i in range(0, 3 * DOCS_PER_THEME, 3)]
    return corpus


@pytest.fixture
def models(tmp_path: Path, s3_server) -> ModelRegistry:
    return ModelRegistry(Settings(s3_endpoint_url=s3_server.endpoint_url, data_dir=tmp_path / "data",
                                  jobs={"local_roots": [tmp_path]}))


@pytest.fixture
def services(models) -> Iterator[Callable[..., ComprehendWithJobs]]:
    """Comprehend with its job operations, in process: each makes its own job engine, closed at the end."""
    made = []

    def make(registry: ModelRegistry = models, service_class: type = ComprehendWithJobs):
        made.append(service_class(registry))
        return made[-1]

    yield make
    for service in made:
        service._job_engine().close()


@pytest.fixture
def service(services):
    return services()


class HeldTopics(ComprehendWithJobs):
    """Holds every job at its topic model fit (IN_PROGRESS) until `release` is set."""

    def __init__(self, models: ModelRegistry) -> None:
        super().__init__(models)
        self.entered, self.release = threading.Event(), threading.Event()

    @operation(served=False)
    def fit_topics(self, request: FitTopicsRequest) -> FitTopicsResponse:
        self.entered.set()
        self.release.wait(TIMEOUT_S)
        return super().fit_topics(request)


def _bucket(s3_server, name: str, objects: dict[str, str]) -> str:
    client = s3_server.client()
    client.create_bucket(Bucket=name)
    for key, text in objects.items():
        client.put_object(Bucket=name, Key=key, Body=text.encode())
    return f"s3://{name}"


def _files(themes: dict[str, list[str]]) -> dict[str, str]:
    return {f"{theme}-{i}.txt": doc for theme, docs in themes.items() for i, doc in enumerate(docs)}


def _finished(service, job_id: str):
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        job = service.describe_topics_detection_job(job_id).TopicsDetectionJobProperties
        if job.JobStatus not in ("SUBMITTED", "IN_PROGRESS"):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job.JobStatus} after {TIMEOUT_S}s"
        time.sleep(0.1)


def _output(archive: bytes) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows of topic-terms.csv and doc-topics.csv, after checking the archive's layout and headers."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        assert sorted(tar.getnames()) == ["doc-topics.csv", "topic-terms.csv"]
        text = {name: tar.extractfile(name).read().decode() for name in tar.getnames()}
    assert text["topic-terms.csv"].splitlines()[0] == "topic,term,weight"
    assert text["doc-topics.csv"].splitlines()[0] == "docname,topic,proportion"
    return [list(csv.DictReader(io.StringIO(text[name]))) for name in ("topic-terms.csv", "doc-topics.csv")]


def _dominant(doc_topics: list[dict[str, str]]) -> dict[str, str]:
    shares: dict[str, tuple[float, str]] = {}
    for row in doc_topics:
        shares[row["docname"]] = max(shares.get(row["docname"], (0.0, "")), (float(row["proportion"]), row["topic"]))
    return {name: topic for name, (_, topic) in shares.items()}


def _assert_themes_found(dominant: dict[str, str], theme_of) -> None:
    """Each theme's documents share one dominant topic, and the themes' topics differ."""
    by_theme: dict[str, Counter] = {}
    for name, topic in dominant.items():
        by_theme.setdefault(theme_of(name), Counter())[topic] += 1
    majority = {theme: counts.most_common(1)[0] for theme, counts in by_theme.items()}
    assert len({topic for topic, _ in majority.values()}) == 3, by_theme
    assert all(count == DOCS_PER_THEME for _, count in majority.values()), by_theme


def test_s3_documents_one_per_file_give_one_topic_per_theme(service, models, s3_server, themes) -> None:
    bucket = _bucket(s3_server, "topics-per-file", {f"in/{name}": doc for name, doc in _files(themes).items()})
    started = service.start_topics_detection_job(
        input_data_config={"S3Uri": f"{bucket}/in/"}, output_data_config={"S3Uri": f"{bucket}/out"},
        number_of_topics=3, job_name="three-themes",
    )
    # The engine may have begun the job by the time Start answers.
    assert started.JobStatus in ("SUBMITTED", "IN_PROGRESS") and started.JobArn.endswith(f"topics-detection-job/{started.JobId}")
    job = _finished(service, started.JobId)
    assert (job.JobStatus, job.Message, job.JobName, job.NumberOfTopics) == ("COMPLETED", None, "three-themes", 3)
    assert job.InputDataConfig.InputFormat == "ONE_DOC_PER_FILE"
    assert job.OutputDataConfig.S3Uri == f"{bucket}/out/000000000000-TOPICS-{started.JobId}/output/output.tar.gz"
    assert job.SubmitTime <= job.EndTime <= datetime.now(timezone.utc)
    # The documents read for the fit were the job's scratch: gone once it ended.
    assert not (models.settings.data_dir / "comprehend" / "topics" / started.JobId).exists()

    topic_terms, doc_topics = _output(Storage(models.settings).read_bytes(job.OutputDataConfig.S3Uri))
    terms = {}
    for row in topic_terms:
        terms.setdefault(row["topic"], []).append((row["term"], float(row["weight"])))
    assert sorted(terms) == ["000", "001", "002"]
    for ranked in terms.values():
        weights = [w for _, w in ranked]
        assert len(ranked) == topic_model.TERMS_PER_TOPIC and weights == sorted(weights, reverse=True)
        assert 0 < sum(weights) <= 1
    dominant = _dominant(doc_topics)
    assert set(dominant) == set(_files(themes))  # docname is the file name
    _assert_themes_found(dominant, lambda name: name.split("-")[0])
    # A theme's topic is named by its words.
    assert {"trigger", "triggers"} & {term for term, _ in terms[dominant["dpkg-0.txt"]]}


def test_local_folder_one_document_per_line(service, tmp_path: Path, themes) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for theme, docs in themes.items():
        # A blank line is no document, but still counts in the numbering; CRLF ends a line too.
        (folder / f"{theme}.txt").write_bytes(("\n".join(docs[:2]) + "\n\n" + "\r\n".join(docs[2:])).encode())
    with pytest.raises(FolderNotAllowed):  # only folders open to jobs: not the server's others
        service.start_topics_detection_job(input_data_config={"S3Uri": str(folder), "InputFormat": "ONE_DOC_PER_LINE"},
                                           output_data_config={"S3Uri": "/etc/aigw-topics"}, number_of_topics=3)
    job_id = service.start_topics_detection_job(
        input_data_config={"S3Uri": str(folder), "InputFormat": "ONE_DOC_PER_LINE"},
        output_data_config={"S3Uri": str(tmp_path / "out")}, number_of_topics=3,
    ).JobId
    job = _finished(service, job_id)
    assert job.JobStatus == "COMPLETED", job.Message
    _, doc_topics = _output(Path(job.OutputDataConfig.S3Uri).read_bytes())
    dominant = _dominant(doc_topics)
    expected_lines = [0, 1, *range(3, DOCS_PER_THEME + 1)]
    assert set(dominant) == {f"{theme}.txt:{n}" for theme in themes for n in expected_lines}
    _assert_themes_found(dominant, lambda name: name.split(".")[0])


def test_the_same_client_request_token_gives_the_same_job(service, s3_server) -> None:
    bucket = _bucket(s3_server, "topics-token", {"in/a.txt": "apples and pears", "in/b.txt": "cars and trucks"})
    request = {"input_data_config": {"S3Uri": f"{bucket}/in"}, "output_data_config": {"S3Uri": f"{bucket}/out"},
               "client_request_token": "retry-1"}
    first = service.start_topics_detection_job(**request)
    again = service.start_topics_detection_job(**request)
    other = service.start_topics_detection_job(**{**request, "client_request_token": "retry-2"})
    assert again.JobId == first.JobId != other.JobId
    listed = service.list_topics_detection_jobs().TopicsDetectionJobPropertiesList
    assert sorted(j.JobId for j in listed) == sorted([first.JobId, other.JobId])


def test_list_filters_and_pages(service, s3_server) -> None:
    bucket = _bucket(s3_server, "topics-list", {"in/a.txt": "apples and pears", "in/b.txt": "cars and trucks",
                                                "empty/a.txt": "apples only", "empty/b.txt": "  "})
    ids = []
    for name, prefix in (("first", "in"), ("second", "in"), ("broken", "empty")):
        ids.append(service.start_topics_detection_job(
            input_data_config={"S3Uri": f"{bucket}/{prefix}"}, output_data_config={"S3Uri": f"{bucket}/out"},
            job_name=name).JobId)
        _finished(service, ids[-1])

    def listed(**kwargs) -> list[str]:
        return [j.JobId for j in service.list_topics_detection_jobs(**kwargs).TopicsDetectionJobPropertiesList]

    assert listed() == ids  # in submission order
    assert listed(filter={"JobName": "second"}) == [ids[1]]
    assert listed(filter={"JobStatus": "FAILED"}) == [ids[2]]
    second = service.describe_topics_detection_job(ids[1]).TopicsDetectionJobProperties.SubmitTime
    assert listed(filter={"SubmitTimeAfter": second}) == [ids[2]]
    assert listed(filter={"SubmitTimeBefore": second}) == [ids[0]]
    assert listed(filter={"SubmitTimeAfter": datetime.now(timezone.utc) + timedelta(hours=1)}) == []

    pages, token = [], None
    while True:
        page = service.list_topics_detection_jobs(max_results=2, **({"next_token": token} if token else {}))
        pages.append([j.JobId for j in page.TopicsDetectionJobPropertiesList])
        token = page.NextToken
        if token is None:
            break
    assert pages == [ids[:2], ids[2:]]
    with pytest.raises(InvalidRequest):
        service.list_topics_detection_jobs(next_token="not-a-token")


class CountingTopics(ComprehendWithJobs):
    """Reads each input object slowly, counting the reads per object, and signals after `signal_after`
    of them (to stop a job mid-way, as a restart does)."""

    signal_after: int | None = None

    def __init__(self, models: ModelRegistry) -> None:
        super().__init__(models)
        self.reads: Counter[str] = Counter()
        self.reached = threading.Event()
        self._lock = threading.Lock()

    @operation(text_in=("Text",), text_out=("Documents[*].Text",))
    def read_topic_documents(self, request: ReadTopicDocumentsRequest) -> ReadTopicDocumentsResponse:
        with self._lock:
            self.reads[request.ObjectKey] += 1
            if self.signal_after is not None and self.reads.total() >= self.signal_after:
                self.reached.set()
        time.sleep(0.05)
        return super().read_topic_documents(request)


def test_a_restart_resumes_the_interrupted_job_and_its_archive_is_complete(services, tmp_path, s3_server,
                                                                           themes) -> None:
    files = _files(themes)
    bucket = _bucket(s3_server, "topics-restart", {f"in/{name}": doc for name, doc in files.items()})
    # One object at a time, so that a stop leaves most of them unread.
    models = ModelRegistry(Settings(s3_endpoint_url=s3_server.endpoint_url, data_dir=tmp_path / "restart",
                                    jobs={"workers": 1, "window": 1}))
    before = services(models, CountingTopics)
    before.signal_after = 5
    job_id = before.start_topics_detection_job(
        input_data_config={"S3Uri": f"{bucket}/in/"}, output_data_config={"S3Uri": f"{bucket}/out"},
        number_of_topics=3, job_name="restarted").JobId
    assert before.reached.wait(TIMEOUT_S)
    before._job_engine().close()  # the process stops: objects in flight finish, no others start
    stopped = before.describe_topics_detection_job(job_id).TopicsDetectionJobProperties
    assert stopped.JobStatus == "IN_PROGRESS" and stopped.EndTime is None
    assert 5 <= before.reads.total() < len(files)

    after = services(models, CountingTopics)  # a new process over the same data_dir resumes it
    assert after._job_engine().resume() == 1
    job = _finished(after, job_id)
    assert (job.JobStatus, job.Message, job.JobName) == ("COMPLETED", None, "restarted")
    reads = before.reads + after.reads
    assert set(reads) == set(files) and set(reads.values()) == {1}, "an object was read twice or never"
    _, doc_topics = _output(Storage(models.settings).read_bytes(job.OutputDataConfig.S3Uri))
    dominant = _dominant(doc_topics)
    assert set(dominant) == set(files)  # every document is in the archive, the ones read before the stop too
    _assert_themes_found(dominant, lambda name: name.split("-")[0])


def test_jobs_beyond_max_running_wait_submitted(tmp_path: Path, s3_server, services) -> None:
    bucket = _bucket(s3_server, "topics-busy", {"in/a.txt": "apples and pears", "in/b.txt": "cars and trucks"})
    service = services(ModelRegistry(Settings(s3_endpoint_url=s3_server.endpoint_url, data_dir=tmp_path / "busy",
                                              jobs={"max_running": 1})), HeldTopics)
    request = {"input_data_config": {"S3Uri": f"{bucket}/in"}, "output_data_config": {"S3Uri": f"{bucket}/out"}}
    running = service.start_topics_detection_job(**request).JobId
    assert service.entered.wait(TIMEOUT_S)  # the first job is fitting its topics
    waiting = service.start_topics_detection_job(**request).JobId
    time.sleep(0.5)
    assert service.describe_topics_detection_job(running).TopicsDetectionJobProperties.JobStatus == "IN_PROGRESS"
    assert service.describe_topics_detection_job(waiting).TopicsDetectionJobProperties.JobStatus == "SUBMITTED"
    service.release.set()
    assert _finished(service, running).JobStatus == "COMPLETED"
    assert _finished(service, waiting).JobStatus == "COMPLETED"


def test_a_document_that_is_not_utf8_fails_alone(service, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fruit.txt").write_text("apples and pears grow in the orchard")
    (folder / "cars.txt").write_text("cars and trucks drive on the motorway")
    (folder / "latin1.txt").write_bytes("café crème brûlée".encode("latin-1"))
    job = _finished(service, service.start_topics_detection_job(
        input_data_config={"S3Uri": str(folder)}, output_data_config={"S3Uri": str(tmp_path / "out")},
        number_of_topics=2).JobId)
    assert job.JobStatus == "COMPLETED" and job.Message.startswith("1 of 3 input files could not be read")
    _, doc_topics = _output(Path(job.OutputDataConfig.S3Uri).read_bytes())
    assert {row["docname"] for row in doc_topics} == {"fruit.txt", "cars.txt"}
    manifest = Path(job.OutputDataConfig.S3Uri).parent.parent / "manifest.jsonl"
    outcomes = {row["key"]: row for row in map(json.loads, manifest.read_text().splitlines())}
    assert [outcomes[key]["status"] for key in ("cars.txt", "fruit.txt", "latin1.txt")] == [
        "SUCCEEDED", "SUCCEEDED", "FAILED"]
    assert outcomes["latin1.txt"]["error"]["code"] == "InvalidRequestException"
    assert "not UTF-8" in outcomes["latin1.txt"]["error"]["message"]


def test_failures_up_front_and_as_failed_jobs(service, s3_server) -> None:
    bucket = _bucket(s3_server, "topics-failures", {"one/a.txt": "a single document", "one/b.txt": "\n \n",
                                                    "wordless/a.txt": "the and of it", "wordless/b.txt": "12 34 56"})

    def start(source: str, output: str = f"{bucket}/out", **kwargs):
        return service.start_topics_detection_job(
            input_data_config={"S3Uri": source}, output_data_config={"S3Uri": output}, **kwargs)

    with pytest.raises(InvalidRequest, match="no input documents"):
        start(f"{bucket}/nothing-here/")
    with pytest.raises(InvalidRequest, match="No bucket"):
        start("s3://no-such-bucket/in/")
    with pytest.raises(ValidationError):
        start(f"{bucket}/one", number_of_topics=0)
    with pytest.raises(JobNotFound):
        service.describe_topics_detection_job("0" * 32)

    too_few = _finished(service, start(f"{bucket}/one").JobId)
    assert too_few.JobStatus == "FAILED" and "at least 2 non-empty documents; found 1" in too_few.Message
    wordless = _finished(service, start(f"{bucket}/wordless").JobId)
    assert wordless.JobStatus == "FAILED" and "no words to model topics from" in wordless.Message

    _bucket(s3_server, "topics-failures-in", {"a.txt": "apples and pears", "b.txt": "cars and trucks"})
    unwritable = _finished(service, start("s3://topics-failures-in/", "s3://no-such-output-bucket/out").JobId)
    assert unwritable.JobStatus == "FAILED" and "no-such-output-bucket" in unwritable.Message


def test_boto3_round_trip(start_gateway, aws_client, models, s3_server, themes) -> None:
    bucket = _bucket(s3_server, "topics-boto3", {f"docs/{name}": doc for name, doc in _files(themes).items()})
    gateway = start_gateway(catalog=ServiceCatalog([ComprehendWithJobs(models)]),
                            s3_endpoint_url=s3_server.endpoint_url)
    client = aws_client("comprehend", gateway.url)
    started = client.start_topics_detection_job(
        InputDataConfig={"S3Uri": f"{bucket}/docs/", "InputFormat": "ONE_DOC_PER_FILE"},
        OutputDataConfig={"S3Uri": f"{bucket}/results/"},
        DataAccessRoleArn="arn:aws:iam::000000000000:role/comprehend-access", JobName="boto3-job", NumberOfTopics=3,
    )
    assert started["JobStatus"] in ("SUBMITTED", "IN_PROGRESS")
    deadline = time.monotonic() + TIMEOUT_S
    while (job := client.describe_topics_detection_job(JobId=started["JobId"])["TopicsDetectionJobProperties"])[
            "JobStatus"] in ("SUBMITTED", "IN_PROGRESS"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["JobStatus"] == "COMPLETED" and isinstance(job["SubmitTime"], datetime)
    assert job["DataAccessRoleArn"] == "arn:aws:iam::000000000000:role/comprehend-access"
    key = job["OutputDataConfig"]["S3Uri"].removeprefix(f"{bucket}/")
    archive = s3_server.client().get_object(Bucket="topics-boto3", Key=key)["Body"].read()
    _assert_themes_found(_dominant(_output(archive)[1]), lambda name: name.split("-")[0])

    # It is an engine job: the native jobs API lists it, with a manifest of every object beside output/.
    listed_jobs = httpx.get(f"{gateway.url}/v1/jobs", params={"max_results": 500}).json()["jobs"]
    engine_job = next(j for j in listed_jobs if j["job_id"] == started["JobId"])
    assert (engine_job["operation"], engine_job["state"], engine_job["done"], engine_job["failed"]) == (
        "comprehend.ReadTopicDocuments", "COMPLETED", len(_files(themes)), 0)
    manifest = s3_server.client().get_object(
        Bucket="topics-boto3", Key=key.removesuffix("output/output.tar.gz") + "manifest.jsonl")["Body"].read()
    rows = [json.loads(line) for line in manifest.decode().splitlines()]
    assert sorted(row["key"] for row in rows) == sorted(_files(themes))
    assert {row["status"] for row in rows} == {"SUCCEEDED"}

    # The per-object step is an operation of its own on the REST door: how a file splits into documents.
    split = httpx.post(f"{gateway.url}/v1/comprehend/read-topic-documents", json={
        "Text": "first line\r\nsecond line\n \nfourth\u2028still fourth", "InputFormat": "ONE_DOC_PER_LINE",
        "ObjectKey": "notes/day1.txt"})
    assert split.status_code == 200, split.text
    assert split.json()["Documents"] == [{"Name": "day1.txt:0", "Text": "first line"},
                                         {"Name": "day1.txt:1", "Text": "second line"},
                                         {"Name": "day1.txt:3", "Text": "fourth\u2028still fourth"}]
    # The finish step reads and writes the paths its request names: no door offers it to clients.
    fit = httpx.post(f"{gateway.url}/v1/comprehend/fit-topics", json={
        "Results": "/etc", "NumberOfTopics": 2, "OutputUri": "/tmp/anywhere.tar.gz"})
    assert fit.status_code == 400 and "FitTopics" not in fit.text, fit.text  # the AWS door: no such target
    assert "/v1/comprehend/fit-topics" not in httpx.get(f"{gateway.url}/openapi.json").json()["paths"]
    assert "FitTopics" in Comprehend.operations() and "FitTopics" not in Comprehend.served_operations()

    listed = client.list_topics_detection_jobs(Filter={"JobName": "boto3-job"})["TopicsDetectionJobPropertiesList"]
    assert [j["JobId"] for j in listed] == [started["JobId"]]
    with pytest.raises(ClientError) as caught:
        client.describe_topics_detection_job(JobId="f" * 32)
    assert caught.value.response["Error"]["Code"] == "JobNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
