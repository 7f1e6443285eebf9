"""Interactions with a known structure: three genres of 30 items, each user mostly watching one
genre's popular titles; one drama surging at the very end (trending); one comedy nobody has seen
(cold). Recommendations can then be checked for what they should contain, not just that they came."""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

GENRES = {"c": "Comedy", "h": "Horror", "d": "Drama"}
ITEMS_PER_GENRE = 30
USERS = 60
EVENTS_PER_USER = 20
START = 1_700_000_000
TRENDING = "d30"  # the least popular drama, until its late surge
COLD = "c99"  # in the Items dataset, never interacted with
UNFINISHED = ("CREATE PENDING", "CREATE IN_PROGRESS")
TIMEOUT_S = 60

INTERACTIONS_SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]})
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

    def write(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        return (_csv(folder / "interactions.csv", ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"], self.interactions),
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
    return Data([tuple(r) for r in rows], items)


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
