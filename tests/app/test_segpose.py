"""AppTest for the segmentation page (the pose page is in test_pose.py), on the astronaut (the sample is preset through
the URL). Each test opens its own page; tests that need torchvision weights to be absent say so with ``hub``
(torch.hub pointed at an empty folder of their own), and display-only changes are shown to run no network."""

from __future__ import annotations

import pytest
import torch
import torchvision

from dataclasses import replace

from tests.app.util import count_calls, errors, metric, run_page
from ui import models as ui_models
from ui import results
from vision_core.models import _api, get_spec
from vision_core.models.darknet import Darknet
from vision_core.models.tflite import TfliteModel

ASTRONAUT = {"sample": "astronaut"}


def page(**query: str):
    at = run_page("segmentation.py", query={**ASTRONAUT, **query})
    assert not at.exception, errors(at)
    return at


def test_segmentation_page_runs_selfie_on_the_astronaut():
    at = page()
    assert at.session_state["_tray_current"].key == "sample:astronaut"
    share = float(metric(at, "person pixels").rstrip(" %"))
    assert 40 < share < 75
    assert metric(at, "CNN runs (one per pixel)") == "262,144"
    warnings = " ".join(w.value for w in at.warning)
    assert "Offline substitute, not Mask R-CNN" in warnings
    inst = at.dataframe[0].value
    assert list(inst["label"]) == ["person"] and inst["mask pixels"].iloc[0] > 0.25 * 512 * 512
    assert inst["box (x0, y0, x1, y1)"].iloc[0] == "66, 0, 332, 512", "BlazePose's box: landmarks and head top, +10 %"


def test_segmentation_patch_slider_changes_the_count():
    at = page()
    at.slider(key="seg_patch").set_value(128).run()
    assert not at.exception, errors(at)
    assert metric(at, "Each pixel read") == "16,384 times"


def test_views_and_substitutes():
    at = page(seg_view="mask")
    assert not at.exception, errors(at)
    at.radio(key="seg_view").set_value("probability").run()
    assert at.selectbox(key="seg_prob_class").value == "person" and not at.exception
    at.radio(key="seg_inst").set_value("Selfie mask split by boxes (offline substitute)").run()
    assert not at.exception, errors(at)
    assert "split between the boxes" in " ".join(w.value for w in at.warning)
    at.radio(key="seg_boxes").set_value("YOLOv3-tiny").run()
    assert not at.exception, errors(at)
    assert "YOLOv3-tiny found no object in this photo" in " ".join(w.value for w in at.warning), \
        "its best box on the astronaut scores 0.22, under the 0.3 the substitute asks for"


def test_yolo_boxes_feed_grabcut():
    at = run_page("segmentation.py", query={"sample": "coffee", "seg_boxes": "YOLOv3-tiny"})
    assert not at.exception, errors(at)
    inst = at.dataframe[0].value
    assert list(inst["label"]) == ["cup"] and inst["score"].iloc[0] == pytest.approx(0.59, abs=0.02)
    assert inst["mask pixels"].iloc[0] > 0


def test_missing_voc_model_offers_download_and_falls_back(hub):
    """torch.hub points at an empty folder: DeepLabV3 and Mask R-CNN are absent whatever this machine holds."""
    at = page(seg_model="deeplabv3")
    infos = " ".join(i.value for i in at.info)
    assert "is not on this machine" in infos and "download.pytorch.org" in infos and "selfie model" in infos
    assert any(b.label.startswith("Download DeepLabV3") for b in at.button)
    assert float(metric(at, "person pixels").rstrip(" %")) > 40, "the selfie model runs meanwhile"
    at.radio(key="seg_inst").set_value("Mask R-CNN").run()
    assert not at.exception, errors(at)
    assert "Mask R-CNN is not on this machine" in " ".join(i.value for i in at.info)


def _stub(name: str, builder) -> None:
    """``builder(weights=None)`` saved where torch.hub caches ``name``'s download (the test's own ``hub``)."""
    path = get_spec(name).weights.cache_path
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.save(builder(weights=None, weights_backbone=None).state_dict(), path)


def test_voc_model_with_stubbed_weights_shows_its_classes(hub):
    """LR-ASPP with weights=None where torch.hub caches downloads: the page runs it and lists VOC classes."""
    _stub("lraspp", torchvision.models.segmentation.lraspp_mobilenet_v3_large)
    at = page(seg_model="lraspp", seg_view="mask")
    assert not any("is not on this machine" in i.value for i in at.info)
    classes = int(metric(at, "Classes present"))
    assert 1 <= classes <= 21


@pytest.fixture
def forward_passes(monkeypatch) -> dict[str, int]:
    """Calls of every TFLite net (selfie, BlazePose's two), YOLOv3-tiny's Darknet, LR-ASPP and Mask R-CNN, counted;
    the result cache starts empty."""
    counts = count_calls(monkeypatch, tflite=(TfliteModel, "__call__"), darknet=(Darknet, "forward"),
                         lraspp=(torchvision.models.segmentation.lraspp.LRASPP, "forward"),
                         maskrcnn=(torchvision.models.detection.mask_rcnn.MaskRCNN, "forward"))
    results.clear()
    return counts


def test_display_only_changes_run_no_network(forward_passes):
    """Selfie and BlazePose run once; opacity, view, class, patch, U-Net, a substitute sharing the selfie mask and a
    return to an earlier box source run nothing again."""
    at = page()
    assert forward_passes["tflite"] == 3, "selfie once, BlazePose's detector and landmark net once each"
    at.slider(key="seg_alpha").set_value(0.9).run()
    at.radio(key="seg_view").set_value("mask").run()
    at.radio(key="seg_view").set_value("probability").run()
    at.selectbox(key="seg_prob_class").set_value("person").run()
    at.slider(key="seg_patch").set_value(32).run()
    at.select_slider(key="seg_unet").set_value(380).run()
    at.radio(key="seg_inst").set_value("Selfie mask split by boxes (offline substitute)").run()
    assert not at.exception, errors(at)
    assert forward_passes["tflite"] == 3
    at.radio(key="seg_boxes").set_value("YOLOv3-tiny").run()
    at.radio(key="seg_boxes").set_value("BlazePose").run()
    at.slider(key="seg_alpha").set_value(0.2).run()
    assert not at.exception, errors(at)
    assert forward_passes == {"tflite": 3, "darknet": 1, "lraspp": 0, "maskrcnn": 0}


def test_display_only_changes_run_no_torchvision_network(hub, forward_passes, monkeypatch, request):
    """LR-ASPP and Mask R-CNN with stubbed weights run once each; moving opacity and the view runs neither again.
    (Mask R-CNN is built for 256-pixel inputs and 5 instances here, to keep the test short on a CPU.)"""
    _stub("lraspp", torchvision.models.segmentation.lraspp_mobilenet_v3_large)
    _stub("maskrcnn", torchvision.models.detection.maskrcnn_resnet50_fpn)
    spec = get_spec("maskrcnn")

    def small(device):
        net = spec.loader(device)
        net.transform.min_size, net.transform.max_size = (256,), 320
        net.roi_heads.detections_per_img = 5
        return net

    monkeypatch.setitem(_api._REGISTRY, "maskrcnn", replace(spec, loader=small))
    ui_models._cached_model.clear()  # no copy of another test's Mask R-CNN, and none of this one left behind
    request.addfinalizer(ui_models._cached_model.clear)
    at = page(seg_model="lraspp", seg_inst="Mask R-CNN")
    assert not any("is not on this machine" in i.value for i in at.info)
    assert forward_passes["lraspp"] == 1 and forward_passes["maskrcnn"] == 1
    at.slider(key="seg_alpha").set_value(0.3).run()
    at.radio(key="seg_view").set_value("mask").run()
    at.radio(key="seg_view").set_value("probability").run()
    at.slider(key="seg_patch").set_value(16).run()
    assert not at.exception, errors(at)
    assert forward_passes["lraspp"] == 1 and forward_passes["maskrcnn"] == 1
