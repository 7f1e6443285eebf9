"""Comprehend custom classification: train a document classifier from labelled CSV, serve it on an
endpoint, classify text.

A mixin of `Comprehend` (it uses the host's registry, `self._models`, and its settings). Training
runs in a background thread (nlp.comprehend_classifiers_training); classifiers and endpoints live in
a SQLite catalog under `<data_dir>/comprehend/classifiers/`, so they survive restarts.

Engine choice: AWS has no parameter for it, so it travels in a Tag (`aigw:engine` = `tfidf` or
`minilm`), which unmodified boto3 code can send and which AWS itself would accept and ignore; the
site-wide default is the `models.comprehend_custom_classifier.engine` setting, else `tfidf`. A tag,
not an overloaded member like ModelKmsKeyId, because a tag means nothing else to AWS or to us.

Endpoints are bookkeeping: there are no inference units to provision, so an endpoint is IN_SERVICE
as soon as its classifier is TRAINED. ClassifyDocument also takes a classifier's own ARN as its
EndpointArn, which saves creating an endpoint when only this gateway is targeted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TypeVar

from core.arns import arn
from core.errors import InvalidRequest, ResourceInUse, ResourceNotFound, ResourceUnavailable
from core.model_registry import ModelRegistry
from core.paging import offset_page
from core.service import operation
from core.storage import Location, Storage
from nlp.comprehend_checks import check_text
from nlp.comprehend_classifiers_shapes import (
    ClassifyDocumentRequest,
    ClassifyDocumentResponse,
    CreateDocumentClassifierRequest,
    CreateDocumentClassifierResponse,
    CreateEndpointRequest,
    CreateEndpointResponse,
    DescribeDocumentClassifierResponse,
    DescribeEndpointResponse,
    DocumentClass,
    DocumentClassifierArnRequest,
    DocumentClassifierProperties,
    Empty,
    EndpointArnRequest,
    EndpointProperties,
    ListDocumentClassifiersRequest,
    ListDocumentClassifiersResponse,
    ListEndpointsRequest,
    ListEndpointsResponse,
    Tag,
)
from nlp.comprehend_classifiers_store import ClassifierStore, now
from nlp.comprehend_classifiers_training import TrainingJob
from nlp.engines import text_classifier
from nlp.engines.text_classifier import TextClassifier


CLASSIFIER = "document-classifier"
ENDPOINT = "document-classifier-endpoint"
ENGINE_TAG = "aigw:engine"
# AWS's limit for UTF-8 text sent to a custom classifier's endpoint: 10 KB.
MAX_CLASSIFY_TEXT_BYTES = 10_000
_ARN = re.compile(r"^arn:aws[^:]*:comprehend:[^:]*:[^:]*:(document-classifier(?:-endpoint)?)/(.+)$")

Item = TypeVar("Item")


def _resource_id(arn: str, *kinds: str) -> str:
    """`document-classifier/<name>[/version/<v>]` from an ARN of one of `kinds`; ResourceNotFound otherwise."""
    match = _ARN.match(arn)
    if not match or match.group(1) not in kinds:
        raise ResourceNotFound(f"No {' or '.join(kinds)} has the ARN {arn!r}.")
    return f"{match.group(1)}/{match.group(2)}"


class CustomClassificationOperations:
    _models: ModelRegistry

    @functools.cached_property
    def _classifier_store(self) -> ClassifierStore:
        return ClassifierStore(self._models.settings.data_dir / "comprehend" / "classifiers")

    @functools.cached_property
    def _classifier_models(self) -> dict[tuple[str, str], TextClassifier]:
        """Loaded models by (resource id, submit time): a classifier deleted and created again under
        the same name is a different model."""
        return {}

    def _arn(self, resource_id: str) -> str:
        # The gateway has one region setting, S3's; ARNs only need to be stable and well-formed.
        return arn("comprehend", self._models.settings.s3_region, resource_id)

    def _embedder(self) -> Callable[[], text_classifier.Embedder]:
        return lambda: self._models.get(text_classifier.EMBEDDINGS_CAPABILITY)

    def _engine(self, tags: list[Tag]) -> str:
        choice = self._models.settings.models.get(text_classifier.CLASSIFIER_CAPABILITY)
        engine = next((t.Value for t in tags if t.Key == ENGINE_TAG), None) or (choice and choice.engine)
        engine = engine or text_classifier.DEFAULT_ENGINE
        if engine not in text_classifier.ENGINES:
            known = " or ".join(text_classifier.ENGINES)
            raise InvalidRequest(f"Unknown engine {engine!r}; {ENGINE_TAG} takes {known}.")
        return engine

    def _input_files(self, uri: str, member: str) -> list[Location]:
        """Every object under an S3 URI or prefix (or a local file or folder); InvalidRequest when none."""
        try:
            files = list(Storage(self._models.settings).list_keys(uri))
        except ResourceNotFound as exc:
            raise InvalidRequest(f"{member}: {exc.message}") from None
        if not files:
            raise InvalidRequest(f"{member}: no training data at {uri}.")
        return files

    def _classifier(self, arn: str) -> tuple[str, DocumentClassifierProperties]:
        resource_id = _resource_id(arn, CLASSIFIER)
        props = self._classifier_store.classifier(resource_id)
        if props is None:
            raise ResourceNotFound(f"Classifier {arn} does not exist.")
        return resource_id, props

    def _endpoint(self, arn: str) -> tuple[str, EndpointProperties]:
        resource_id = _resource_id(arn, ENDPOINT)
        props = self._classifier_store.endpoint(resource_id)
        if props is None:
            raise ResourceNotFound(f"Endpoint {arn} does not exist.")
        return resource_id, self._endpoint_view(props)

    def _endpoint_view(self, props: EndpointProperties) -> EndpointProperties:
        """An endpoint's status follows its classifier's."""
        model = self._classifier_store.classifier(_resource_id(props.ModelArn, CLASSIFIER))
        if model is not None and model.Status == "TRAINED":
            return props.model_copy(update={"Status": "IN_SERVICE"})
        if model is not None and model.Status in ("SUBMITTED", "TRAINING"):
            return props.model_copy(update={"Status": "CREATING"})
        message = model.Message if model is not None else "Its classifier was deleted."
        return props.model_copy(update={"Status": "FAILED", "Message": message})

    def _serving_model(self, arn: str) -> tuple[DocumentClassifierProperties, TextClassifier]:
        if _resource_id(arn, CLASSIFIER, ENDPOINT).startswith(f"{ENDPOINT}/"):
            arn = self._endpoint(arn)[1].ModelArn
        resource_id, props = self._classifier(arn)
        if props.Status != "TRAINED":
            raise ResourceUnavailable(f"Classifier {arn} is {props.Status}, not TRAINED: it cannot classify yet.")
        key = (resource_id, props.SubmitTime.isoformat())
        model = self._classifier_models.get(key)
        if model is None:
            try:
                model = TextClassifier.load(self._classifier_store.model_folder(resource_id), self._embedder())
            except FileNotFoundError:
                raise ResourceUnavailable(f"The model files of classifier {arn} are missing.") from None
            self._classifier_models[key] = model
        return props, model

    @operation
    def create_document_classifier(
        self, request: CreateDocumentClassifierRequest
    ) -> CreateDocumentClassifierResponse:
        """Start training a classifier from labelled CSV; it is TRAINED (or IN_ERROR, with a Message) when done."""
        config = request.InputDataConfig
        if config.DataFormat != "COMPREHEND_CSV" or not config.S3Uri:
            raise InvalidRequest("Only COMPREHEND_CSV training data, named by InputDataConfig.S3Uri, is supported.")
        engine = self._engine(request.Tags)
        train_files = self._input_files(config.S3Uri, "InputDataConfig.S3Uri")
        test_files = self._input_files(config.TestS3Uri, "InputDataConfig.TestS3Uri") if config.TestS3Uri else []
        name = request.DocumentClassifierName
        resource_id = f"{CLASSIFIER}/{name}" + (f"/version/{request.VersionName}" if request.VersionName else "")
        props = DocumentClassifierProperties(
            DocumentClassifierArn=self._arn(resource_id), LanguageCode=request.LanguageCode, Status="SUBMITTED",
            SubmitTime=now(), InputDataConfig=config, DataAccessRoleArn=request.DataAccessRoleArn,
            Mode=request.Mode, VersionName=request.VersionName,
        )
        if not self._classifier_store.add_classifier(resource_id, props):
            raise ResourceInUse(f"A classifier {resource_id.removeprefix(CLASSIFIER + '/')!r} already exists.")
        TrainingJob(
            resource_id, props, engine, train_files, test_files, self._classifier_store,
            Storage(self._models.settings), self._embedder(),
        ).start()
        return CreateDocumentClassifierResponse(DocumentClassifierArn=props.DocumentClassifierArn)

    @operation
    def describe_document_classifier(
        self, request: DocumentClassifierArnRequest
    ) -> DescribeDocumentClassifierResponse:
        """A classifier's status, training times and, once TRAINED, its evaluation on held-out documents."""
        _, props = self._classifier(request.DocumentClassifierArn)
        return DescribeDocumentClassifierResponse(DocumentClassifierProperties=props)

    @operation
    def list_document_classifiers(self, request: ListDocumentClassifiersRequest) -> ListDocumentClassifiersResponse:
        """Classifiers in order of submission, optionally filtered by status, name or submit time."""
        f = request.Filter
        found = [
            p for p in self._classifier_store.classifiers()
            if f is None or (
                (f.Status is None or p.Status == f.Status)
                and (f.DocumentClassifierName is None
                     or _resource_id(p.DocumentClassifierArn, CLASSIFIER).split("/")[1] == f.DocumentClassifierName)
                and (f.SubmitTimeBefore is None or p.SubmitTime < f.SubmitTimeBefore)
                and (f.SubmitTimeAfter is None or p.SubmitTime > f.SubmitTimeAfter)
            )
        ]
        page, token = offset_page(found, request.NextToken, request.MaxResults, default_size=100)
        return ListDocumentClassifiersResponse(DocumentClassifierPropertiesList=page, NextToken=token)

    @operation
    def delete_document_classifier(self, request: DocumentClassifierArnRequest) -> Empty:
        """Delete a TRAINED or IN_ERROR classifier that no endpoint uses, with its model files."""
        resource_id, props = self._classifier(request.DocumentClassifierArn)
        if props.Status in ("SUBMITTED", "TRAINING"):
            raise ResourceInUse(f"Classifier {props.DocumentClassifierArn} is {props.Status}; delete it when it ends.")
        users = [e.EndpointArn for e in self._classifier_store.endpoints()
                 if _resource_id(e.ModelArn, CLASSIFIER) == resource_id]
        if users:
            raise ResourceInUse(f"Classifier {props.DocumentClassifierArn} is used by endpoint(s) {', '.join(users)}.")
        self._classifier_store.delete_classifier(resource_id)
        self._classifier_models.pop((resource_id, props.SubmitTime.isoformat()), None)
        return Empty()

    @operation(text_in=("Text",))
    def classify_document(self, request: ClassifyDocumentRequest) -> ClassifyDocumentResponse:
        """Classify a text with a trained classifier, through its endpoint (or the classifier's own ARN)."""
        if request.Text is None:
            raise InvalidRequest("Only plain Text is supported; semi-structured Bytes (PDF, Word, images) are not.")
        check_text(request.Text, MAX_CLASSIFY_TEXT_BYTES)
        props, model = self._serving_model(request.EndpointArn)
        scores = model.scores([request.Text])[0]
        ranked = sorted(
            (DocumentClass(Name=name, Score=float(score)) for name, score in zip(model.labels, scores)),
            key=lambda c: c.Score, reverse=True,
        )
        # MULTI_LABEL lists every label with its own score: the caller picks its threshold
        # (the evaluation metrics use 0.5).
        if props.Mode == "MULTI_LABEL":
            return ClassifyDocumentResponse(Labels=ranked)
        return ClassifyDocumentResponse(Classes=ranked)

    @operation
    def create_endpoint(self, request: CreateEndpointRequest) -> CreateEndpointResponse:
        """Create an endpoint for a classifier; it is IN_SERVICE once the classifier is TRAINED."""
        if request.ModelArn is None:
            raise InvalidRequest("ModelArn is required: flywheels are not supported.")
        _, model = self._classifier(request.ModelArn)
        if model.Status == "IN_ERROR":
            raise ResourceUnavailable(f"Classifier {request.ModelArn} is IN_ERROR: {model.Message}")
        resource_id = f"{ENDPOINT}/{request.EndpointName}"
        created = now()
        props = EndpointProperties(
            EndpointArn=self._arn(resource_id), Status="CREATING", ModelArn=model.DocumentClassifierArn,
            DesiredInferenceUnits=request.DesiredInferenceUnits, CurrentInferenceUnits=request.DesiredInferenceUnits,
            CreationTime=created, LastModifiedTime=created, DataAccessRoleArn=request.DataAccessRoleArn,
        )
        if not self._classifier_store.add_endpoint(resource_id, props):
            raise ResourceInUse(f"An endpoint named {request.EndpointName!r} already exists.")
        return CreateEndpointResponse(EndpointArn=props.EndpointArn, ModelArn=props.ModelArn)

    @operation
    def describe_endpoint(self, request: EndpointArnRequest) -> DescribeEndpointResponse:
        """An endpoint's status and the classifier it serves."""
        return DescribeEndpointResponse(EndpointProperties=self._endpoint(request.EndpointArn)[1])

    @operation
    def list_endpoints(self, request: ListEndpointsRequest) -> ListEndpointsResponse:
        """Endpoints in order of creation, optionally filtered by classifier, status or creation time."""
        f = request.Filter
        found = [
            e for e in map(self._endpoint_view, self._classifier_store.endpoints())
            if f is None or (
                (f.ModelArn is None or e.ModelArn == f.ModelArn)
                and (f.Status is None or e.Status == f.Status)
                and (f.CreationTimeBefore is None or e.CreationTime < f.CreationTimeBefore)
                and (f.CreationTimeAfter is None or e.CreationTime > f.CreationTimeAfter)
            )
        ]
        page, token = offset_page(found, request.NextToken, request.MaxResults, default_size=100)
        return ListEndpointsResponse(EndpointPropertiesList=page, NextToken=token)

    @operation
    def delete_endpoint(self, request: EndpointArnRequest) -> Empty:
        """Delete an endpoint; its classifier stays."""
        resource_id, _ = self._endpoint(request.EndpointArn)
        self._classifier_store.delete_endpoint(resource_id)
        return Empty()
