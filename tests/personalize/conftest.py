"""Interactions with a known structure: three genres of 30 items, each user mostly watching one
genre's popular titles; one drama surging at the very end (trending); one comedy nobody has seen
(cold); horror watched mostly on mobile, comedy mostly on desktop (the DEVICE context). Recommendations
can then be checked for what they should contain, not just that they came."""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from core.model_registry import ModelRegistry
from core.settings import Settings
from gateway.jobs.aws_adapters import with_job_operations
from personalize import Personalize, PersonalizeEvents, PersonalizeRuntime

GENRES = {"c": "Comedy", "h": "Horror", "d": "Drama"}
ITEMS_PER_GENRE = 30
USERS = 60
EVENTS_PER_USER = 20
START = 1_700_000_000
TRENDING = "d30"  # the least popular drama, until its late surge
COLD = "c99"  # in the Items dataset, never interacted with
RECIPES = ["aws-user-personalization", "aws-similar-items", "aws-personalized-ranking", "aws-popularity-count",
           "aws-trending-now"]
UNFINISHED = ("CREATE PENDING", "CREATE IN_PROGRESS")
TIMEOUT_S = 60

INTERACTIONS_SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
               {"name": "DEVICE", "type": ["null", "string"], "categorical": True}]})
ITEMS_SCHEMA = json.dumps({
    "type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
    "fields": [{"name": "ITEM_ID", "type": "string"},
               {"name": "GENRES", "type": ["null", "string"], "categorical": True},
               {"name": "PRICE", "type": ["null", "double"]}]})


def genre_of(item: str) -> str:
    return GENRES[item[0]]


def user_genre(user: str) -> str:
    return list(GENRES.values())[int(user[1:]) % 3]


@dataclass
class Data:
    interactions: list[tuple[str, str, int, str]]  # USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE
    items: list[tuple[str, str, float]]  # ITEM_ID, GENRES, PRICE
    devices: list[str]  # the DEVICE of each interaction

    def write(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        rows = [(*row, device) for row, device in zip(self.interactions, self.devices)]
        return (_csv(folder / "interactions.csv", ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "DEVICE"], rows),
                _csv(folder / "items.csv", ["ITEM_ID", "GENRES", "PRICE"], self.items))

    def seen(self, user: str) -> set[str]:
        return {item for u, item, _, _ in self.interactions if u == user}


def _csv(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_data(seed: int = 7) -> Data:
    rng = np.random.default_rng(seed)
    catalogue = {prefix: [f"{prefix}{n:02d}" for n in range(1, ITEMS_PER_GENRE + 1)] for prefix in GENRES}
    weights = 1.0 / np.arange(1, ITEMS_PER_GENRE + 1)
    rows = []
    for n in range(USERS):
        user = f"u{n:02d}"
        own = list(GENRES)[n % 3]
        picks = list(rng.choice(catalogue[own][:-1], 17, replace=False, p=(weights[:-1] / weights[:-1].sum())))
        others = [p for p in GENRES if p != own]
        picks += [rng.choice(catalogue[others[k % 2]][:10]) for k in range(EVENTS_PER_USER - 17)]
        for item in picks:
            rows.append([user, str(item), 0, "purchase" if rng.random() < 0.2 else "click"])
    order = rng.permutation(len(rows))
    for ts, index in enumerate(order):
        rows[index][2] = START + 60 * int(ts)
    end = START + 60 * len(rows)
    # The surge: many users, all within the last few minutes.
    rows += [[f"u{n:02d}", TRENDING, end + 10 * n, "click"] for n in range(0, USERS, 2)]
    items = [(item, genre_of(item), float(10 + k)) for prefix in GENRES for k, item in enumerate(catalogue[prefix])]
    items.append((COLD, "Comedy", 5.0))
    # Drawn apart from the rest, so the interactions are the same with or without devices.
    on_mobile = {"Horror": 0.85, "Comedy": 0.15, "Drama": 0.5}
    draws = np.random.default_rng(seed + 1).random(len(rows))
    devices = ["mobile" if draw < on_mobile[genre_of(row[1])] else "desktop" for row, draw in zip(rows, draws)]
    return Data([tuple(r) for r in rows], items, devices)


@pytest.fixture(scope="session")
def data() -> Data:
    return make_data()


def wait_for(describe, timeout: float = TIMEOUT_S):
    """Poll a Describe call (returning an object with .status) until the resource is no longer pending."""
    deadline = time.monotonic() + timeout
    while True:
        found = describe()
        status = found["status"] if isinstance(found, dict) else found.status
        if status not in UNFINISHED:
            return found
        assert time.monotonic() < deadline, f"still {status} after {timeout}s"
        time.sleep(0.1)


def recipe_arn(name: str) -> str:
    return f"arn:aws:personalize:::recipe/{name}"


@dataclass
class World:
    root: Path
    control: Personalize
    runtime: PersonalizeRuntime
    events: PersonalizeEvents
    group: str
    interactions: str
    items: str
    versions: dict[str, str]
    campaigns: dict[str, str]
    tracking_id: str

    def recommend(self, recipe: str, **query) -> list[str]:
        answer = self.runtime.get_recommendations(campaign_arn=self.campaigns[recipe], **query)
        return [item.itemId for item in answer.itemList]


def clients(root: Path) -> tuple[Personalize, PersonalizeRuntime, PersonalizeEvents]:
    """The control plane as the gateway serves it: with its batch inference jobs (on the job engine), which
    may read and write local folders beside `root`."""
    models = ModelRegistry(Settings(data_dir=root, jobs={"local_roots": [root.parent]}))
    control = with_job_operations(Personalize)(models)
    return control, PersonalizeRuntime(models), PersonalizeEvents(models)  # type: ignore[return-value]


def import_csv(control: Personalize, dataset: str, name: str, location: Path):
    job = control.create_dataset_import_job(job_name=name, dataset_arn=dataset,
                                            data_source={"dataLocation": str(location)}).datasetImportJobArn
    return wait_for(lambda: control.describe_dataset_import_job(job).datasetImportJob)


@pytest.fixture(scope="module")  # one per test module: each changes it (events, items, campaigns)
def world(tmp_path_factory: pytest.TempPathFactory, data: Data) -> World:
    root = tmp_path_factory.mktemp("personalize")
    interactions_csv, items_csv = data.write(root / "csv")
    control, runtime, events = clients(root / "data")
    group = control.create_dataset_group(name="films").datasetGroupArn
    schemas = {name: control.create_schema(name=f"films-{name}", schema=text).schemaArn
               for name, text in (("Interactions", INTERACTIONS_SCHEMA), ("Items", ITEMS_SCHEMA))}
    datasets = {kind: control.create_dataset(name=f"films-{kind}", dataset_group_arn=group, dataset_type=kind,
                                             schema_arn=schemas[kind]).datasetArn for kind in schemas}
    assert import_csv(control, datasets["Interactions"], "films-interactions", interactions_csv).status == "ACTIVE"
    assert import_csv(control, datasets["Items"], "films-items", items_csv).status == "ACTIVE"
    versions, campaigns = {}, {}
    for recipe in RECIPES:
        solution = control.create_solution(name=f"films-{recipe}", dataset_group_arn=group,
                                           recipe_arn=recipe_arn(recipe)).solutionArn
        versions[recipe] = control.create_solution_version(solution_arn=solution).solutionVersionArn
    for recipe, version in versions.items():
        done = wait_for(lambda: control.describe_solution_version(version).solutionVersion)
        assert done.status == "ACTIVE", done.failureReason
        config = {"itemExplorationConfig": {"explorationWeight": "0"}} if recipe == "aws-user-personalization" else None
        campaigns[recipe] = control.create_campaign(name=f"films-{recipe}", solution_version_arn=version,
                                                    campaign_config=config).campaignArn
    tracking_id = control.create_event_tracker(name="films-tracker", dataset_group_arn=group).trackingId
    return World(root, control, runtime, events, group, datasets["Interactions"], datasets["Items"], versions,
                 campaigns, tracking_id)


def train_campaign(control: Personalize, group: str, name: str, recipe: str, config: dict | None = None) -> str:
    solution = control.create_solution(name=name, dataset_group_arn=group, recipe_arn=recipe_arn(recipe),
                                       solution_config=config).solutionArn
    version = control.create_solution_version(solution_arn=solution).solutionVersionArn
    done = wait_for(lambda: control.describe_solution_version(version).solutionVersion)
    assert done.status == "ACTIVE", done.failureReason
    return control.create_campaign(name=name, solution_version_arn=version).campaignArn
