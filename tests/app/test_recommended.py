"""AppTest: each page defaults to the strongest model on this machine and says so; offline it opens exactly as
before; a link that names a model still wins.

Hub weights are ``weights=None`` state dicts (built once per module) linked into the test's own empty torch.hub
cache, as a finished ``make models`` would leave them. The R-CNN family's forward pass is replaced by one canned
person (a box, a mask, 17 keypoints): what is tested is which model the page selects, runs and names, not
Faster R-CNN's output (a weights=None Faster R-CNN v2 takes about 17 s on the composite on 2 CPU cores). The
other networks (ResNet-50, DeepLabV3) really run."""

from __future__ import annotations

import pytest
import torch
from torchvision.models.detection.generalized_rcnn import GeneralizedRCNN

from tests.app.util import errors, metrics, run_page
from tests.models.hub_stubs import untrained
from ui import results
from vision_core.challenges import challenge
from vision_core.models import get_spec

YOLO = "YOLOv3-tiny (COCO-80, 416×416, torch)"
FASTER = "Faster R-CNN ResNet-50 FPN v2 (COCO)"
COMPOSITE = {"det_photo": "Composite scene"}
STRONGEST = "(the strongest model on this machine; others in the menu)."


@pytest.fixture(scope="module")
def stub_store(tmp_path_factory):
    """``name`` → a saved weights=None state dict of that hub model, built at most once in this module."""
    folder = tmp_path_factory.mktemp("stub-weights")
    made = {}

    def path(name: str):
        if name not in made:
            made[name] = folder / get_spec(name).weights.filename
            torch.save(untrained(name).state_dict(), made[name])
        return made[name]

    return path


@pytest.fixture
def present(hub, stub_store):
    """Put stubbed weights of the named hub models into this test's torch.hub cache."""

    def place(*names: str) -> None:
        for name in names:
            dest = get_spec(name).weights.cache_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.symlink_to(stub_store(name))

    return place


@pytest.fixture
def rcnn_runs(monkeypatch) -> list[str]:
    """Every R-CNN forward pass, by class name (``FasterRCNN``, ``MaskRCNN``, ``KeypointRCNN``), answered with one
    canned person; the result cache starts empty."""
    runs: list[str] = []

    def canned(self, images, targets=None):
        runs.append(type(self).__name__)
        h, w = images[0].shape[-2:]
        x0, y0, x1, y1 = 0.3 * w, 0.1 * h, 0.7 * w, 0.9 * h
        out = {"boxes": torch.tensor([[x0, y0, x1, y1]]), "labels": torch.tensor([1]), "scores": torch.tensor([0.9])}
        if self.roi_heads.has_mask():
            out["masks"] = torch.zeros(1, 1, h, w)
            out["masks"][..., int(y0):int(y1), int(x0):int(x1)] = 1.0
        if self.roi_heads.has_keypoint():
            xy = torch.stack([torch.linspace(x0, x1, 17), torch.linspace(y0, y1, 17), torch.ones(17)], 1)
            out["keypoints"], out["keypoints_scores"] = xy[None], torch.full((1, 17), 5.0)
        return [out]

    monkeypatch.setattr(GeneralizedRCNN, "forward", canned)
    results.clear()
    return runs


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_detection_defaults_to_faster_rcnn_when_present_and_says_so(present, rcnn_runs):
    present("fasterrcnn_v2")
    at = run_page("detection.py", COMPOSITE)
    assert not errors(at)
    assert at.selectbox(key="det_model").value == FASTER
    assert f"Using {FASTER} {STRONGEST}" in captions(at)
    assert rcnn_runs == ["FasterRCNN"] and not any("Showing the embedded" in c for c in captions(at))
    assert metrics(at)["Boxes"] == "1" and list(at.dataframe[0].value["label"]) == ["person"]
    at.slider(key="det_score").set_value(0.5).run()
    assert rcnn_runs == ["FasterRCNN"], "a threshold change reads the cached candidates"


def test_detection_without_hub_weights_defaults_to_yolo_as_before(rcnn_runs):
    at = run_page("detection.py", COMPOSITE)
    assert not errors(at)
    assert at.selectbox(key="det_model").value == YOLO
    assert not any("strongest" in c for c in captions(at)) and rcnn_runs == []
    assert metrics(at)["Boxes"] == "2" and list(at.dataframe[0].value["label"]) == ["cat", "person"]
    assert not at.info, "nothing is missing: no download offered"


def test_a_link_naming_yolo_opens_yolo_with_faster_rcnn_present(present, rcnn_runs):
    present("fasterrcnn_v2")
    at = run_page("detection.py", {**COMPOSITE, "det_model": YOLO})
    assert not errors(at)
    assert at.selectbox(key="det_model").value == YOLO and rcnn_runs == []
    assert metrics(at)["Boxes"] == "2" and not any("strongest" in c for c in captions(at))
    c = challenge("det-one-box-each")  # the NMS challenge is set on the embedded detector wherever it opens
    at = run_page("detection.py", query={"challenge": c.id, **c.start})
    assert not errors(at) and at.selectbox(key="det_model").value == YOLO and rcnn_runs == []


def test_classify_defaults_to_resnet50_when_present(present):
    present("resnet50")
    at = run_page("classify.py")
    assert not errors(at)
    assert at.selectbox(key="cls_model").value == "resnet50"
    assert f"Using ResNet-50 (torchvision, ImageNet) {STRONGEST}" in captions(at)
    at = run_page("classify.py", {"cls_model": "efficientnet_lite0"})
    assert at.selectbox(key="cls_model").value == "efficientnet_lite0"
    assert not any("strongest" in c for c in captions(at)) and not errors(at)


def test_segmentation_defaults_to_deeplabv3_and_mask_rcnn_when_present(present, rcnn_runs):
    present("deeplabv3", "maskrcnn")
    at = run_page("segmentation.py", {"sample": "astronaut"})
    assert not errors(at)
    assert at.selectbox(key="seg_model").value == "deeplabv3"
    assert at.radio(key="seg_inst").value == "Mask R-CNN"
    assert f"Using DeepLabV3 MobileNetV3-Large (VOC 21) {STRONGEST}" in captions(at)
    assert f"Using Mask R-CNN ResNet-50 FPN (COCO) {STRONGEST}" in captions(at)
    assert rcnn_runs == ["MaskRCNN"] and list(at.dataframe[0].value["label"]) == ["person"]
    assert not any("Offline substitute" in w.value for w in at.warning)


def test_pose_defaults_to_keypoint_rcnn_when_present(present, rcnn_runs):
    present("keypointrcnn")
    at = run_page("pose.py", {"sample": "astronaut"})
    assert not errors(at)
    assert at.selectbox(key="pose_model").value == "keypointrcnn"
    assert f"Using Keypoint R-CNN ResNet-50 FPN (COCO 17 keypoints) {STRONGEST}" in captions(at)
    assert rcnn_runs == ["KeypointRCNN"] and metrics(at)["People found"] == "1"
    at = run_page("pose.py", {"sample": "astronaut", "pose_model": "blazepose"})
    assert at.selectbox(key="pose_model").value == "blazepose" and rcnn_runs == ["KeypointRCNN"]
    assert not any("strongest" in c for c in captions(at)) and not errors(at)
