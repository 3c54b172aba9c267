"""Running detectors: YOLOv3-tiny on bundled photos, candidates kept once and thresholded many times, torchvision paths."""

from __future__ import annotations

import urllib.error

import numpy as np
import pytest
import torch
import torchvision

from tests.conftest import StubResponse, state_dict_bytes
from tests.detection.conftest import CAT_REGION, PERSON_REGION
from vision_core import detection as D
from vision_core.errors import BadInput, UnknownModel, WeightsMissing
from vision_core.io.samples import load_sample
from vision_core.models import download_weights, get_model, get_spec, missing_requirements
from vision_core.models.darknet import Darknet

pytestmark = pytest.mark.usefixtures("one_thread")


def test_yolov3_tiny_finds_cat_and_person_on_composite(scene, scene_det):
    """Composite of bundled photos (chelsea + astronaut): YOLOv3-tiny at 416, default thresholds."""
    assert scene.shape == (480, 640, 3)
    assert scene_det.labels == ["cat", "person"]
    assert scene_det.scores[0] == pytest.approx(0.930, abs=0.01)
    assert scene_det.scores[1] == pytest.approx(0.882, abs=0.01)
    assert D.box_iou(scene_det.boxes[0], CAT_REGION)[0, 0] > 0.8
    assert D.box_iou(scene_det.boxes[1], PERSON_REGION)[0, 0] > 0.6
    assert scene_det.boxes.shape == (2, 4) and scene_det.boxes.dtype == np.float32
    assert len(scene_det.raw_labels) > len(scene_det) and list(scene_det.keep) == [0, 1]


def test_candidates_are_every_cell_and_anchor_sorted(scene_candidates):
    """YOLOv3-tiny at 416: 13·13·3 + 26·26·3 = 2535 candidates, none dropped, best first, read-only."""
    c = scene_candidates
    assert len(c) == 13 * 13 * 3 + 26 * 26 * 3 == 2535
    assert c.boxes.shape == (2535, 4) and c.scores.shape == (2535,) and len(c.labels) == 2535
    assert np.all(np.diff(c.scores) <= 0) and c.labels[0] == "cat" and c.candidate_floor == 0.0
    assert c.image_size == (480, 640) and c.seconds > 0 and c.model == "yolov3_tiny"
    assert not c.boxes.flags.writeable and not c.scores.flags.writeable
    assert np.all(c.boxes[:, 2] <= 640) and np.all(c.boxes[:, 3] <= 480) and np.all(c.boxes >= 0)


@pytest.mark.parametrize(("name", "label", "score"), [("coffee", "cup", 0.59), ("motorcycle", "motorbike", 0.56)])
def test_yolov3_tiny_on_single_samples(yolo, name, label, score):
    det = D.detect(load_sample(name), net=yolo)
    assert det.labels[0] == label and det.scores[0] == pytest.approx(score, abs=0.02)


def test_full_frame_cat_is_a_known_miss(yolo):
    """YOLOv3-tiny misses the close-up chelsea at 0.25 (the reason for the composite); the cat is still its best guess."""
    found = D.candidates(load_sample("chelsea"), net=yolo)
    det = D.select(found, score_threshold=0.02)
    assert len(D.select(found)) == 0
    assert det.labels[0] == "cat" and det.scores[0] < 0.1


@pytest.mark.parametrize("name", ["coffee", "camera", "astronaut"])
def test_boxes_inside_image_and_scores_in_range(yolo, name):
    image = load_sample(name)
    det = D.detect(image, score_threshold=0.05, net=yolo)
    h, w = image.shape[:2]
    for boxes, scores in ((det.boxes, det.scores), (det.raw_boxes, det.raw_scores)):
        assert np.all(boxes[:, 0] >= 0) and np.all(boxes[:, 2] <= w) and np.all(boxes[:, 1] >= 0) and np.all(boxes[:, 3] <= h)
        assert np.all(boxes[:, 2] >= boxes[:, 0]) and np.all(boxes[:, 3] >= boxes[:, 1])
        assert np.all((scores >= 0.05) & (scores <= 1))
    assert np.all(np.diff(det.scores) <= 0)


def test_thresholds_and_bad_input(scene, scene_candidates, yolo):
    strict = D.select(scene_candidates, score_threshold=0.9)
    assert strict.labels == ["cat"]
    loose = D.select(scene_candidates, score_threshold=0.05, iou_threshold=1.0)
    assert len(loose) == len(loose.raw_labels) > len(D.select(scene_candidates, score_threshold=0.05))
    with pytest.raises(ValueError, match="between 0 and 1"):
        D.detect(scene, score_threshold=1.5, net=yolo)
    with pytest.raises(BadInput, match="between 0 and 1"):
        D.select(scene_candidates, iou_threshold=-0.1)
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        D.detect(np.zeros((10, 10), np.uint8), net=yolo)
    with pytest.raises(UnknownModel, match="Unknown model"):
        D.detect(scene, model="yolo9000", net=yolo)
    with pytest.raises(BadInput, match="not a detector"):
        D.detect(scene, model="vgg16_features", net=yolo)


def test_select_is_detect_without_the_network(scene, scene_candidates, yolo, monkeypatch):
    """Thresholds re-select from kept candidates: the same boxes as a fresh detect(), and no forward pass."""
    fresh = {thr: D.detect(scene, score_threshold=s, iou_threshold=thr, net=yolo)
             for s, thr in ((0.25, 0.45), (0.05, 0.3), (0.5, 0.9))}
    calls = []
    monkeypatch.setattr(Darknet, "forward", lambda self, x: calls.append(1))
    for (s, thr), ref in zip(((0.25, 0.45), (0.05, 0.3), (0.5, 0.9)), fresh.values()):
        det = D.select(scene_candidates, s, thr)
        assert det.labels == ref.labels and det.raw_labels == ref.raw_labels
        np.testing.assert_allclose(det.boxes, ref.boxes, atol=1e-3)
        np.testing.assert_array_equal(det.keep, ref.keep)
        assert (det.score_threshold, det.iou_threshold) == (s, thr)
    assert calls == [] and not yolo.net.training


def test_opencv_runtime_agrees_with_torch(scene, scene_det, yolo_cv):
    other = D.detect(scene, model="yolov3_tiny_opencv", net=yolo_cv)
    assert other.labels == scene_det.labels
    np.testing.assert_allclose(other.boxes, scene_det.boxes, atol=0.05)
    agree = D.match_detections(scene_det, other)
    assert agree.agreement == 1.0 and agree.mean_iou > 0.999


def test_608_input_has_more_candidates(scene, yolo608):
    found = D.candidates(scene, "yolov3_tiny_608", net=yolo608)
    assert len(found) == 19 * 19 * 3 + 38 * 38 * 3
    assert set(D.select(found).labels) == {"cat", "person"}


# ----------------------------------------------------------------------------- torchvision detectors


@pytest.mark.parametrize(("name", "filename", "mb"), [
    ("fasterrcnn_v2", "fasterrcnn_resnet50_fpn_v2_coco-dd69338a.pth", 167),
    ("ssdlite", "ssdlite320_mobilenet_v3_large_coco-a79551df.pth", 13),
    ("retinanet_v2", "retinanet_resnet50_fpn_v2_coco-5905b1c5.pth", 146),
    ("fcos", "fcos_resnet50_fpn_coco-99b0c9b7.pth", 124),
])
def test_torchvision_detectors_offline(hub, name, filename, mb):
    spec = get_spec(name)
    assert spec.task == "detection" and spec.weights.filename == filename
    assert len(spec.classes) == 91 and spec.classes[1] == "person" and spec.classes[17] == "cat"
    (line,) = missing_requirements(spec)
    assert f"({mb} MB)" in line and "download.pytorch.org" in line
    with pytest.raises(WeightsMissing, match="download button"):
        get_model(name, "cpu")

    def offline(url):
        raise urllib.error.URLError("Temporary failure in name resolution")

    with pytest.raises(WeightsMissing, match="offline"):
        download_weights(name, opener=offline)
    assert not list(hub.rglob("*.pth*"))


def test_ssdlite_end_to_end_with_stubbed_download(hub, relaxed_hash, scene):
    """weights=None SSDlite saved as the 'download'; then candidates/select and drawing run through torchvision."""
    torch.manual_seed(0)
    reference = torchvision.models.detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None).eval()
    data = state_dict_bytes(reference)
    path = download_weights("ssdlite", opener=lambda url: StubResponse(data))
    assert path.name == "ssdlite320_mobilenet_v3_large_coco-a79551df.pth"
    net = get_model("ssdlite", "cpu")
    found = D.candidates(scene, "ssdlite", net=net)
    det = D.select(found, score_threshold=0.0, iou_threshold=0.5)
    x = torch.from_numpy(scene.transpose(2, 0, 1).copy()).float() / 255
    with torch.inference_mode():
        ref = reference([x])[0]
    assert len(ref["scores"]) <= len(det.raw_labels) == len(found) <= D.RAW_CANDIDATES
    assert det.raw_scores[0] == pytest.approx(float(ref["scores"][0]), rel=1e-4)
    assert det.candidate_floor == pytest.approx(0.001) and np.all(det.raw_scores >= 0.001)
    assert net.nms_thresh == 0.55 and net.detections_per_img == 300, "the shared model keeps its own settings"
    assert set(det.labels) <= set(get_spec("ssdlite").classes)
    assert np.all(det.boxes[:, 2] <= 640) and np.all(det.boxes[:, 3] <= 480)
    assert D.draw_detections(scene, det).shape == scene.shape


@pytest.mark.slow
@pytest.mark.parametrize(("name", "builder", "floor"), [
    ("fasterrcnn_v2", torchvision.models.detection.fasterrcnn_resnet50_fpn_v2, 0.9),
    ("retinanet_v2", torchvision.models.detection.retinanet_resnet50_fpn_v2, 0.05),
    ("fcos", torchvision.models.detection.fcos_resnet50_fpn, 0.13),
])
def test_resnet50_fpn_detectors_end_to_end_with_stubbed_download(hub, relaxed_hash, scene, name, builder, floor):
    """weights=None network saved as the download, loaded through the registry, run by detect() at 160 px.

    candidates() asks the model for its candidates without its own final NMS, then select() runs ours: at the
    model's own IoU threshold that gives exactly the model's output; the shared model's settings are left as they were.
    """
    torch.manual_seed(0)
    reference = builder(weights=None, weights_backbone=None).eval()
    data = state_dict_bytes(reference)
    path = download_weights(name, opener=lambda url: StubResponse(data))
    assert path.name == get_spec(name).weights.filename
    net = get_model(name, "cpu")
    assert net is not reference and not net.training
    for m in (net, reference):
        m.transform.min_size, m.transform.max_size = (160,), 200
        D.postprocess_owner(m).score_thresh = floor
    owner = D.postprocess_owner(net)
    settings = (owner.nms_thresh, owner.detections_per_img, len(net._modules))
    x = torch.from_numpy(scene.transpose(2, 0, 1).copy()).float() / 255
    with torch.inference_mode():
        ref = reference([x])[0]
    assert 0 < len(ref["scores"]) < owner.detections_per_img
    found = D.candidates(scene, name, net=net)
    det = D.select(found, score_threshold=0.0, iou_threshold=owner.nms_thresh)
    assert (owner.nms_thresh, owner.detections_per_img, len(net._modules)) == settings
    assert det.candidate_floor == pytest.approx(floor)
    assert len(ref["scores"]) <= len(det.raw_scores) < D.RAW_CANDIDATES
    assert np.all(det.raw_scores >= floor)
    np.testing.assert_allclose(det.scores, ref["scores"].numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(det.boxes, ref["boxes"].numpy(), rtol=1e-4, atol=1e-3)
    classes = get_spec(name).classes
    assert det.labels == [classes[int(i)] for i in ref["labels"]]
    looser = D.select(found, score_threshold=0.0, iou_threshold=0.95)
    assert len(looser) >= len(det) and len(looser.raw_scores) == len(det.raw_scores)
    assert np.all(det.boxes[:, 2] <= 640 + 1e-3) and np.all(det.boxes[:, 3] <= 480 + 1e-3)
    assert D.draw_detections(scene, det).shape == scene.shape
