"""A tiny openai-whisper checkpoint built by the tests, in the format `whisper.load_model` reads: no
registry ships real `.pt` weights. Its weights are random, except that its decoder always says one
word with certainty: decoding then ends after a few tokens without Whisper's temperature fallback,
so a job on it takes a second, while every step a real checkpoint goes through still runs
(loading, VAD clips, decoding with timestamp rules, word alignment by cross-attention)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

WORD = " hello"


def build(path: Path, *, multilingual: bool = True) -> Path:
    import torch
    from whisper.model import ModelDimensions, Whisper
    from whisper.tokenizer import get_tokenizer

    torch.manual_seed(0)
    # A multilingual vocabulary has 51865 tokens; 10 text positions leave 5 tokens to sample after the
    # start sequence, too few to trip Whisper's repetition (compression ratio) check.
    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=16, n_audio_head=2, n_audio_layer=1,
                           n_vocab=51865 if multilingual else 51864, n_text_ctx=10, n_text_state=16,
                           n_text_head=2, n_text_layer=1)
    model = Whisper(dims)
    (word,) = get_tokenizer(multilingual).encode(WORD)
    with torch.no_grad():
        # Whisper allocates the decoder's positional embedding with torch.empty (a checkpoint always
        # fills it): left so, it holds whatever memory held, NaNs included, and decoding goes astray.
        model.decoder.positional_embedding.normal_(0.0, 0.01)
        # The decoder's last layer norm outputs a constant: the word's own embedding, made ten times
        # longer than any other so that its logit stands far above every other token's.
        embeddings = model.decoder.token_embedding.weight
        embeddings[word] *= 10 * embeddings.norm(dim=1).max() / embeddings[word].norm()
        embedding = embeddings[word]
        model.decoder.ln.weight.zero_()
        model.decoder.ln.bias.copy_(embedding * (50 / embedding.norm() ** 2))
    torch.save({"dims": asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path
