"""Personalize through a real gateway: the three boto3 clients against the AWS door (json and
rest-json), a dataset imported from moto S3, the REST door with JSON, and the SDK."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import httpx
import pytest
from botocore.exceptions import ClientError

from gateway.catalog import ServiceCatalog
from gateway.client import Client
from personalize import Personalize, PersonalizeEvents, PersonalizeRuntime
from tests.personalize.conftest import (
    INTERACTIONS_SCHEMA,
    ITEMS_SCHEMA,
    Data,
    genre_of,
    recipe_arn,
    user_genre,
    wait_for,
)

BUCKET = "personalize-data"


@dataclass
class Served:
    url: str
    control: object  # boto3 clients
    runtime: object
    events: object
    group: str
    items_dataset: str
    version: str
    campaign: str
    tracking_id: str


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def served(start_gateway, aws_client, s3_server, data: Data, tmp_path_factory: pytest.TempPathFactory) -> Served:
    catalog = ServiceCatalog([Personalize(), PersonalizeRuntime(), PersonalizeEvents()])
    gateway = start_gateway(catalog=catalog, s3_endpoint_url=s3_server.endpoint_url)
    interactions_csv, items_csv = data.write(tmp_path_factory.mktemp("csv"))
    s3 = s3_server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="films/interactions.csv", Body=interactions_csv.read_bytes())
    s3.put_object(Bucket=BUCKET, Key="films/items.csv", Body=items_csv.read_bytes())
    control = aws_client("personalize", gateway.url)
    group = control.create_dataset_group(name="boto-films")["datasetGroupArn"]
    datasets = {}
    for kind, schema, key in (("Interactions", INTERACTIONS_SCHEMA, "interactions"), ("Items", ITEMS_SCHEMA, "items")):
        schema_arn = control.create_schema(name=f"boto-{key}", schema=schema)["schemaArn"]
        datasets[kind] = control.create_dataset(name=f"boto-{key}", datasetGroupArn=group, datasetType=kind,
                                                schemaArn=schema_arn)["datasetArn"]
        job = control.create_dataset_import_job(
            jobName=f"boto-{key}", datasetArn=datasets[kind], roleArn="arn:aws:iam::000000000000:role/p",
            dataSource={"dataLocation": f"s3://{BUCKET}/films/{key}.csv"})["datasetImportJobArn"]
        done = wait_for(lambda: control.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"])
        assert done["status"] == "ACTIVE", done.get("failureReason")
    solution = control.create_solution(name="boto-up", datasetGroupArn=group,
                                       recipeArn=recipe_arn("aws-user-personalization"))["solutionArn"]
    version = control.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    done = wait_for(lambda: control.describe_solution_version(solutionVersionArn=version)["solutionVersion"])
    assert done["status"] == "ACTIVE", done.get("failureReason")
    campaign = control.create_campaign(name="boto-up", solutionVersionArn=version,
                                       campaignConfig={"itemExplorationConfig": {"explorationWeight": "0"}})
    tracking_id = control.create_event_tracker(name="boto-tracker", datasetGroupArn=group)["trackingId"]
    return Served(gateway.url, control, aws_client("personalize-runtime", gateway.url),
                  aws_client("personalize-events", gateway.url), group, datasets["Items"], version,
                  campaign["campaignArn"], tracking_id)


def test_control_plane_through_boto3(served: Served) -> None:
    control = served.control
    group = control.describe_dataset_group(datasetGroupArn=served.group)["datasetGroup"]
    assert group["status"] == "ACTIVE" and isinstance(group["creationDateTime"], datetime)
    assert [d["datasetType"] for d in control.list_datasets(datasetGroupArn=served.group)["datasets"]] == [
        "Interactions", "Items"]
    recipes = {r["name"] for r in control.list_recipes()["recipes"]}
    assert {"aws-user-personalization", "aws-similar-items", "aws-trending-now"} <= recipes
    metrics = control.get_solution_metrics(solutionVersionArn=served.version)["metrics"]
    assert 0 < metrics["coverage"] <= 1 and "normalized_discounted_cumulative_gain_at_10" in metrics
    assert control.describe_campaign(campaignArn=served.campaign)["campaign"]["status"] == "ACTIVE"
    assert [c["campaignArn"] for c in control.list_campaigns()["campaigns"]] == [served.campaign]


def test_runtime_and_events_through_boto3(served: Served, data: Data) -> None:
    items = served.runtime.get_recommendations(campaignArn=served.campaign, userId="u00", numResults=5)["itemList"]
    assert len(items) == 5 and not {i["itemId"] for i in items} & data.seen("u00")
    assert sum(genre_of(i["itemId"]) == user_genre("u00") for i in items) >= 4
    # A new visitor: popular items first, then, right after three horror clicks, horror.
    assert served.runtime.get_recommendations(campaignArn=served.campaign, userId="boto-visitor")["itemList"]
    now = datetime.now(timezone.utc)
    answer = served.events.put_events(trackingId=served.tracking_id, userId="boto-visitor", sessionId="s1",
                                      eventList=[{"eventType": "click", "itemId": i, "sentAt": now}
                                                 for i in ("h01", "h03", "h05")])
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = served.runtime.get_recommendations(campaignArn=served.campaign, userId="boto-visitor",
                                               numResults=10)["itemList"]
    assert sum(genre_of(i["itemId"]) == "Horror" for i in after) >= 6
    served.events.put_items(datasetArn=served.items_dataset,
                            items=[{"itemId": "h02", "properties": '{"genres": "Horror", "price": 3.5}'}])


def test_filters_through_boto3(served: Served, data: Data) -> None:
    prices = {item: price for item, _, price in data.items} | {"h02": 3.5}  # as PutItems left it
    cheap = served.control.create_filter(name="boto-cheap", datasetGroupArn=served.group,
                                         filterExpression="INCLUDE ItemID WHERE Items.PRICE <= 12")["filterArn"]
    items = served.runtime.get_recommendations(campaignArn=served.campaign, userId="u05", numResults=20,
                                               filterArn=cheap)["itemList"]
    assert len(items) >= 5 and all(prices[i["itemId"]] <= 12 for i in items)
    with pytest.raises(ClientError) as excinfo:
        served.control.create_filter(name="boto-broken", datasetGroupArn=served.group,
                                     filterExpression="EXCLUDE ItemID WHERE Items.PRICE <")
    assert _code(excinfo) == "InvalidInputException"


def test_aws_errors_through_boto3(served: Served) -> None:
    control, runtime, events = served.control, served.runtime, served.events
    with pytest.raises(ClientError) as excinfo:
        control.describe_campaign(campaignArn="arn:aws:personalize:local:000000000000:campaign/none")
    assert _code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        control.create_schema(name="boto-bad", schema='{"type": "string"}')
    assert _code(excinfo) == "InvalidInputException"
    with pytest.raises(ClientError) as excinfo:
        runtime.get_recommendations(campaignArn="arn:aws:personalize:local:000000000000:campaign/none", userId="u")
    assert _code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        runtime.get_recommendations(campaignArn=served.campaign, userId="u00", numResults=501)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as excinfo:
        events.put_events(trackingId="unknown", sessionId="s", eventList=[
            {"eventType": "click", "itemId": "c01", "sentAt": datetime.now(timezone.utc)}])
    assert _code(excinfo) == "InvalidInputException"
    solution = control.create_solution(name="boto-untrained", datasetGroupArn=served.group,
                                       recipeArn=recipe_arn("aws-popularity-count"))["solutionArn"]
    with pytest.raises(ClientError) as excinfo:
        control.create_campaign(name="boto-untrained", solutionVersionArn=f"{solution}/00000000")
    assert _code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        control.create_dataset_group(name="boto-films")
    assert _code(excinfo) == "ResourceAlreadyExistsException"


def test_rest_door_and_sdk(served: Served) -> None:
    answer = httpx.post(f"{served.url}/v1/personalize-runtime/get-recommendations",
                        json={"campaignArn": served.campaign, "userId": "u01", "numResults": 3})
    assert answer.status_code == 200, answer.text
    items = answer.json()["itemList"]
    assert len(items) == 3 and all(genre_of(i["itemId"]) == user_genre("u01") for i in items)
    described = httpx.post(f"{served.url}/v1/personalize/describe-campaign", json={"campaignArn": served.campaign})
    assert described.json()["campaign"]["solutionVersionArn"] == served.version
    missing = httpx.post(f"{served.url}/v1/personalize/describe-campaign", json={"campaignArn": "nope"})
    assert missing.status_code == 404 and "ResourceNotFoundException" in missing.text
    with Client(served.url) as client:
        result = client.personalize_runtime.get_recommendations(campaign_arn=served.campaign, user_id="u02",
                                                                num_results=3)
        assert all(genre_of(i.itemId) == user_genre("u02") for i in result.itemList)
        groups = client.personalize.list_dataset_groups().datasetGroups
        assert [g.name for g in groups] == ["boto-films"]


def test_context_through_boto3(served: Served) -> None:
    def genres(context: dict[str, str]) -> list[str]:
        items = served.runtime.get_recommendations(campaignArn=served.campaign, userId="u01", numResults=10,
                                                   context=context)["itemList"]
        return [genre_of(i["itemId"]) for i in items]

    on_mobile, on_desktop = genres({"DEVICE": "mobile"}), genres({"DEVICE": "desktop"})
    assert on_mobile.count("Horror") > on_desktop.count("Horror"), (on_mobile, on_desktop)
    assert on_desktop.count("Comedy") > on_mobile.count("Comedy"), (on_mobile, on_desktop)
    assert genres({"DEVICE": "television"}) == genres({})  # a value training never saw changes nothing
    with pytest.raises(ClientError) as excinfo:  # keys are field names: the door checks botocore's pattern
        genres({"not a field!": "x"})
    assert _code(excinfo) == "ValidationException" and "pattern" in excinfo.value.response["Error"]["Message"]


def test_new_items_through_boto3(served: Served) -> None:
    served.events.put_items(datasetArn=served.items_dataset, items=[
        {"itemId": "h-boto", "properties": '{"genres": "Horror"}'},
        {"itemId": "c-boto", "properties": '{"genres": "Comedy"}'}])
    explore = served.control.create_campaign(
        name="boto-explore", solutionVersionArn=served.version,
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.3"}})["campaignArn"]
    for user, fits, other in (("u01", "h-boto", "c-boto"), ("u00", "c-boto", "h-boto")):
        items = [i["itemId"] for i in served.runtime.get_recommendations(campaignArn=explore, userId=user,
                                                                         numResults=25)["itemList"]]
        assert fits in items[:10] and (other not in items or items.index(other) > items.index(fits)), (user, items)
    solution = served.control.create_solution(name="boto-similar", datasetGroupArn=served.group,
                                              recipeArn=recipe_arn("aws-similar-items"))["solutionArn"]
    version = served.control.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    done = wait_for(lambda: served.control.describe_solution_version(solutionVersionArn=version)["solutionVersion"])
    assert done["status"] == "ACTIVE", done.get("failureReason")
    similar = served.control.create_campaign(name="boto-similar", solutionVersionArn=version)["campaignArn"]
    # Trained after PutItems, this version knows h-boto: PutItems again for one it has never seen.
    served.events.put_items(datasetArn=served.items_dataset,
                            items=[{"itemId": "c-later", "properties": '{"genres": "Comedy"}'}])
    items = served.runtime.get_recommendations(campaignArn=similar, itemId="c-later", numResults=10)["itemList"]
    assert len(items) == 10 and all(genre_of(i["itemId"]) == "Comedy" for i in items), items
