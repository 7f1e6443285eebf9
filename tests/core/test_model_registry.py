"""The model registry: lazy, one load per process under concurrency, user weights through the same
path as the embedded default, and the memory budget."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec, ModelRegistry
from core.settings import ModelChoice, Settings
from nlp.engines import langid_fasttext, sentiment_vader


class CountingEngine:
    loads = 0

    def __init__(self, path: Path) -> None:
        time.sleep(0.05)  # a slow load makes concurrent first calls overlap
        type(self).loads += 1
        self.path = path
        self.closed = False

    def close(self) -> None:
        self.closed = True


def _spec(capability: str, path: Path | None, engine: str = "counting") -> EngineSpec:
    return EngineSpec(capability=capability, engine=engine, model="test", licence="MIT", package="none",
                      locate=lambda: path, load=CountingEngine)


def test_concurrent_first_calls_load_once(tmp_path: Path) -> None:
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"x" * 10)
    registry = ModelRegistry(Settings())
    registry.register(_spec("test.cap", weights))
    CountingEngine.loads = 0
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(registry.get("test.cap"))) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert CountingEngine.loads == 1
    assert len({id(r) for r in results}) == 1
    info = next(i for i in registry.describe() if i.capability == "test.cap")
    assert info.loaded and info.installed and info.size_bytes == 10


def test_missing_weights_are_a_clear_error(tmp_path: Path) -> None:
    registry = ModelRegistry(Settings())
    registry.register(_spec("test.cap", None))
    with pytest.raises(ModelUnavailable, match="not installed"):
        registry.get("test.cap")
    with pytest.raises(ModelUnavailable, match="No engine"):
        registry.get("no.such.capability")
    registry.configure(Settings(models={"test.cap": ModelChoice(engine="nope")}))
    with pytest.raises(ModelUnavailable, match="no engine 'nope'"):
        registry.get("test.cap")


def test_memory_budget_unloads_least_recently_used(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).write_bytes(b"x" * 600_000)
    registry = ModelRegistry(Settings(model_memory_budget_mb=1))
    for name in ("a", "b", "c"):
        registry.register(_spec(f"cap.{name}", tmp_path / name))
    first = registry.get("cap.a")
    registry.get("cap.b")  # a + b = 1.2 MB > 1 MB: a, the least recently used, goes
    assert first.closed
    assert [i.capability for i in registry.describe() if i.loaded] == ["cap.b"]


def test_users_own_lexicon_loads_through_the_same_code(tmp_path: Path) -> None:
    # A tiny VADER lexicon built here: the word "zorblax" is strongly positive, nothing else exists.
    lexicon = tmp_path / "my-lexicon.txt"
    lexicon.write_text("zorblax\t3.5\t0.5\t[3, 4, 3, 4, 3, 4, 3, 4, 3, 4]\n")
    registry = ModelRegistry(Settings(model_dir=tmp_path,
                                      models={sentiment_vader.CAPABILITY: ModelChoice(path=Path("my-lexicon.txt"))}))
    registry.register(sentiment_vader.SPEC)
    engine = registry.get(sentiment_vader.CAPABILITY)
    assert engine.score("zorblax").label == "POSITIVE"
    assert engine.score("wonderful").label == "NEUTRAL"  # not in this lexicon
    info = next(i for i in registry.describe() if i.capability == sentiment_vader.CAPABILITY)
    assert info.path == str(tmp_path / "my-lexicon.txt") and info.selected


def test_users_own_fasttext_model_loads_from_a_folder_setting(tmp_path: Path) -> None:
    embedded = langid_fasttext.SPEC.locate()
    assert embedded is not None and embedded.exists()
    copy = tmp_path / "lid.ftz"
    copy.write_bytes(embedded.read_bytes())
    registry = ModelRegistry(Settings(models={langid_fasttext.CAPABILITY: ModelChoice(path=copy)}))
    registry.register(langid_fasttext.SPEC)
    engine = registry.get(langid_fasttext.CAPABILITY)
    assert engine.identify("Ceci est une phrase en français.")[0].code == "fr"
    registry.configure(Settings(models={langid_fasttext.CAPABILITY: ModelChoice(path=tmp_path / "missing.ftz")}))
    with pytest.raises(ModelUnavailable, match="missing.ftz"):
        registry.get(langid_fasttext.CAPABILITY)
