"""Machine translation with a user's own transformers seq2seq models (opus-mt / Marian and alike).

No neural MT weights can be installed from a registry, so this engine ships none: point the
capability at a folder with `AIGW_MODELS__TRANSLATE_HEAVY__PATH=/models/opus-mt-en-de`. The folder is
either one model (it holds `config.json`) or a folder of such models, one per direction. Each model
folder is what `save_pretrained` writes for the model and its tokenizer; its language pair comes from
an optional manifest `translation.json` (`{"source": "en", "target": "de"}`), else from the
`source_lang`/`target_lang` that opus-mt tokenizers record in `tokenizer_config.json`.
Everything loads with `local_files_only=True`: nothing is fetched from a hub.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec

CAPABILITY = "translate_heavy"
MANIFEST = "translation.json"
MAX_NEW_TOKENS = 512


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def pair_of(model_dir: Path) -> tuple[str, str]:
    manifest = read_json(model_dir / MANIFEST)
    tokenizer = read_json(model_dir / "tokenizer_config.json")
    source = manifest.get("source") or tokenizer.get("source_lang")
    target = manifest.get("target") or tokenizer.get("target_lang")
    if not (source and target):
        raise ModelUnavailable(
            f"Cannot tell the language pair of {model_dir}: add {MANIFEST} with "
            '{"source": "<code>", "target": "<code>"}.'
        )
    return source, target


class _Model:
    def __init__(self, folder: Path) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self._torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(folder, local_files_only=True).to(self.device).eval()
        # Generating past the decoder's position table fails, so cap the output at its size.
        positions = getattr(self.model.config, "max_position_embeddings", None) or MAX_NEW_TOKENS + 1
        self.max_new_tokens = min(MAX_NEW_TOKENS, positions - 1)

    def translate(self, segments: list[str]) -> list[str]:
        batch = self.tokenizer(segments, return_tensors="pt", padding=True, truncation=True).to(self.device)
        with self._torch.inference_mode():
            output = self.model.generate(**batch, max_new_tokens=self.max_new_tokens)
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


def model_folders(folder: Path, marker: str) -> list[Path]:
    """`folder` if it is one model (it holds `marker`), else its sub-folders that are."""
    if (folder / marker).is_file():
        return [folder]
    found = sorted(d for d in folder.iterdir() if (d / marker).is_file())
    if not found:
        raise ModelUnavailable(f"No model ({marker}) in {folder} or its sub-folders.")
    return found


class MarianTranslator:
    def __init__(self, folder: Path) -> None:
        model_dirs = model_folders(folder, "config.json")
        try:
            self._models = {pair_of(d): _Model(d) for d in model_dirs}
        except ImportError as exc:
            raise ModelUnavailable(f"{CAPABILITY} needs transformers, sentencepiece and torch: {exc}") from None
        self.pairs = frozenset(self._models)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        # One generate call for all segments: the model batches them.
        return self._models[(source, target)].translate(segments)


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="marian-transformers",
    model="your own seq2seq translation models (opus-mt, Marian), one folder per direction",
    licence="per model (opus-mt: CC-BY-4.0)",
    package="transformers + sentencepiece + torch, and a model folder set in models.translate_heavy.path",
    locate=lambda: None,
    load=MarianTranslator,
    optional=True,
)
