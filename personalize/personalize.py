"""Amazon Personalize's control plane, in process: `Personalize().create_dataset_group(name="shop")`.
The runtime and events clients are personalize/runtime.py and personalize/events.py; all three
share one state per data_dir (personalize/state.py). Batch inference jobs run on the gateway's job
engine (gateway/jobs/aws_personalize.py), each input file through `recommend_json_lines`."""

from __future__ import annotations

from core.service import Service
from personalize.batch_inference import BatchInferenceOperations


class Personalize(BatchInferenceOperations, Service):
    name = "personalize"
