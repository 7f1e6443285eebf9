"""Textract's text and table quality and speed on pages made from real text and data on this
machine, every engine and the baseline measured in the same run:

- character error rate and word F1 (bag of words) of the page's text, per OCR engine, on clean pages
  (licences from /usr/share/common-licenses set at 150 dpi, one and two columns) and on the same
  pages scanned badly (uneven light, blur, noise, 2.5 degree skew, JPEG q=40): DetectDocumentText
  (reading order included) on each engine of core.ocr, and the raw Tesseract CLI with its defaults
  (Debian `tesseract-ocr`, when installed) as the baseline; plus scikit-image's photographed page
  (page.png, transcribed by eye);
- table cell accuracy (exact text in the right row and column) of AnalyzeDocument TABLES on tables
  rendered from scikit-learn's iris and wine CSVs, ruled and unruled, clean and scanned;
- pages/s of each, and of the born-digital path (a PDF's own text layer) on libtasn1.pdf.

    python bench/textract_bench.py [--pages 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.model_registry import ModelRegistry  # noqa: E402
from core.ocr import CAPABILITY, SPECS  # noqa: E402
from core.settings import ModelChoice, Settings  # noqa: E402
from documents import Textract  # noqa: E402
from tests.documents import textract_pages as pages  # noqa: E402

LICENCES = ["Apache-2.0", "GPL-3", "MPL-2.0", "LGPL-2.1", "Artistic", "GFDL-1.3"]
LIBTASN1 = Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (insertions by a running minimum)."""
    if not a or not b:
        return max(len(a), len(b))
    target = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    index = np.arange(len(b) + 1)
    row = index.copy()
    for i, char in enumerate(a, start=1):
        substitute = row[:-1] + (target != ord(char))
        delete = row[1:] + 1
        candidate = np.concatenate(([i], np.minimum(substitute, delete)))
        row = np.minimum.accumulate(candidate - index) + index
    return int(row[-1])


def normalise(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())


def word_f1(found: str, expected: str) -> float:
    ours, theirs = Counter(found.split()), Counter(expected.split())
    shared = sum((ours & theirs).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(ours.values()), shared / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def registry(engine: str | None = None) -> ModelRegistry:
    models = ModelRegistry(Settings(models={CAPABILITY: ModelChoice(engine=engine)} if engine else {}))
    for spec in SPECS:
        models.register(spec)
    return models


# scikit-image's page.png, a photographed book page (uneven light, curl), as transcribed by eye.
PHOTOGRAPHED_TEXT = (
    "Region-based segmentation Let us first determine markers of the coins and the background. These markers are "
    "pixels that we can label unambiguously as either object or background. Here, the markers are found at the two "
    "extreme parts of the histogram of grey values: >>> markers = np.zeros_like(coins)")


def test_pages(count: int) -> list[tuple[str, bytes, str]]:
    """(condition, PNG bytes, expected text) for `count` clean pages, their scanned copies and the
    photographed page."""
    import skimage.data
    from PIL import Image

    made = [("photo", pages.encode(Image.fromarray(skimage.data.page())), PHOTOGRAPHED_TEXT)]
    for i, name in enumerate(LICENCES[:count]):
        image, lines = pages.text_page(pages.licence_paragraphs(name, count=10, skip=1), columns=1 + i % 2)
        made.append(("clean", pages.encode(image), normalise(" ".join(lines))))
        made.append(("scanned", pages.encode(pages.degrade(image, seed=i)), normalise(" ".join(lines))))
    return made


def tesseract_cli(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as file:
        file.write(data)
        file.flush()
        # One OpenMP thread: on a shared 2-core machine its default team spins and runs 4x slower.
        return subprocess.run(["tesseract", file.name, "stdout"], capture_output=True, text=True, check=True,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout


def measure(name: str, read: Callable[[bytes], str], test: list[tuple[str, bytes, str]]) -> list[str]:
    rows = []
    read(test[0][1])  # load the model outside the timing
    for condition in ("clean", "scanned", "photo"):
        chosen = [(data, expected) for c, data, expected in test if c == condition]
        start = time.perf_counter()
        found = [normalise(read(data)) for data, _ in chosen]
        seconds = time.perf_counter() - start
        cer = sum(edit_distance(f, e) for f, (_, e) in zip(found, chosen)) / sum(len(e) for _, e in chosen)
        f1 = np.mean([word_f1(f, e) for f, (_, e) in zip(found, chosen)])
        rows.append(f"{name:<34} {condition:<8} {100 * cer:6.1f}% {f1:8.3f} {len(chosen) / seconds:8.2f}")
    return rows


def table_accuracy(engine: str, textract: Textract) -> list[str]:
    import sklearn

    data = Path(sklearn.__file__).parent / "datasets" / "data"
    rows = []
    for csv_name in ("iris.csv", "wine_data.csv"):
        table = [row[:6] for row in pages.csv_rows(data / csv_name, 12)]
        width = max(len(row) for row in table)
        table = [row + [""] * (width - len(row)) for row in table]  # wine's header row is shorter
        for ruled in (True, False):
            clean = pages.table_page(table, ruled=ruled, size=22)
            for condition, image in (("clean", clean), ("scanned", pages.degrade(clean, skew=0.0))):
                start = time.perf_counter()
                result = textract.analyze_document(document={"Bytes": pages.encode(image)}, feature_types=["TABLES"])
                seconds = time.perf_counter() - start
                by_id = {b.Id: b for b in result.Blocks}
                cells = {(b.RowIndex, b.ColumnIndex):
                         " ".join(by_id[i].Text for r in b.Relationships or [] for i in r.Ids)
                         for b in result.Blocks if b.BlockType == "CELL"}
                right = sum(cells.get((r + 1, c + 1)) == v for r, row in enumerate(table) for c, v in enumerate(row))
                total = sum(len(row) for row in table)
                kind = "ruled" if ruled else "unruled"
                rows.append(f"{engine:<10} {csv_name:<14} {kind:<8} {condition:<8} {right:4d}/{total:<4d} "
                            f"{100 * right / total:6.1f}% {seconds:6.2f} s")
    return rows


def digital_pdf_speed(textract: Textract) -> str:
    from documents.textract.document import ASYNC_PAGES, open_document

    document = open_document(LIBTASN1.read_bytes(), max_pages=ASYNC_PAGES)
    start = time.perf_counter()
    lines = sum(sum(b.BlockType == "LINE" for b in textract.page_blocks(page)) for page in document.pages())
    seconds = time.perf_counter() - start
    return (f"libtasn1.pdf text layer: {document.page_count} pages, {lines} lines, "
            f"{document.page_count / seconds:.1f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2, help="clean pages (each also scanned); at most 6")
    args = parser.parse_args()
    test = test_pages(min(args.pages, len(LICENCES)))
    print(f"{'text':<34} {'pages':<8} {'CER':>7} {'word F1':>8} {'pages/s':>8}")
    report = []
    for spec in SPECS:
        textract = Textract(registry(spec.engine))
        read = lambda d, t=textract: " ".join(  # noqa: E731
            b.Text for b in t.detect_document_text(document={"Bytes": d}).Blocks if b.BlockType == "LINE")
        report += measure(f"ours: {spec.engine}{' (default)' if spec.default else ''}", read, test)
    if shutil.which("tesseract"):
        report += measure("baseline: tesseract CLI defaults", tesseract_cli, test)
    else:
        report.append("baseline: tesseract CLI not installed (apt-get install tesseract-ocr)")
    print("\n".join(report))
    print(f"\n{'engine':<10} {'table':<14} {'kind':<8} {'pages':<8} {'cells right':>11} {'time':>8}")
    for spec in SPECS:
        print("\n".join(table_accuracy(spec.engine, Textract(registry(spec.engine)))))
    if LIBTASN1.is_file():
        print("\n" + digital_pdf_speed(Textract(registry())))


if __name__ == "__main__":
    main()
