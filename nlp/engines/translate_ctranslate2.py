"""Machine translation with a user's own CTranslate2 models: opus-mt, NLLB or M2M-100 converted with
`ct2-transformers-converter` (int8 on CPU runs several times faster than the transformers engine).

Point the capability at a folder: `AIGW_MODELS__TRANSLATE_CTRANSLATE2__PATH=/models/opus-mt-en-de-ct2`,
either one model (it holds `model.bin`) or a folder of such models. The tokenizer comes from the
same folder: opus-mt's SentencePiece files `source.spm`/`target.spm` (`--copy_files source.spm
target.spm`), else a transformers tokenizer saved beside (NLLB, M2M-100). The pair of a bilingual
model comes from `translation.json` or `tokenizer_config.json`, as for the transformers engine. A
multilingual model lists its languages in `translation.json` as the codes of its language tokens:
`{"languages": {"en": "eng_Latn", "fr": "fra_Latn"}}` (NLLB) or `{"en": "__en__", ...}` (M2M-100);
it then serves every pair among them, starting the source with its token and the output with the
target's, as both models were trained.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

from core.errors import ModelUnavailable
from core.model_registry import EngineSpec
from nlp.engines.translate_marian import MANIFEST, model_folders, pair_of, read_json

CAPABILITY = "translate_ctranslate2"
EOS = "</s>"
MAX_DECODING_LENGTH = 512
MAX_BATCH_SIZE = 32  # segments per forward pass: bounds memory on long documents


class _SentencePiece:
    def __init__(self, folder: Path) -> None:
        import sentencepiece

        self._source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self._target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))

    def tokenize(self, text: str) -> list[str]:
        return self._source.encode(text, out_type=str)

    def detokenize(self, tokens: list[str]) -> str:
        return self._target.decode(tokens)


class _HuggingFace:
    def __init__(self, folder: Path) -> None:
        from transformers import AutoTokenizer

        self._tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self._special = set(self._tokenizer.all_special_tokens)

    def tokenize(self, text: str) -> list[str]:
        return self._tokenizer.tokenize(text)

    def detokenize(self, tokens: list[str]) -> str:
        return self._tokenizer.convert_tokens_to_string([t for t in tokens if t not in self._special])


class _Model:
    def __init__(self, folder: Path) -> None:
        import ctranslate2

        if (folder / "source.spm").is_file():
            self._tokenizer: _SentencePiece | _HuggingFace = _SentencePiece(folder)
        elif (folder / "tokenizer_config.json").is_file():
            self._tokenizer = _HuggingFace(folder)
        else:
            raise ModelUnavailable(f"No tokenizer in {folder}: copy source.spm and target.spm, or save one beside.")
        # language code -> the model's language token; empty for a bilingual model.
        self.language_tokens: dict[str, str] = read_json(folder / MANIFEST).get("languages", {})
        self.pairs = set(permutations(self.language_tokens, 2)) if self.language_tokens else {pair_of(folder)}
        device = "cuda" if ctranslate2.get_cuda_device_count() else "cpu"
        self._translator = ctranslate2.Translator(str(folder), device=device)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        prefix = [self.language_tokens[source]] if self.language_tokens else []
        batch = [prefix + self._tokenizer.tokenize(segment) + [EOS] for segment in segments]
        target_prefix = [[self.language_tokens[target]]] * len(batch) if self.language_tokens else None
        results = self._translator.translate_batch(
            batch, target_prefix=target_prefix, max_decoding_length=MAX_DECODING_LENGTH,
            max_batch_size=MAX_BATCH_SIZE,
        )
        # The output starts with the target prefix we forced; drop it before detokenizing.
        skip = 1 if target_prefix else 0
        return [self._tokenizer.detokenize(r.hypotheses[0][skip:]) for r in results]


class CTranslate2Translator:
    def __init__(self, folder: Path) -> None:
        try:
            models = [_Model(d) for d in model_folders(folder, "model.bin")]
        except ImportError as exc:
            raise ModelUnavailable(f"{CAPABILITY} needs ctranslate2 and sentencepiece or transformers: {exc}") from None
        # The first model serving a pair wins: folders are read in name order.
        self._models: dict[tuple[str, str], _Model] = {}
        for model in models:
            for pair in model.pairs:
                self._models.setdefault(pair, model)
        self.pairs = frozenset(self._models)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        return self._models[(source, target)].translate(segments, source, target)


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="ctranslate2",
    model="your own CTranslate2 translation models (converted opus-mt, NLLB, M2M-100)",
    licence="per model (opus-mt: CC-BY-4.0; NLLB-200: CC-BY-NC-4.0; M2M-100: MIT)",
    package="ctranslate2 + sentencepiece (or transformers), and a folder in models.translate_ctranslate2.path",
    locate=lambda: None,
    load=CTranslate2Translator,
    optional=True,
)
