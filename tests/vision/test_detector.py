"""The user's own detector: ONNX models built here (randomly initialised, and with known outputs
to check the decoding exactly), loaded through settings as a user's weights would be.

ultralytics itself cannot be imported without torchvision, which does not run beside this
project's torch: its `.pt` path is tested only where ultralytics is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from core.settings import ModelChoice, Settings
from tests.vision.conftest import registry_for
from tests.vision.sample_images import ASTRONAUT
from vision.engines import detector
from vision.engines.detector_onnx import OnnxDetector
from vision.rekognition import Rekognition

# torch's TorchScript-based ONNX exporter warns that it is deprecated; it is the one that needs no onnxscript.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

NAMES = {0: "person", 1: "traffic light", 2: "dog"}
INPUT = 320


class RandomYoloHead(torch.nn.Module):
    """A YOLOv8-shaped detector with random weights: (1, 4 + classes, candidates) from a strided conv."""

    def __init__(self, classes: int) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.features = torch.nn.Conv2d(3, 16, 5, stride=16, padding=2)
        self.head = torch.nn.Conv2d(16, 4 + classes, 1)

    def forward(self, images):
        out = self.head(torch.relu(self.features(images))).flatten(2)
        centres = torch.sigmoid(out[:, :2]) * INPUT
        sizes = torch.sigmoid(out[:, 2:4]) * 120 + 8
        return torch.cat([centres, sizes, torch.sigmoid(out[:, 4:])], dim=1)


class FixedOutput(torch.nn.Module):
    """Answers the same rows whatever the image: a known detection to check the geometry."""

    def __init__(self, rows: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("rows", torch.tensor(rows, dtype=torch.float32)[None])

    def forward(self, images):
        return self.rows + images.mean() * 0


def _export(module, path: Path, names: dict[int, str] | None) -> Path:
    torch.onnx.export(module.eval(), torch.zeros(1, 3, INPUT, INPUT), str(path), input_names=["images"],
                      output_names=["output0"], dynamo=False)
    if names is not None:  # as ultralytics' exporter writes it
        model = onnx.load(str(path))
        model.metadata_props.add(key="names", value=repr(names))
        onnx.save(model, str(path))
    return path


@pytest.fixture(scope="module")
def random_model(tmp_path_factory) -> Path:
    return _export(RandomYoloHead(len(NAMES)), tmp_path_factory.mktemp("det") / "random.onnx", NAMES)


def test_random_yolo_gives_named_boxes_inside_the_image(random_model: Path) -> None:
    pixels = np.asarray(__import__("PIL.Image").Image.open(ASTRONAUT).convert("RGB"))
    found = OnnxDetector(random_model).detect(pixels)
    assert found
    assert {d.name for d in found} <= set(NAMES.values())
    for d in found:
        assert d.score >= detector.MIN_SCORE
        assert 0 <= d.box.left and d.box.left + d.box.width <= 512.001 and d.box.top + d.box.height <= 512.001


def test_known_rows_decode_to_known_boxes_in_yolov8_and_yolov5_layouts(tmp_path: Path) -> None:
    pixels = np.zeros((160, 320, 3), dtype=np.uint8)  # letterboxed into 320x320: scale 1, 80 px bands
    v8 = np.zeros((4 + 3, 2), dtype=np.float32)
    v8[:, 0] = [160, 160, 100, 60, 0.05, 0.9, 0.1]  # a traffic light in the middle
    v8[:, 1] = [162, 161, 100, 60, 0.05, 0.8, 0.1]  # the same one again: suppressed
    (light,) = OnnxDetector(_export(FixedOutput(v8), tmp_path / "v8.onnx", NAMES)).detect(pixels)
    assert light.name == "traffic light" and light.score == pytest.approx(0.9)
    assert (light.box.left, light.box.top, light.box.width, light.box.height) == pytest.approx((110, 50, 100, 60))

    v5 = np.array([[40, 120, 40, 40, 0.5, 0.1, 0.1, 0.9]], dtype=np.float32)  # objectness x class score
    (dog,) = OnnxDetector(_export(FixedOutput(v5), tmp_path / "v5.onnx", NAMES)).detect(pixels)
    assert dog.name == "dog" and dog.score == pytest.approx(0.45)
    assert (dog.box.left, dog.box.top) == pytest.approx((20, 20))


def test_names_txt_beside_the_model(tmp_path: Path) -> None:
    rows = np.zeros((4 + 2, 1), dtype=np.float32)
    rows[:, 0] = [160, 160, 50, 50, 0.1, 0.7]
    model = _export(FixedOutput(rows), tmp_path / "plain.onnx", None)
    (tmp_path / "names.txt").write_text("cat\nforklift\n")
    assert [d.name for d in OnnxDetector(model).detect(np.zeros((320, 320, 3), np.uint8))] == ["forklift"]


def test_detect_labels_gives_instances_for_the_users_classes(random_model: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, models={detector.CAPABILITY: ModelChoice(engine="onnx-detector",
                                                                                   path=random_model)})
    labels = {label.Name: label for label in Rekognition(registry_for(settings)).detect_labels(
        ASTRONAUT, min_confidence=0).Labels}
    users = [name for name in ("Traffic Light", "Dog") if name in labels and labels[name].Instances]
    assert users
    for name in users:
        for instance in labels[name].Instances:
            box = instance.BoundingBox
            assert 0 <= box.Left <= 1 and 0 < box.Width <= 1 and instance.Confidence >= 25


def test_a_configured_detector_that_is_missing_is_an_error_not_silence(tmp_path: Path) -> None:
    from core.errors import ModelUnavailable

    settings = Settings(data_dir=tmp_path, models={detector.CAPABILITY: ModelChoice(
        engine="onnx-detector", path=tmp_path / "absent.onnx")})
    with pytest.raises(ModelUnavailable):
        Rekognition(registry_for(settings)).detect_labels(ASTRONAUT)


def test_ultralytics_checkpoint_from_its_bundled_config(tmp_path: Path) -> None:
    # Checked before importing ultralytics: a failed import leaves its patches on PIL behind.
    if importlib.util.find_spec("torchvision") is None:
        pytest.skip("ultralytics needs torchvision, which is not installed beside this project's torch")
    ultralytics = pytest.importorskip("ultralytics")
    from vision.engines.detector_ultralytics import UltralyticsDetector

    checkpoint = tmp_path / "random.pt"
    ultralytics.YOLO("yolo11n.yaml").save(str(checkpoint))
    pixels = np.asarray(__import__("PIL.Image").Image.open(ASTRONAUT).convert("RGB"))
    for d in UltralyticsDetector(checkpoint).detect(pixels):
        assert d.box.width > 0 and 0 <= d.score <= 1
