"""Kendra retrieval quality and speed on Python's own documentation (Debian `python3.11-doc`).

The FAQ pages' questions are the queries; each is judged relevant to the passages of its own answer
section, searched among passages of the whole documentation (question headings and the FAQ pages'
tables of contents left out, so the question text itself is never in the corpus). nDCG@10, Recall@10
and MRR@10 for BM25 alone, dense MiniLM alone, naive equal-weight RRF of the two, and ours
(kendra_ranking: cosine lifted by the nearest passage's, plus a share of BM25, through Kendra.query);
indexing docs/s (BatchPutDocument, one passage per document, embedding included) and Query p50/p99 —
all in one run.

Ours has weights, chosen on the even-numbered questions (the tuning half, at 800 and 2500 passages):
the first table reports the odd-numbered ones (the held-out half), the second the tuning half.

Embedding is the cost (4–10 passages/s on 2 shared cores), so the default run indexes the FAQ answers
plus a seeded sample of other passages up to --passages; --passages 0 indexes all (~10k: 20–40 min).
--cache keeps the passages' embeddings in a file under the temporary folder (keyed by model and
text) for the next run, which then does not measure indexing speed.

    apt-get install python3.11-doc
    python bench/kendra_bench.py [--passages 800] [--cache]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.model_registry import ModelRegistry  # noqa: E402
from core.settings import Settings  # noqa: E402
from documents import KENDRA_EMBEDDINGS_SPEC, Kendra  # noqa: E402
from documents.kendra_passages import split_passages  # noqa: E402

DOCS = Path("/usr/share/doc/python3.11/html")
SKIP = {"genindex", "search", "py-modindex", "contents", "glossary"}
K = 10
Judged = tuple[str, set[int]]  # question, relevant passage numbers


def _sections(html: Path) -> list[tuple[str, str]]:
    """(heading, own text) of every section of a Sphinx page; nested sections' text is their own. A
    page's table of contents is left out: on the FAQ pages it lists every question word for word."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html.read_text(encoding="utf-8", errors="replace"), "lxml")
    body = soup.find("div", attrs={"role": "main"}) or soup.body
    found = []
    for section in body.find_all("section") if body else []:
        heading = section.find(re.compile(r"^h[1-6]$"))
        title = heading.get_text(" ", strip=True).rstrip("¶").strip() if heading else ""
        own = [child for child in section.find_all(recursive=False) if child.name not in ("section", "nav")
               and not re.fullmatch(r"h[1-6]", child.name or "")]
        text = "\n\n".join(" ".join(c.get_text(" ").split()) for c in own)
        found.append((title, text))
    return found


def corpus(limit: int, count_tokens) -> tuple[list[str], list[Judged]]:
    """Passages (FAQ answers first) and the judged FAQ questions."""
    passages: list[str] = []
    judged: list[Judged] = []
    for page in sorted((DOCS / "faq").glob("*.html")):
        if page.stem == "index":
            continue
        for title, text in _sections(page):
            pieces = split_passages(text, count_tokens) if text.strip() else []
            if title.endswith("?") and pieces:
                judged.append((title, set(range(len(passages), len(passages) + len(pieces)))))
            passages += pieces
    others = [p for p in sorted(DOCS.rglob("*.html")) if "faq" not in p.parts and "_" not in p.parts[-2][:1]
              and p.stem not in SKIP]
    random.Random(7).shuffle(others)
    for page in others:
        if limit and len(passages) >= limit:
            break
        for _, text in _sections(page):
            if text.strip():
                passages += split_passages(text, count_tokens)
    return (passages[:limit] if limit else passages), judged


def _metrics(ranked: list[int], relevant: set[int]) -> tuple[float, float, float]:
    top = ranked[:K]
    dcg = sum(1 / math.log2(i + 2) for i, n in enumerate(top) if n in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    mrr = next((1 / (i + 1) for i, n in enumerate(top) if n in relevant), 0.0)
    return dcg / ideal, len(relevant & set(top)) / len(relevant), mrr


def _rrf(*scores: np.ndarray, k: int = 60) -> np.ndarray:
    fused = np.zeros_like(scores[0])
    for s in scores:
        fused[np.argsort(-s)] += 1 / (k + np.arange(1, len(s) + 1))
    return fused


class EmbeddingCache:
    """Passage embeddings kept in a file between runs, by model and text, so that a ranking experiment
    does not embed the same corpus again; only the indexing goes through it, never the queries."""

    def __init__(self, embed, model: str) -> None:
        self._embed = embed
        self._path = Path(tempfile.gettempdir()) / f"kendra-bench-{hashlib.sha1(model.encode()).hexdigest()[:12]}.npz"
        self._vectors = dict(np.load(self._path)) if self._path.exists() else {}
        self._stored = set(self._vectors)
        self.reused = 0  # passages embedded by an earlier run

    def __call__(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = {key: text for text, key in zip(texts, keys) if key not in self._vectors}
        self.reused += sum(key in self._stored for key in keys)
        if missing:
            self._vectors |= dict(zip(missing, self._embed(list(missing.values()))))
        return np.vstack([self._vectors[key] for key in keys])

    def save(self) -> None:
        np.savez(self._path, **self._vectors)


def _table(title: str, systems: dict[str, list[tuple[float, float, float]]], questions: range) -> None:
    print(f"\n{title:42} {'nDCG@10':>8} {'Recall@10':>10} {'MRR@10':>8}")
    for name, rows in systems.items():
        ndcg, recall, mrr = np.mean([rows[n] for n in questions], axis=0)
        print(f"{name:42} {ndcg:8.3f} {recall:10.3f} {mrr:8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=800, help="passages to index; 0 = all")
    parser.add_argument("--cache", action="store_true", help="reuse passage embeddings from an earlier run")
    args = parser.parse_args()
    if not (DOCS / "faq").is_dir():
        sys.exit(f"{DOCS} is missing: apt-get install python3.11-doc")

    models = ModelRegistry(Settings(data_dir=Path(tempfile.mkdtemp(prefix="kendra-bench-"))))
    models.register(KENDRA_EMBEDDINGS_SPEC)
    kendra = Kendra(models)
    index_id = kendra.create_index(name="python-docs").Id
    embedder = kendra._embedder()  # noqa: SLF001 - loaded before timing, as a running gateway has it
    passages, judged = corpus(args.passages, embedder.count_tokens)
    print(f"{len(passages)} passages, {len(judged)} FAQ questions "
          f"({sum(len(r) for _, r in judged)} relevant passages)", flush=True)

    cache = EmbeddingCache(embedder.embed, KENDRA_EMBEDDINGS_SPEC.package) if args.cache else None
    if cache:
        embedder.embed = cache
    started = time.perf_counter()
    for start in range(0, len(passages), 10):
        failed = kendra.batch_put_document(index_id=index_id, documents=[
            {"Id": f"p{n}", "Blob": text.encode(), "ContentType": "PLAIN_TEXT", "Title": f"p{n}"}
            for n, text in enumerate(passages[start:start + 10], start)]).FailedDocuments
        assert not failed, failed
    indexing = len(passages) / (time.perf_counter() - started)
    if cache:
        cache.save()
        del embedder.embed  # queries are embedded, and timed, as a gateway does it

    view = kendra._view(kendra._index(index_id))  # noqa: SLF001 - the same arrays the service ranks with
    position = {doc_id: n for n, doc_id in enumerate(view.passages.doc_ids)}
    number = [int(doc_id[1:]) for doc_id in view.passages.doc_ids]
    query_vectors = embedder.embed([q for q, _ in judged])
    systems: dict[str, list[tuple[float, float, float]]] = {}
    latencies = []
    for (question, relevant), vector in zip(judged, query_vectors):
        dense = view.passages.dense(vector)
        lexical = view.passages.lexical(question)
        candidates = {"BM25 (bm25s, Snowball stems)": lexical, "dense (MiniLM)": dense,
                      "RRF BM25+dense (naive)": _rrf(lexical, dense)}
        for name, scores in candidates.items():
            ranked = [number[n] for n in np.argsort(-scores, kind="stable")[:K]]
            systems.setdefault(name, []).append(_metrics(ranked, relevant))
        began = time.perf_counter()
        result = kendra.query(index_id=index_id, query_text=question, page_size=K,
                              query_result_type_filter="DOCUMENT")
        latencies.append(time.perf_counter() - began)
        ranked = [number[position[item.DocumentId]] for item in result.ResultItems]
        systems.setdefault("ours: Kendra.query (neighbour lift + BM25)", []).append(_metrics(ranked, relevant))

    _table(f"held-out half ({len(judged) // 2} questions)", systems, range(1, len(judged), 2))
    _table(f"tuning half ({(len(judged) + 1) // 2} questions)", systems, range(0, len(judged), 2))
    p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
    speed = f"{indexing:.1f} docs/s" if not (cache and cache.reused) else \
        f"not measured ({cache.reused} embeddings from --cache)"
    print(f"\nindexing: {speed} (BatchPutDocument, parse + embed + store)")
    print(f"Query (full result: excerpts, answer off): p50 {p50:.0f} ms, p99 {p99:.0f} ms over {len(latencies)} queries")


if __name__ == "__main__":
    main()
