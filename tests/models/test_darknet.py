"""The torch Darknet port of YOLOv3-tiny against OpenCV's own Darknet importer, on the same input tensor."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch

from vision_core.assets import MANIFEST, asset_path
from vision_core.detection import composite_scene
from vision_core.io.samples import load_sample
from vision_core.models.darknet import Darknet, decode, load_darknet, parse_cfg
from vision_core.models.detection import YoloDetector
from vision_core.models.transforms import Letterboxed
from vision_core.ops.boxes import unletterbox_boxes


@pytest.fixture(scope="module")
def cfg_text() -> str:
    return asset_path("yolov3_tiny_cfg").read_text()


@pytest.fixture(scope="module")
def net() -> Darknet:
    return load_darknet(asset_path("yolov3_tiny_cfg"), asset_path("yolov3_tiny_weights"))


@pytest.fixture(scope="module")
def cv_net():
    return cv2.dnn.readNetFromDarknet(str(asset_path("yolov3_tiny_cfg")), str(asset_path("yolov3_tiny_weights")))


def test_cfg_sections(cfg_text):
    sections = parse_cfg(cfg_text)
    kinds = [s["type"] for s in sections]
    assert kinds[0] == "net" and len(kinds) == 25
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "net": 1, "convolutional": 13, "maxpool": 6, "upsample": 1, "route": 2, "yolo": 2}
    assert sections[18]["layers"] == "-4" and sections[21]["layers"] == "-1, 8"


def test_weights_fill_every_parameter_exactly(cfg_text):
    model = Darknet(parse_cfg(cfg_text))
    model.load_weights(asset_path("yolov3_tiny_weights"))
    params = sum(p.numel() for p in model.parameters())
    bn_stats = sum(m.running_mean.numel() * 2 for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))
    assert params == 8_852_366 and params + bn_stats == (MANIFEST["yolov3_tiny_weights"].size - 20) // 4 == 8_858_734


def test_short_or_long_weights_are_refused(cfg_text, tmp_path):
    data = asset_path("yolov3_tiny_weights").read_bytes()
    (tmp_path / "short.weights").write_bytes(data[:-4000])
    (tmp_path / "long.weights").write_bytes(data + b"\0" * 8)
    with pytest.raises(ValueError, match="shorter"):
        Darknet(parse_cfg(cfg_text)).load_weights(tmp_path / "short.weights")
    with pytest.raises(ValueError, match="does not use"):
        Darknet(parse_cfg(cfg_text)).load_weights(tmp_path / "long.weights")
    with pytest.raises(ValueError, match=r"\[net\]"):
        parse_cfg("[convolutional]\nfilters=3\n")


def test_head_shapes(net):
    with torch.inference_mode():
        raw = net(torch.zeros(1, 3, 416, 416))
    assert [tuple(r.shape) for r in raw] == [(1, 255, 13, 13), (1, 255, 26, 26)]
    assert [h.anchors for h in net.heads] == [((81, 82), (135, 169), (344, 319)), ((10, 14), (23, 27), (37, 58))]


def test_letterbox_geometry_and_inverse(net):
    """YOLOv3-tiny's input recipe (``Letterboxed(416, fill=0.5)``) and its inverse for the decoded boxes."""
    x, box = Letterboxed(416, fill=0.5)(load_sample("chelsea"))  # 451 × 300
    assert x.shape == (3, 416, 416) and x.dtype == np.float32
    assert (box.new_w, box.new_h, box.dx, box.dy) == (416, 277, 0, 69)
    assert np.all(x[:, :69] == 0.5) and np.all(x[:, 69 + 277 :] == 0.5)
    full = np.array([[0.5, (69 + 277 / 2) / 416, 1.0, 277 / 416]], np.float32)
    np.testing.assert_allclose(unletterbox_boxes(full, box, fmt="cxcywh", normalized=True), [[0, 0, 451, 300]],
                               atol=0.01)
    assert YoloDetector(net, 608).preprocess == Letterboxed(608, fill=0.5)
    with pytest.raises(ValueError, match="multiple of 32"):
        YoloDetector(net, 400)


@pytest.mark.parametrize("fuse", [True, False], ids=["bn-fused", "bn-separate"])
def test_torch_port_matches_opencv_dnn(net, cv_net, fuse, cfg_text):
    """Same letterboxed tensor into both; decoded rows (cx, cy, w, h, objectness) and class scores agree."""
    model = net if fuse else load_darknet(asset_path("yolov3_tiny_cfg"), asset_path("yolov3_tiny_weights"), fuse=False)
    x, _ = Letterboxed(416, fill=0.5)(composite_scene())
    with torch.inference_mode():
        ours = decode(model(torch.from_numpy(x)[None]), model.heads, 416).numpy()
    cv_net.setInput(x[None])
    ref = np.concatenate(cv_net.forward(cv_net.getUnconnectedOutLayersNames()))
    assert ref.shape == ours.shape == (507 + 2028, 85)
    assert np.abs(ref[:, :5] - ours[:, :5]).max() < 1e-3
    class_scores = ours[:, 5:] * ours[:, 4:5]
    shown = ref[:, 5:] > 0
    assert shown.sum() >= 2, "OpenCV reports the cat and the person"
    assert np.abs(ref[:, 5:][shown] - class_scores[shown]).max() < 1e-3
    assert class_scores.max() == pytest.approx(ref[:, 5:].max(), abs=1e-3)
