"""Rekognition on this machine, each figure beside its baseline from the same run:

- ms/image of each operation at 640 px, in process, beside the bare model call it wraps;
- face search over 100k faces (SQLite + vector file, warm) beside brute-force numpy;
- CompareFaces / SearchFacesByImage on real portraits shipped by packages (scikit-image,
  matplotlib; Debian opencv-doc's messi5.jpg when installed), mirrored, rescaled, rotated,
  darkened and recompressed: our calibrated Similarity beside dlib's own 0.6 distance rule;
- top-1/top-5 of the ImageNet classifier on labelled photographs from the same packages, beside
  chance.

    python bench/vision_bench.py [--repeats 3] [--faces 100000]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib.cbook
import numpy as np
import skimage
from PIL import ImageEnhance
from PIL import Image as PILImage

from core import ocr
from core.model_registry import ModelRegistry
from core.settings import Settings
from vision import SPECS
from vision.engines import face_embedding_dlib, faces_mediapipe, labels_efficientnet, moderation_nudenet
from vision.face_matching import similarity
from vision.face_store import FaceStore
from vision.rekognition import Rekognition
from vision.shapes import Image

SKIMAGE = Path(skimage.__file__).parent / "data"
OPENCV_DOC = Path("/usr/share/doc/opencv-doc/examples/data")
PORTRAITS = {"eileen": SKIMAGE / "astronaut.png",
             "grace": Path(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)),
             "messi": OPENCV_DOC / "messi5.jpg"}
# Photographs whose ImageNet class is known; each lists the classes that count as right.
LABELLED = {SKIMAGE / "chelsea.png": {281, 282, 285}, SKIMAGE / "coffee.png": {967},
            OPENCV_DOC / "baboon.jpg": {372}, OPENCV_DOC / "orange.jpg": {950},
            OPENCV_DOC / "squirrel_cls.jpg": {335}, OPENCV_DOC / "apple.jpg": {948}}


def at_640(path: Path) -> PILImage.Image:
    image = PILImage.open(path).convert("RGB")
    scale = 640 / max(image.size)
    return image.resize((round(image.width * scale), round(image.height * scale)))


def png(image: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(image: PILImage.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def ms(call: Callable[[], object], repeats: int) -> float:
    call()  # warm: models load on first use
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def operations(rekognition: Rekognition, models: ModelRegistry, repeats: int) -> None:
    portrait, page = at_640(PORTRAITS["eileen"]), at_640(SKIMAGE / "page.png")
    face_bytes, page_bytes = png(portrait), png(page)
    pixels, page_pixels = np.asarray(portrait), np.asarray(page)
    rekognition.create_collection("bench-ops")
    rekognition.index_faces("bench-ops", face_bytes)
    rows = [
        ("DetectLabels", lambda: rekognition.detect_labels({"Bytes": face_bytes}),
         "classifier alone", lambda: models.get(labels_efficientnet.CAPABILITY).classify(pixels)),
        ("DetectFaces", lambda: rekognition.detect_faces({"Bytes": face_bytes}, attributes=["ALL"]),
         "detector + mesh alone", lambda: models.get(faces_mediapipe.CAPABILITY).faces(pixels)),
        ("CompareFaces", lambda: rekognition.compare_faces({"Bytes": face_bytes}, {"Bytes": face_bytes}),
         "2 x (detect + embed)", lambda: [models.get(face_embedding_dlib.CAPABILITY).embed(
             pixels, [f.box for f in models.get(faces_mediapipe.CAPABILITY).faces(pixels)]) for _ in range(2)]),
        ("SearchFacesByImage", lambda: rekognition.search_faces_by_image("bench-ops", {"Bytes": face_bytes}),
         "detect + embed", lambda: models.get(face_embedding_dlib.CAPABILITY).embed(
             pixels, [f.box for f in models.get(faces_mediapipe.CAPABILITY).faces(pixels)])),
        ("DetectModerationLabels", lambda: rekognition.detect_moderation_labels({"Bytes": face_bytes}),
         "NudeNet alone", lambda: models.get(moderation_nudenet.CAPABILITY).parts(pixels)),
        ("DetectText (page.png)", lambda: rekognition.detect_text({"Bytes": page_bytes}),
         "OCR engine alone", lambda: models.get(ocr.CAPABILITY).read(page_pixels)),
    ]
    print(f"\n## Operations at 640 px (median of {repeats}, in process)")
    print(f"{'operation':<24}{'ms/image':>10}{'images/s':>10}   baseline{'':<17}{'ms':>8}")
    for name, call, baseline_name, baseline in rows:
        ours, bare = ms(call, repeats), ms(baseline, repeats)
        print(f"{name:<24}{ours:>10.1f}{1000 / ours:>10.2f}   {baseline_name:<25}{bare:>8.1f}")
    rekognition.delete_collection("bench-ops")


def face_search(count: int, folder: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = (rng.normal(size=(count, 128)) * 0.09).astype(np.float32)  # dlib's embeddings have norm ~1
    store = FaceStore(folder)
    store.create("bench")
    box = {"Width": 0.1, "Height": 0.1, "Left": 0.0, "Top": 0.0}
    start = time.perf_counter()
    for first in range(0, count, 10_000):
        ids = [f"{i:08x}-0000-4000-8000-000000000000" for i in range(first, min(count, first + 10_000))]
        store.add("bench", "image", None, [(fid, box, 99.0) for fid in ids], vectors[first:first + len(ids)])
    indexed = time.perf_counter() - start
    queries = vectors[rng.integers(0, count, 50)] + 0.01
    start = time.perf_counter()
    store.nearest("bench", queries[0], 0.6, 80)
    cold = (time.perf_counter() - start) * 1000
    ours = ms(lambda: [store.nearest("bench", q, 0.6, 80) for q in queries], 3) / len(queries)
    brute = ms(lambda: [np.argsort(np.linalg.norm(vectors - q, axis=1))[:80] for q in queries], 3) / len(queries)
    agree = all(store.nearest("bench", q, 10.0, 5)[0][0]
                == f"{int(np.argmin(np.linalg.norm(vectors - q, axis=1))):08x}-0000-4000-8000-000000000000"
                for q in queries[:10])
    print(f"\n## Face search over {count} faces")
    print(f"indexing {count} vectors into SQLite + vector file: {indexed:.1f} s; first search (loads the matrix): "
          f"{cold:.0f} ms")
    print(f"search (warm)   ours {ours:.2f} ms/query   brute-force numpy (norm + argsort) {brute:.2f} ms/query   "
          f"same nearest face: {agree}")


def variants(image: PILImage.Image) -> dict[str, bytes]:
    """The same person as other photographs would show them."""
    return {"mirrored": jpeg(image.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT), 90),
            "half size": jpeg(image.resize((image.width // 2, image.height // 2)), 90),
            "rotated 12": jpeg(image.rotate(12, expand=True, fillcolor=(128, 128, 128)), 90),
            "darker": jpeg(ImageEnhance.Brightness(image).enhance(0.55), 90),
            "jpeg q25": jpeg(image, 25)}


def face_accuracy(rekognition: Rekognition) -> None:
    people = {name: PILImage.open(path).convert("RGB") for name, path in PORTRAITS.items() if path.exists()}
    originals = {name: rekognition._largest_face(rekognition._image(Image(Bytes=png(img))), name).embedding
                 for name, img in people.items()}
    same, different = [], []
    for name, image in people.items():
        for variant, data in variants(image).items():
            found = rekognition._embedded_faces(rekognition._image(Image(Bytes=data)))
            if not found:
                print(f"  no face found in {name} {variant}")
                continue
            for other, reference in originals.items():
                (same if other == name else different).append(float(np.linalg.norm(found[0].embedding - reference)))
    same_d, diff_d = np.array(same), np.array(different)
    ours_same, ours_diff = similarity(same_d), similarity(diff_d)
    print(f"\n## CompareFaces on {len(people)} people x 5 variants "
          f"({len(same)} same, {len(different)} different pairs)")
    pairs = len(same) + len(different)
    ours_right = (np.sum(ours_same >= 80) + np.sum(ours_diff < 80)) / pairs
    dlib_right = (np.sum(same_d < 0.6) + np.sum(diff_d >= 0.6)) / pairs
    print(f"ours: same-person Similarity min {ours_same.min():.1f} (>= 90: {np.mean(ours_same >= 90):.0%}); "
          f"different max {ours_diff.max():.1f} (<= 50: {np.mean(ours_diff <= 50):.0%}); "
          f"accuracy at 80: {ours_right:.0%}")
    print(f"baseline dlib distance < 0.6: accuracy {dlib_right:.0%}   (distances: same {same_d.min():.2f}-"
          f"{same_d.max():.2f}, different {diff_d.min():.2f}-{diff_d.max():.2f})")

    rekognition.create_collection("bench-people")
    for name, image in people.items():
        rekognition.index_faces("bench-people", {"Bytes": png(image)}, external_image_id=name)
    hits = total = 0
    for name, image in people.items():
        for data in variants(image).values():
            try:
                matches = rekognition.search_faces_by_image("bench-people", {"Bytes": data}).FaceMatches
            except Exception:  # no face found in this variant: a miss
                matches = []
            total += 1
            hits += bool(matches) and matches[0].Face.ExternalImageId == name
    rekognition.delete_collection("bench-people")
    print(f"SearchFacesByImage top-1 over the variants: {hits}/{total}")


def classifier_accuracy(models: ModelRegistry) -> None:
    classify = models.get(labels_efficientnet.CAPABILITY).classify
    present = {path: classes for path, classes in LABELLED.items() if path.exists()}
    top1 = top5 = 0
    for path, classes in present.items():
        ranked = list(np.argsort(classify(np.asarray(PILImage.open(path).convert("RGB"))))[::-1])
        top1 += ranked[0] in classes
        top5 += bool(set(ranked[:5]) & classes)
    print(f"\n## ImageNet classifier (EfficientNet-Lite0) on {len(present)} labelled photographs from packages")
    print(f"top-1 {top1}/{len(present)}, top-5 {top5}/{len(present)}   baseline chance: top-1 0.1%, top-5 0.5%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--faces", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        models = ModelRegistry(Settings(data_dir=Path(folder) / "data"))
        for spec in [*SPECS, *ocr.SPECS]:
            models.register(spec)
        rekognition = Rekognition(models)
        operations(rekognition, models, args.repeats)
        face_search(args.faces, Path(folder) / "search")
        face_accuracy(rekognition)
        classifier_accuracy(models)


if __name__ == "__main__":
    main()
