"""Kendra through a real gateway: boto3's `kendra` client (AWS door), the REST door with JSON and the
SDK; data sources syncing an S3 bucket (moto) and a local folder, with sidecar metadata, inclusion and
exclusion patterns, and incremental re-syncs."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from core.errors import ResourceNotFound
from gateway.client import Client
from tests.documents import kendra_corpus as corpus

pytestmark = pytest.mark.skipif(not corpus.LICENCES.is_dir(), reason="no licence texts on this machine")
TIMEOUT_S = 180


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kendra-folder")


@pytest.fixture(scope="module")
def door(start_gateway, s3_server, folder):
    return start_gateway(s3_endpoint_url=s3_server.endpoint_url, jobs={"local_roots": [str(folder)]})


@pytest.fixture(scope="module")
def client(door, aws_client):
    return aws_client("kendra", door.url)


@pytest.fixture(scope="module")
def index(client) -> str:
    index_id = client.create_index(Name="gateway-licences", RoleArn="arn:aws:iam::000000000000:role/kendra")["Id"]
    deadline = time.monotonic() + TIMEOUT_S
    while client.describe_index(Id=index_id)["Status"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    client.update_index(Id=index_id, DocumentMetadataConfigurationUpdates=[
        {"Name": "team", "Type": "STRING_VALUE", "Search": {"Facetable": True, "Displayable": True}},
        {"Name": "pages", "Type": "LONG_VALUE", "Search": {"Sortable": True}}])
    return index_id


def _wait_sync(client, index_id: str, source_id: str, execution_id: str) -> dict:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        history = client.list_data_source_sync_jobs(Id=source_id, IndexId=index_id)["History"]
        job = next(j for j in history if j["ExecutionId"] == execution_id)
        if job["Status"] != "SYNCING":
            return job
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_boto3_documents_query_and_errors(client, index, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="kendra-gateway")
    s3.put_object(Bucket="kendra-gateway", Key="apache.html",
                  Body=corpus.html("Apache License", corpus.paragraphs("Apache-2.0", 4)))
    reply = client.batch_put_document(IndexId=index, Documents=[
        {"Id": "gpl", "Blob": "\n\n".join(corpus.paragraphs("GPL-3", 3)).encode(), "ContentType": "PLAIN_TEXT",
         "Title": "GNU GPL", "Attributes": [{"Key": "team", "Value": {"StringValue": "legal"}},
                                            {"Key": "pages", "Value": {"LongValue": 12}}]},
        {"Id": "apache", "S3Path": {"Bucket": "kendra-gateway", "Key": "apache.html"}, "ContentType": "HTML",
         "Attributes": [{"Key": "team", "Value": {"StringValue": "platform"}}],
         "AccessControlList": [{"Name": "platform", "Type": "GROUP", "Access": "ALLOW"}]},
        {"Id": "bad", "Blob": b"%PDF-1.4 broken", "ContentType": "PDF"}])
    assert [(f["Id"], f["ErrorCode"]) for f in reply["FailedDocuments"]] == [("bad", "InvalidRequest")]

    result = client.query(IndexId=index, QueryText="What is the Legal Entity in the Apache license?",
                          Facets=[{"DocumentAttributeKey": "team"}],
                          UserContext={"UserId": "dana", "Groups": ["platform"]})
    documents = [i for i in result["ResultItems"] if i["Type"] == "DOCUMENT"]
    assert documents[0]["DocumentId"] == "apache" and documents[0]["DocumentExcerpt"]["Highlights"]
    assert {"Key": "team", "Value": {"StringValue": "platform"}} in documents[0]["DocumentAttributes"]
    assert result["ResultItems"][0]["Type"] == "ANSWER"
    outsider = client.query(IndexId=index, QueryText="What is the Legal Entity in the Apache license?",
                            Facets=[{"DocumentAttributeKey": "team"}], UserContext={"UserId": "eve"})
    assert "apache" not in {i.get("DocumentId") for i in outsider["ResultItems"]}
    assert [p["DocumentAttributeValue"]["StringValue"] for p in
            outsider["FacetResults"][0]["DocumentAttributeValueCountPairs"]] == ["legal"]
    filtered = client.query(IndexId=index, QueryText="license", AttributeFilter={
        "GreaterThan": {"Key": "pages", "Value": {"LongValue": 10}}})
    assert {i["DocumentId"] for i in filtered["ResultItems"]} == {"gpl"}

    passages = client.retrieve(IndexId=index, QueryText="free software copyleft", PageSize=5)["ResultItems"]
    assert passages[0]["DocumentId"] == "gpl" and passages[0]["ScoreAttributes"]["ScoreConfidence"]
    clicked = documents[0]["Id"]
    client.submit_feedback(IndexId=index, QueryId=result["QueryId"],
                           ClickFeedbackItems=[{"ResultId": clicked, "ClickTime": time.time()}])
    assert client.get_query_suggestions(IndexId=index, QueryText="what is")["Suggestions"][0]["Value"]["Text"][
        "Text"].startswith("what is the legal entity")
    statuses = client.batch_get_document_status(IndexId=index, DocumentInfoList=[{"DocumentId": "gpl"}])
    assert statuses["DocumentStatusList"] == [{"DocumentId": "gpl", "DocumentStatus": "INDEXED"}]

    for call, code, status in (
        (lambda: client.query(IndexId="f" * 36, QueryText="x"), "ResourceNotFoundException", 404),
        (lambda: client.query(IndexId=index, QueryText="x" * 10_000), "ValidationException", 400),
        (lambda: client.describe_index(Id="0" * 36), "ResourceNotFoundException", 404),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == code
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_s3_data_source_syncs_incrementally(client, index, s3_server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="kendra-source")
    texts = {name: "\n\n".join(corpus.paragraphs(name, 2)) for name in ("BSD", "MPL-2.0", "Artistic", "CC0-1.0")}
    s3.put_object(Bucket="kendra-source", Key="docs/bsd.txt", Body=texts["BSD"].encode())
    s3.put_object(Bucket="kendra-source", Key="docs/mpl.md", Body=texts["MPL-2.0"].encode())
    s3.put_object(Bucket="kendra-source", Key="docs/draft/artistic.txt", Body=texts["Artistic"].encode())
    s3.put_object(Bucket="kendra-source", Key="meta/docs/bsd.txt.metadata.json", Body=json.dumps({
        "DocumentId": "bsd-licence", "Title": "The BSD licence", "Attributes": {"team": "legal", "pages": 1}}).encode())
    source = client.create_data_source(IndexId=index, Name="bucket", Type="S3", Configuration={"S3Configuration": {
        "BucketName": "kendra-source", "InclusionPrefixes": ["docs/"], "ExclusionPatterns": ["*/draft/*"],
        "DocumentsMetadataConfiguration": {"S3Prefix": "meta"}}})["Id"]
    assert client.describe_data_source(Id=source, IndexId=index)["Status"] == "ACTIVE"
    first = _wait_sync(client, index, source, client.start_data_source_sync_job(Id=source, IndexId=index)["ExecutionId"])
    assert first["Status"] == "SUCCEEDED", first
    assert (first["Metrics"]["DocumentsAdded"], first["Metrics"]["DocumentsScanned"]) == ("2", "2")
    hit = next(i for i in client.query(IndexId=index, QueryText="redistribution in binary form")["ResultItems"]
               if i["Type"] == "DOCUMENT")
    assert hit["DocumentId"] == "bsd-licence" and hit["DocumentTitle"]["Text"] == "The BSD licence"
    assert hit["DocumentURI"] == "s3://kendra-source/docs/bsd.txt"

    s3.put_object(Bucket="kendra-source", Key="docs/mpl.md", Body=texts["CC0-1.0"].encode())  # changed
    s3.delete_object(Bucket="kendra-source", Key="docs/bsd.txt")  # gone
    second = _wait_sync(client, index, source, client.start_data_source_sync_job(Id=source, IndexId=index)["ExecutionId"])
    metrics = second["Metrics"]
    assert (metrics["DocumentsAdded"], metrics["DocumentsModified"], metrics["DocumentsDeleted"]) == ("0", "1", "1")
    assert client.batch_get_document_status(IndexId=index, DocumentInfoList=[{"DocumentId": "bsd-licence"}])[
        "DocumentStatusList"][0]["DocumentStatus"] == "NOT_FOUND"
    unchanged = _wait_sync(client, index, source,
                           client.start_data_source_sync_job(Id=source, IndexId=index)["ExecutionId"])["Metrics"]
    assert (unchanged["DocumentsModified"], unchanged["DocumentsScanned"]) == ("0", "1")
    assert len(client.list_data_source_sync_jobs(Id=source, IndexId=index)["History"]) == 3


def test_local_folder_data_source(client, index, folder) -> None:
    (folder / "keep").mkdir()
    (folder / "keep" / "lgpl.txt").write_text("\n\n".join(corpus.paragraphs("LGPL-2.1", 2)))
    (folder / "keep" / "lgpl.txt.metadata.json").write_text(json.dumps({"Attributes": {"team": "libraries"}}))
    (folder / "keep" / "notes.log").write_text("not a document to index")
    source = client.create_data_source(IndexId=index, Name="folder", Type="TEMPLATE", Configuration={
        "TemplateConfiguration": {"Template": {"type": "FILESYSTEM", "connectionConfiguration": {
            "repositoryEndpointMetadata": {"folderPath": str(folder)}},
            "additionalProperties": {"inclusionPatterns": ["*.txt"]}}}})["Id"]
    job = _wait_sync(client, index, source, client.start_data_source_sync_job(Id=source, IndexId=index)["ExecutionId"])
    assert job["Status"] == "SUCCEEDED" and job["Metrics"]["DocumentsAdded"] == "1"
    hit = client.query(IndexId=index, QueryText="Lesser General Public License for libraries",
                       AttributeFilter={"EqualsTo": {"Key": "team", "Value": {"StringValue": "libraries"}}})
    assert [i["DocumentURI"] for i in hit["ResultItems"] if i["Type"] == "DOCUMENT"] == [str(folder / "keep/lgpl.txt")]
    with pytest.raises(ClientError) as outside:
        client.create_data_source(IndexId=index, Name="etc", Type="TEMPLATE", Configuration={
            "TemplateConfiguration": {"Template": {"type": "FILESYSTEM", "connectionConfiguration": {
                "repositoryEndpointMetadata": {"folderPath": "/etc"}}}}})
    assert outside.value.response["Error"]["Code"] == "ValidationException"
    assert [s["Name"] for s in client.list_data_sources(IndexId=index)["SummaryItems"]] == ["bucket", "folder"]


def test_rest_door_and_sdk(door, index) -> None:
    reply = httpx.post(f"{door.url}/v1/kendra/batch-put-document", timeout=120, json={
        "IndexId": index, "Documents": [{"Id": "rest-note", "ContentType": "PLAIN_TEXT", "Blob": base64.b64encode(
            b"The gateway answers REST requests with JSON bodies about licences.").decode()}]})
    assert reply.status_code == 200 and reply.json()["FailedDocuments"] == []
    found = httpx.post(f"{door.url}/v1/kendra/query", timeout=60,
                       json={"IndexId": index, "QueryText": "REST requests with JSON bodies"})
    assert found.status_code == 200
    assert [i["DocumentId"] for i in found.json()["ResultItems"] if i["Type"] == "DOCUMENT"][0] == "rest-note"
    missing = httpx.post(f"{door.url}/v1/kendra/describe-index", json={"Id": "0" * 36})
    assert missing.status_code == 404 and "ResourceNotFoundException" in missing.text
    with Client(door.url) as sdk:
        passages = sdk.kendra.retrieve(index_id=index, query_text="REST requests with JSON bodies").ResultItems
        assert passages[0].DocumentId == "rest-note"
        with pytest.raises(ResourceNotFound):
            sdk.kendra.describe_index(id="0" * 36)
