"""Comprehend custom classification: training on real text, held-out metrics, multi-label,
persistence across restarts, S3 input, AWS error codes, and one boto3 round trip per operation.

The labelled data is real prose present wherever Python runs: the docstrings of four standard-library
packages, labelled by package (asyncio, email, logging, xml).
"""

from __future__ import annotations

import ast
import csv
import io
import sysconfig
import threading
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from core.errors import InvalidRequest, ResourceInUse, ResourceNotFound, TextSizeLimitExceeded
from core.model_registry import ModelRegistry
from core.settings import ModelChoice, Settings
from gateway.catalog import ServiceCatalog
from nlp import comprehend_classifiers_store
from nlp.comprehend import Comprehend
from core.errors import ResourceUnavailable
from nlp.comprehend_classifiers_shapes import DocumentClassifierProperties
from nlp.engines import text_classifier

PACKAGES = ("asyncio", "email", "logging", "xml")
PER_LABEL = 50
ROLE = "arn:aws:iam::000000000000:role/comprehend"


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    """(package, docstring) pairs: docstrings of 80+ characters, whitespace folded, PER_LABEL per package."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    rows = []
    for package in PACKAGES:
        docs = []
        for path in sorted((stdlib / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    doc = ast.get_docstring(node)
                    if doc and len(doc) >= 80:
                        docs.append(" ".join(doc.split()))
        assert len(docs) >= PER_LABEL, package
        rows += [(package, doc) for doc in docs[:PER_LABEL]]
    return rows


def _csv(rows: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _write(folder: Path, rows: list[tuple[str, str]] | bytes, name: str = "train.csv") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(rows if isinstance(rows, bytes) else _csv(rows))
    return path


def _service(data_dir: Path, **settings: object) -> Comprehend:
    return Comprehend(ModelRegistry(Settings(data_dir=data_dir, **settings)))


def _wait(service: Comprehend, arn: str, timeout: float = 120) -> DocumentClassifierProperties:
    deadline = time.monotonic() + timeout
    while True:
        props = service.describe_document_classifier(arn).DocumentClassifierProperties
        if props.Status not in ("SUBMITTED", "TRAINING") or time.monotonic() > deadline:
            return props
        time.sleep(0.05)


def _train(service: Comprehend, uri: Path | str, name: str = "stdlib", config: dict | None = None,
           **members: object) -> str:
    return service.create_document_classifier(
        DocumentClassifierName=name, LanguageCode="en", InputDataConfig={"S3Uri": str(uri), **(config or {})},
        **members,
    ).DocumentClassifierArn


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory) -> tuple[Path, str]:
    """A data_dir holding one TRAINED multi-class classifier, and its ARN."""
    data_dir = tmp_path_factory.mktemp("classifiers")
    service = _service(data_dir)
    arn = _train(service, _write(data_dir / "input", corpus))
    assert _wait(service, arn).Status == "TRAINED"
    return data_dir, arn


def test_multi_class_trains_and_classifies_well_above_chance(trained) -> None:
    data_dir, arn = trained
    service = _service(data_dir)
    props = service.describe_document_classifier(arn).DocumentClassifierProperties
    assert arn == "arn:aws:comprehend:us-east-1:000000000000:document-classifier/stdlib"
    meta = props.ClassifierMetadata
    assert meta.NumberOfLabels == 4
    # 10% of each label held out, as AWS does.
    assert (meta.NumberOfTrainedDocuments, meta.NumberOfTestDocuments) == (180, 20)
    assert meta.EvaluationMetrics.Accuracy >= 0.8  # chance is 0.25
    assert meta.EvaluationMetrics.F1Score >= 0.75
    assert props.TrainingStartTime <= props.TrainingEndTime

    classes = service.classify_document(
        Text="Schedule the callback on the event loop and wait for the future to complete.", EndpointArn=arn
    ).Classes
    assert classes[0].Name == "asyncio"
    assert [c.Score for c in classes] == sorted((c.Score for c in classes), reverse=True)
    assert sum(c.Score for c in classes) == pytest.approx(1.0)
    assert service.classify_document(
        Text="Parse the MIME message and return its headers and the decoded payload.", EndpointArn=arn
    ).Classes[0].Name == "email"


def test_multi_label(corpus, tmp_path) -> None:
    # Documents about one package, and documents joining two packages' docstrings under both labels.
    by_label = {p: [doc for label, doc in corpus if label == p] for p in PACKAGES}
    rows = [(p, doc) for p in PACKAGES for doc in by_label[p][:30]]
    for i in range(20):
        for a, b in (("asyncio", "logging"), ("email", "xml")):
            rows.append((f"{a};{b}", f"{by_label[a][30 + i]} {by_label[b][30 + i]}"))
    service = _service(tmp_path)
    arn = _train(service, _write(tmp_path / "input", rows), Mode="MULTI_LABEL", config={"LabelDelimiter": ";"})
    props = _wait(service, arn)
    assert props.Status == "TRAINED", props.Message
    metrics = props.ClassifierMetadata.EvaluationMetrics
    assert metrics.MicroF1Score >= 0.7
    assert metrics.HammingLoss <= 0.15

    labels = service.classify_document(
        Text="Run the coroutine on the event loop. Log the record through the handler at WARNING level.",
        EndpointArn=arn,
    ).Labels
    assert {label.Name for label in labels[:2]} == {"asyncio", "logging"}
    assert labels[1].Score >= text_classifier.LABEL_THRESHOLD


def test_classifiers_survive_a_restart(trained) -> None:
    data_dir, arn = trained
    restarted = _service(data_dir)  # a new process's service over the same data_dir
    assert restarted.describe_document_classifier(arn).DocumentClassifierProperties.Status == "TRAINED"
    classes = restarted.classify_document(Text="Add a handler to the logger.", EndpointArn=arn).Classes
    assert classes[0].Name == "logging"
    listed = restarted.list_document_classifiers().DocumentClassifierPropertiesList
    assert [p.DocumentClassifierArn for p in listed] == [arn]


def test_training_cut_off_by_a_restart_ends_in_error(corpus, tmp_path, monkeypatch) -> None:
    release = threading.Event()
    real_fit = text_classifier.fit

    def blocked_fit(*args, **kwargs):
        release.wait(30)
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(text_classifier, "fit", blocked_fit)
    service = _service(tmp_path)
    arn = _train(service, _write(tmp_path / "input", corpus))
    with pytest.raises(ResourceUnavailable):
        service.classify_document(Text="Add a handler to the logger.", EndpointArn=arn)
    # The process that trained is gone: its heartbeat stops, so the record is seen as stale.
    monkeypatch.setattr(comprehend_classifiers_store, "STALE_AFTER_S", 0.0)
    restarted = _service(tmp_path)
    props = restarted.describe_document_classifier(arn).DocumentClassifierProperties
    assert props.Status == "IN_ERROR"
    assert "interrupted" in props.Message
    # A training thread that outlives its record does not bring it back.
    release.set()
    next(t for t in threading.enumerate() if t.name == "train document-classifier/stdlib").join(30)
    assert restarted.describe_document_classifier(arn).DocumentClassifierProperties.Status == "IN_ERROR"


def test_training_data_from_an_s3_prefix(corpus, tmp_path, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="training")
    half = len(corpus) // 2
    s3.put_object(Bucket="training", Key="stdlib/part-1.csv", Body=_csv(corpus[:half]))
    s3.put_object(Bucket="training", Key="stdlib/part-2.csv", Body=_csv(corpus[half:]))
    service = _service(tmp_path, s3_endpoint_url=s3_server.endpoint_url)
    props = _wait(service, _train(service, "s3://training/stdlib/"))
    assert props.Status == "TRAINED", props.Message
    assert props.ClassifierMetadata.NumberOfTrainedDocuments + props.ClassifierMetadata.NumberOfTestDocuments == 200

    with pytest.raises(InvalidRequest, match="no training data"):
        _train(service, "s3://training/nothing-here/", name="missing")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"asyncio\nemail\n", "one column"),
        (b"", "no documents"),
        (_csv([("asyncio", f"document {i}") for i in range(20)]), "at least 2"),
        (_csv([("asyncio", f"document {i}") for i in range(20)] + [("email", "one")]), "at least 10"),
        ("asyncio,caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ],
    ids=["one-column", "empty", "single-label", "too-few-documents", "latin-1"],
)
def test_malformed_training_data_ends_in_error(tmp_path, data: bytes, reason: str) -> None:
    service = _service(tmp_path)
    props = _wait(service, _train(service, _write(tmp_path / "input", data)))
    assert props.Status == "IN_ERROR"
    assert reason in props.Message
    with pytest.raises(ResourceUnavailable):
        service.classify_document(Text="anything", EndpointArn=props.DocumentClassifierArn)


def test_bad_requests_get_aws_codes(trained, tmp_path) -> None:
    data_dir, arn = trained
    service = _service(data_dir)
    with pytest.raises(InvalidRequest):  # detectable up front: nothing at the URI
        _train(service, tmp_path / "absent.csv", name="absent")
    with pytest.raises(InvalidRequest, match="Unknown engine 'bert'"):
        _train(service, tmp_path, name="engine", Tags=[{"Key": "aigw:engine", "Value": "bert"}])
    # Without a tag, the engine is the settings default.
    site = _service(data_dir, models={"comprehend_custom_classifier": ModelChoice(engine="gpt")})
    with pytest.raises(InvalidRequest, match="Unknown engine 'gpt'"):
        _train(site, tmp_path, name="engine")
    with pytest.raises(ResourceInUse):
        _train(service, data_dir / "input" / "train.csv")
    unknown = arn.replace("/stdlib", "/nope")
    with pytest.raises(ResourceNotFound):
        service.describe_document_classifier(unknown)
    with pytest.raises(ResourceNotFound):
        service.delete_document_classifier(unknown)
    with pytest.raises(TextSizeLimitExceeded):
        service.classify_document(Text="x" * 10_001, EndpointArn=arn)
    with pytest.raises(InvalidRequest):
        service.list_document_classifiers(NextToken="not-a-token")


def test_listing_filters_and_pages(corpus, tmp_path) -> None:
    service = _service(tmp_path)
    good = _write(tmp_path / "input", corpus)
    bad = _write(tmp_path / "input", b"one-column\n", "bad.csv")
    arns = [_train(service, good, name="a"), _train(service, good, name="a", VersionName="v2")]
    arns.append(_train(service, bad, name="b"))
    for arn in arns:
        _wait(service, arn)
    assert arns[1].endswith("document-classifier/a/version/v2")

    first = service.list_document_classifiers(MaxResults=2)
    second = service.list_document_classifiers(MaxResults=2, NextToken=first.NextToken)
    pages = first.DocumentClassifierPropertiesList + second.DocumentClassifierPropertiesList
    assert [p.DocumentClassifierArn for p in pages] == arns
    assert second.NextToken is None
    by_status = service.list_document_classifiers(Filter={"Status": "IN_ERROR"}).DocumentClassifierPropertiesList
    assert [p.DocumentClassifierArn for p in by_status] == arns[2:]
    by_name = service.list_document_classifiers(Filter={"DocumentClassifierName": "a"}).DocumentClassifierPropertiesList
    assert [p.VersionName for p in by_name] == [None, "v2"]


def test_endpoints_follow_their_classifier(trained) -> None:
    data_dir, arn = trained
    service = _service(data_dir)
    endpoint = service.create_endpoint(EndpointName="stdlib-ep", ModelArn=arn, DesiredInferenceUnits=1).EndpointArn
    try:
        assert endpoint.endswith(":document-classifier-endpoint/stdlib-ep")
        assert service.describe_endpoint(endpoint).EndpointProperties.Status == "IN_SERVICE"
        classes = service.classify_document(Text="Add a handler to the logger.", EndpointArn=endpoint).Classes
        assert classes[0].Name == "logging"
        with pytest.raises(ResourceInUse):  # AWS refuses to delete a classifier an endpoint serves
            service.delete_document_classifier(arn)
        with pytest.raises(ResourceInUse):
            service.create_endpoint(EndpointName="stdlib-ep", ModelArn=arn, DesiredInferenceUnits=1)
        listed = service.list_endpoints(Filter={"ModelArn": arn}).EndpointPropertiesList
        assert [e.EndpointArn for e in listed] == [endpoint]
    finally:
        service.delete_endpoint(endpoint)
    with pytest.raises(ResourceNotFound):
        service.describe_endpoint(endpoint)


def test_boto3_round_trip(corpus, tmp_path, s3_server, start_gateway, aws_client) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="gateway-training")
    s3.put_object(Bucket="gateway-training", Key="train.csv", Body=_csv(corpus))
    models = ModelRegistry(Settings(data_dir=tmp_path, s3_endpoint_url=s3_server.endpoint_url))
    gateway = start_gateway(catalog=ServiceCatalog([Comprehend(models)]), s3_endpoint_url=s3_server.endpoint_url)
    client = aws_client("comprehend", gateway.url)

    arn = client.create_document_classifier(
        DocumentClassifierName="boto", DataAccessRoleArn=ROLE, LanguageCode="en", Mode="MULTI_CLASS",
        InputDataConfig={"S3Uri": "s3://gateway-training/train.csv"},
    )["DocumentClassifierArn"]
    deadline = time.monotonic() + 120
    while True:
        props = client.describe_document_classifier(DocumentClassifierArn=arn)["DocumentClassifierProperties"]
        if props["Status"] not in ("SUBMITTED", "TRAINING") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert props["Status"] == "TRAINED"
    assert props["ClassifierMetadata"]["EvaluationMetrics"]["Accuracy"] >= 0.8
    assert props["SubmitTime"].tzinfo is not None  # a timestamp on the wire, parsed by botocore
    listed = client.list_document_classifiers(Filter={"Status": "TRAINED"})["DocumentClassifierPropertiesList"]
    assert [p["DocumentClassifierArn"] for p in listed] == [arn]

    endpoint = client.create_endpoint(EndpointName="boto-ep", ModelArn=arn, DesiredInferenceUnits=1)["EndpointArn"]
    assert client.describe_endpoint(EndpointArn=endpoint)["EndpointProperties"]["Status"] == "IN_SERVICE"
    assert [e["EndpointArn"] for e in client.list_endpoints()["EndpointPropertiesList"]] == [endpoint]
    classes = client.classify_document(Text="Add a handler to the logger.", EndpointArn=endpoint)["Classes"]
    assert classes[0]["Name"] == "logging"

    with pytest.raises(ClientError) as error:
        client.classify_document(Text="x" * 10_001, EndpointArn=endpoint)
    assert error.value.response["Error"]["Code"] == "TextSizeLimitExceededException"
    with pytest.raises(ClientError) as error:
        client.delete_document_classifier(DocumentClassifierArn=arn)
    assert error.value.response["Error"]["Code"] == "ResourceInUseException"

    client.delete_endpoint(EndpointArn=endpoint)
    client.delete_document_classifier(DocumentClassifierArn=arn)
    with pytest.raises(ClientError) as error:
        client.describe_document_classifier(DocumentClassifierArn=arn)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert not (tmp_path / "comprehend" / "classifiers" / "models" / "boto" / "_").exists()


@pytest.mark.slow
def test_minilm_engine_chosen_by_tag(corpus, tmp_path) -> None:
    service = _service(tmp_path)
    service._models.register(text_classifier.SPEC)
    arn = _train(service, _write(tmp_path / "input", corpus), Tags=[{"Key": "aigw:engine", "Value": "minilm"}])
    props = _wait(service, arn, timeout=300)
    assert props.Status == "TRAINED", props.Message
    assert props.ClassifierMetadata.EvaluationMetrics.Accuracy >= 0.7
    restarted = _service(tmp_path)
    restarted._models.register(text_classifier.SPEC)
    classes = restarted.classify_document(Text="Add a handler to the logger.", EndpointArn=arn).Classes
    assert classes[0].Name == "logging"
