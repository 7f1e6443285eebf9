"""The one state the three Personalize clients share (control plane, runtime, events): its store,
its job runner and the trained models loaded so far, one per data_dir in a process. Settings are read
per call, as the gateway configures them after services are built."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from core.model_registry import ModelRegistry
from core.service_jobs import JobRunner, JobStore
from personalize.store import Store

if TYPE_CHECKING:  # numpy and scipy load with the first model, not with the package
    from personalize.model import Model


class PersonalizeState:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = Store(root / "personalize.sqlite3")
        self.runner = JobRunner()
        self.jobs: JobStore = self.runner.store(root / "jobs.sqlite3")
        self._models: dict[str, Model] = {}
        # Campaign ARN -> how it serves: read from the store once, dropped when the campaign changes.
        self.servings: dict[str, object] = {}
        # (version, new items served, exploration, items generation) -> Catalogue (personalize/recommend.py),
        # oldest first.
        self.catalogues: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def model_path(self, version_id: str) -> Path:
        return self.root / "models" / f"{version_id}.npz"

    def metrics_path(self, version_id: str) -> Path:
        return self.root / "models" / f"{version_id}.metrics.json"

    def model(self, version_id: str) -> Model:
        """A trained model, loaded once per process (a campaign's every request reuses it)."""
        from personalize.model import Model

        with self._lock:
            model = self._models.get(version_id)
            if model is None:
                model = self._models[version_id] = Model.load(self.model_path(version_id))
            return model


_STATES: dict[Path, PersonalizeState] = {}
_LOCK = threading.Lock()


def state_of(models: ModelRegistry) -> PersonalizeState:
    root = (models.settings.data_dir / "personalize").resolve()
    with _LOCK:
        state = _STATES.get(root)
        if state is None:
            state = _STATES[root] = PersonalizeState(root)
        return state


class UsesState:
    """Base of the services and their operation mixins: the state of the registry's data_dir."""

    _models: ModelRegistry

    def __init__(self, models: ModelRegistry | None = None) -> None:
        from core.model_registry import registry

        self._models = models or registry

    @property
    def _state(self) -> PersonalizeState:
        # Looked up per call (settings may change after the service is built), cheaply when they did not.
        data_dir = self._models.settings.data_dir
        cached = vars(self).get("_state_for")
        if cached is None or cached[0] != data_dir or _STATES.get(cached[1].root) is not cached[1]:
            self._state_for = (data_dir, state_of(self._models))
        return self._state_for[1]
