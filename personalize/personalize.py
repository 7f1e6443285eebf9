"""Amazon Personalize's control plane, in process: `Personalize().create_dataset_group(name="shop")`.
The runtime and events clients are personalize/runtime.py and personalize/events.py; all three
share one state per data_dir (personalize/state.py)."""

from __future__ import annotations

from personalize.campaigns import CampaignOperations
from core.service import Service


class Personalize(CampaignOperations, Service):
    name = "personalize"
