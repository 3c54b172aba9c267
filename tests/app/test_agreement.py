"""AppTest of the agreement numbers (issue 16 item 7): the attribution maps' Spearman ρ and top-k overlap on "Inside
the network", two segmenters' IoU on the segmentation page, two detectors with their own NMS slider; every display
change (top-k %, the pair, opacity, NMS) runs no network."""

from __future__ import annotations

import pytest
import torch
import torchvision

import ui.see_plots
from tests.app.util import errors, image_captions, metrics, record_calls, run_page, settle
from tests.conftest import state_dict_bytes
from ui import results
from vision_core.io.samples import load_sample
from vision_core.models import get_model, get_spec
from vision_core.see import agreement, grad_cam, occlusion_map, saliency_map


@pytest.fixture
def attribution_runs(monkeypatch):
    """Counts every Grad-CAM, occlusion and saliency run behind "Inside the network"; the result cache starts empty."""
    calls = record_calls(monkeypatch, ui.see_plots, ("grad_cam", "occlusion_map", "saliency_map"))
    results.clear()
    return calls


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


AGREE = {"ins_view": "Agreement", "ins_patch": "112", "ins_stride": "56"}


def test_attribution_agreement_numbers_and_display_changes_run_no_network(attribution_runs):
    at = run_page("inside_network.py", query=AGREE)
    assert not at.exception, errors(at)
    assert "9 positions of the grey patch" in " ".join(c.value for c in at.caption)
    settle(at)
    assert not at.exception, errors(at)
    net, chelsea = get_model("efficientnet_lite0", "cpu"), load_sample("chelsea")
    want = agreement({"Grad-CAM": grad_cam(chelsea, net=net).heat,
                      "occlusion": occlusion_map(chelsea, net=net, patch=112, stride=56).heat,
                      "saliency": saliency_map(chelsea, net=net).heat}, 14, 10)
    rho, overlap = want.pair("Grad-CAM", "occlusion")
    assert f"Spearman ρ = **{rho:.2f}**, top-10 % overlap = **{overlap:.0%}**" in _markdown(at), _markdown(at)
    assert len(at.get("plotly_chart")) == 2, "the two matrices"
    assert sorted(attribution_runs) == ["grad_cam", "occlusion_map", "saliency_map"]
    at.slider(key="ins_topk").set_value(30).run()
    _, overlap30 = agreement({n: m for n, m in zip(want.names, want.pooled)}, 14, 30).pair("Grad-CAM", "occlusion")
    assert f"top-30 % overlap = **{overlap30:.0%}**" in _markdown(at)
    at.segmented_control(key="ins_pair").set_value("occlusion · saliency").run()
    rho_os = want.pair("occlusion", "saliency")[0]
    assert f"**occlusion vs saliency** for 'tiger cat': Spearman ρ = **{rho_os:.2f}**" in _markdown(at)
    at.slider(key="ins_alpha").set_value(0.9).run()
    assert not at.exception, errors(at)
    assert "green both" in image_captions(at)
    assert sorted(attribution_runs) == ["grad_cam", "occlusion_map", "saliency_map"], "display changes ran no network"
    at.segmented_control(key="ins_view").set_value("Grad-CAM").run()
    assert attribution_runs.count("grad_cam") == 1, "the Grad-CAM view shows the same cached map"


def test_attribution_agreement_bad_stride_is_explained():
    at = run_page("inside_network.py", query={"ins_view": "Agreement", "ins_patch": "16", "ins_stride": "32"})
    assert not at.exception, errors(at)
    assert any("larger than the patch" in e.value for e in at.error)


@pytest.fixture
def segmenter_runs(monkeypatch):
    """Counts every segmenter, BlazePose and GrabCut run behind the segmentation page; the result cache starts empty."""
    import ui.seg_plots

    calls = record_calls(monkeypatch, ui.seg_plots, ("segment", "grabcut_instances", "estimate_pose"),
                         label=lambda name, args: name if name != "segment" else f"segment:{args[1]}")
    results.clear()
    return calls


def test_selfie_against_grabcut_iou_and_display_changes_run_nothing(hub, segmenter_runs):
    at = run_page("segmentation.py", query={"sample": "astronaut"})
    assert not at.exception, errors(at)
    iou = metrics(at)["IoU (person)"]
    assert 0.5 <= float(iou) <= 0.61, iou  # 0.555 measured (tests/segmentation/test_agreement.py)
    assert any(f"= **{iou}**" in m.value for m in at.markdown)
    assert "green both, blue only the selfie model" in image_captions(at)
    runs = sorted(segmenter_runs)
    assert runs == ["estimate_pose", "grabcut_instances", "segment:selfie"], "shared with the views above"
    at.slider(key="seg_pair_alpha").set_value(0.9).run()
    at.segmented_control(key="seg_pair").set_value("DeepLabV3 vs FCN (VOC, downloads)").run()
    assert not at.exception, errors(at)
    assert any("the other pair compares two embedded segmenters" in i.value for i in at.info)
    assert any(b.label.startswith("Download DeepLabV3") for b in at.button)
    at.segmented_control(key="seg_pair").set_value("selfie vs GrabCut (offline)").run()
    assert metrics(at)["IoU (person)"] == iou
    assert sorted(segmenter_runs) == runs, "opacity and the pair ran no network again"


def test_deeplabv3_against_fcn_with_stubbed_downloads(hub, segmenter_runs, request):
    """weights=None DeepLabV3 and FCN saved where torch.hub keeps downloads: the page compares every class."""
    from ui import models as ui_models

    torch.manual_seed(0)
    for name, build in (("deeplabv3", torchvision.models.segmentation.deeplabv3_mobilenet_v3_large),
                        ("fcn_resnet50", torchvision.models.segmentation.fcn_resnet50)):
        path = get_spec(name).weights.cache_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(state_dict_bytes(build(weights=None, weights_backbone=None, aux_loss=True)))
    ui_models._cached_model.clear()
    request.addfinalizer(ui_models._cached_model.clear)
    at = run_page("segmentation.py", query={"sample": "astronaut", "seg_pair": "DeepLabV3 vs FCN (VOC, downloads)"})
    assert not at.exception, errors(at)
    m = metrics(at)
    assert 0 <= float(m["Mean IoU"]) <= 1 and m["Pixels with the same class"].endswith("%")
    table = next(d.value for d in at.dataframe if "IoU" in d.value.columns)
    assert int(m["Classes found (either)"]) == len(table) >= 1
    assert table["IoU"].between(0, 1).all() and float(m["Mean IoU"]) == pytest.approx(table["IoU"].mean(), abs=2e-3)
    assert segmenter_runs.count("segment:deeplabv3") == 1 and segmenter_runs.count("segment:fcn_resnet50") == 1
    at.slider(key="seg_pair_alpha").set_value(0.2).run()
    options = at.selectbox(key="seg_pair_class").options
    at.selectbox(key="seg_pair_class").set_value(options[-1]).run()
    assert not at.exception, errors(at)
    assert segmenter_runs.count("segment:deeplabv3") == 1 and segmenter_runs.count("segment:fcn_resnet50") == 1


@pytest.fixture
def darknet_passes(monkeypatch) -> list[int]:
    from vision_core.models.darknet import Darknet

    calls: list[int] = []
    real = Darknet.forward
    monkeypatch.setattr(Darknet, "forward", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    results.clear()
    return calls


def test_two_detectors_have_their_own_nms_slider_that_runs_no_detector(darknet_passes):
    at = run_page("detection.py", query={"det_photo": "Composite scene", "det_view": "Two detectors",
                                         "det_score2": "0.05"})
    assert not at.exception, errors(at)
    assert len(darknet_passes) == 2, "YOLOv3-tiny at 416 and at 608, once each"
    before = metrics(at)
    at.slider(key="det_iou2").set_value(1.0).run()
    after = metrics(at)
    assert not at.exception, errors(at)
    only = [int(v) for v in after["Only A / only B"].split(" / ")]
    assert sum(only) + 2 * int(after["Matched pairs"]) > sum(int(v) for v in before["Only A / only B"].split(" / ")) \
        + 2 * int(before["Matched pairs"]), "NMS switched off (IoU 1.0): more boxes on both sides"
    at.slider(key="det_iou2").set_value(0.3).run()
    assert len(darknet_passes) == 2, "moving the NMS slider re-selects from the cached candidates"
