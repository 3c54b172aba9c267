"""AppTest of the object-detection page: every view renders, widgets change the numbers, missing models explain
themselves, and display-only changes never run a detector again.

Each test opens its own page (no test depends on another's widget state). Tests that need the torchvision
weights to be absent say so with ``hub`` (torch.hub pointed at an empty folder of their own)."""

from __future__ import annotations

import pytest
import torch
import torchvision

from tests.app.util import count_calls, errors, metrics, run_page
from ui import results
from vision_core.models import get_spec, weights
from vision_core.models.darknet import Darknet

COMPOSITE = {"det_photo": "Composite scene"}
SSDLITE = "SSDlite320 MobileNetV3-Large (COCO)"
YOLO = "YOLOv3-tiny (COCO-80, 416×416, torch)"


def composite(**query: str):
    return run_page("detection.py", {**COMPOSITE, **query})


def test_detect_view_on_composite():
    at = composite()
    assert not errors(at)
    assert metrics(at)["Boxes"] == "2"
    table = at.dataframe[0].value
    assert list(table["label"]) == ["cat", "person"] and table["score"].iloc[0] == pytest.approx(0.93, abs=0.01)
    at.slider(key="det_score").set_value(0.9).run()
    assert metrics(at)["Boxes"] == "1" and not errors(at)
    at.multiselect(key="det_classes").set_value([]).run()
    assert metrics(at)["Boxes"] == "0"
    at.slider(key="det_score").set_value(0.25).run()
    at.multiselect(key="det_classes").set_value(["cat", "person"]).run()
    assert metrics(at)["Boxes"] == "2"
    assert any("Letterbox" in c.value or "letterbox" in c.value for c in at.caption), "YOLO's recipe is shown"


def test_missing_torchvision_detector_falls_back(hub):
    """torch.hub points at an empty folder: Faster R-CNN's weights are absent whatever this machine holds."""
    at = composite(det_model="Faster R-CNN ResNet-50 FPN v2 (COCO)")
    assert not errors(at)
    assert at.selectbox(key="det_model").value == "Faster R-CNN ResNet-50 FPN v2 (COCO)"
    assert any("not on this machine" in i.value for i in at.info)
    assert any(b.label.startswith("Download Faster R-CNN") for b in at.button)
    assert any("Showing the embedded" in c.value for c in at.caption)
    assert metrics(at)["Boxes"] == "2", "the embedded YOLOv3-tiny keeps working"


def test_close_up_cat_says_why_nothing_is_found():
    at = run_page("detection.py", {"det_photo": "Tray photo", "sample": "chelsea"})
    assert not errors(at) and metrics(at)["Boxes"] == "0"
    assert any("close-ups" in i.value for i in at.info)


def test_two_detectors_agree():
    at = composite(det_view="Two detectors")
    assert not errors(at)
    m = metrics(at)
    assert m["Agreement"] == "100%" and m["Matched pairs"] == "2"
    at.selectbox(key="det_b").set_value("YOLOv3-tiny (COCO-80, 416×416, OpenCV dnn)").run()
    assert metrics(at)["Mean IoU of pairs"] == "1.00"
    at.slider(key="det_match").set_value(0.95).run()
    assert metrics(at)["Matched pairs"] == "2"


def test_iou_view_sliders_change_iou():
    at = composite(det_view="IoU")
    first = float(metrics(at)["IoU"])
    at.slider(key="det_bx").set_value((10, 55)).run()
    at.slider(key="det_by").set_value((15, 70)).run()
    assert float(metrics(at)["IoU"]) == pytest.approx(1.0) and first < 0.5
    assert any("correct detection" in s.value for s in at.success)


def test_nms_view_rounds():
    at = composite(det_view="NMS step by step")
    assert not errors(at)
    assert at.selectbox(key="det_nms_class").value == "all classes"
    caption = " ".join(c.value for c in at.caption)
    assert "Same result as torchvision.ops.nms: yes" in caption
    rounds = at.dataframe[0].value
    assert list(rounds["class"][:2]) == ["cat", "person"]
    n = len(rounds)
    at.slider(key="det_round").set_value(n).run()
    assert not errors(at)
    assert any(f"Round {n}." in md.value for md in at.markdown)
    at.slider(key="det_nms_score").set_value(0.5).run()
    assert not errors(at) and len(at.dataframe[0].value) == 2 < n
    assert any("Round 2." in md.value for md in at.markdown), "the round is clamped to the last one"
    at.selectbox(key="det_nms_class").set_value("cat").run()
    assert len(at.dataframe[0].value) == 1 and not errors(at)


def test_proposals_grid_and_family():
    at = composite(det_view="Windows vs proposals")
    assert not errors(at)
    m = metrics(at)
    assert int(m["Proposals"].replace(",", "")) > 500
    assert m["Sliding windows on this 640×480 photo"] == "3,577"
    at.segmented_control(key="det_view").set_value("YOLO grid").run()
    assert metrics(at)["Output tensor"] == "7 × 7 × 30"
    at.slider(key="det_B").set_value(3).run()
    assert metrics(at)["Output tensor"] == "7 × 7 × 35"
    assert any("13×13×255" in md.value for md in at.markdown)
    at.segmented_control(key="det_view").set_value("R-CNN family").run()
    assert not errors(at)
    assert len(at.get("plotly_chart")) == 1
    assert at.dataframe[0].value["method"].iloc[0] == "R-CNN"


def test_malformed_query_params_are_ignored():
    at = run_page("detection.py", {"det_model": "<script>", "det_score": "7", "det_view": "Nonsense",
                                   "det_photo": "Composite scene", "det_ax": "90,10"})
    assert not errors(at)
    assert at.selectbox(key="det_model").value == YOLO
    assert metrics(at)["Boxes"] == "2"


def test_download_button_offline_says_so(hub, monkeypatch):
    def offline(*args, **kwargs):
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(weights, "download_file", offline)
    at = composite(det_model=SSDLITE)
    button = next(b for b in at.button if b.label.startswith("Download SSDlite320"))
    assert "13 MB" in button.label
    button.click().run()
    assert not errors(at)
    assert any("offline" in e.value for e in at.error)
    assert metrics(at)["Boxes"] == "2", "the embedded detector keeps working"


def _stub_ssdlite() -> None:
    """weights=None SSDlite placed in torch.hub's cache (the test's own ``hub``), as a finished download would."""
    path = get_spec("ssdlite").weights.cache_path
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    net = torchvision.models.detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)
    torch.save(net.state_dict(), path)


def test_torchvision_detector_on_page_with_cached_weights(hub):
    _stub_ssdlite()
    at = composite(det_model=SSDLITE, det_score="0.05")
    assert not errors(at)
    assert not any("not on this machine" in i.value for i in at.info)
    assert any("the model resizes and normalises" in c.value for c in at.caption), "torchvision preprocessing shown"
    assert int(metrics(at)["Before NMS"]) >= int(metrics(at)["Boxes"])


@pytest.fixture
def forward_passes(monkeypatch) -> dict[str, int]:
    """Forward passes of YOLOv3-tiny's Darknet and of torchvision's SSD, counted; the result cache starts empty."""
    counts = count_calls(monkeypatch, darknet=(Darknet, "forward"),
                         ssd=(torchvision.models.detection.ssd.SSD, "forward"))
    results.clear()
    return counts


def test_display_only_changes_run_no_detector(forward_passes):
    """Score, NMS, class filter, other views: YOLOv3-tiny ran once on the composite (the grid view's head shapes
    are one more pass of zeros, once)."""
    at = composite()
    assert forward_passes["darknet"] == 1 and metrics(at)["Boxes"] == "2"
    at.slider(key="det_score").set_value(0.05).run()
    at.slider(key="det_iou").set_value(0.9).run()
    assert int(metrics(at)["Boxes"]) > 2
    at.multiselect(key="det_classes").set_value(["cat"]).run()
    for view in ("NMS step by step", "R-CNN family", "Two detectors", "Detect"):
        at.segmented_control(key="det_view").set_value(view).run()
        assert not errors(at)
    assert forward_passes["darknet"] == 1 + 1, "Two detectors ran the 608 input once (same weights, new size)"
    at.segmented_control(key="det_view").set_value("NMS step by step").run()
    at.slider(key="det_nms_score").set_value(0.3).run()
    at.slider(key="det_nms_iou").set_value(0.7).run()
    at.segmented_control(key="det_view").set_value("YOLO grid").run()
    at.slider(key="det_S").set_value(13).run()
    assert not errors(at)
    assert forward_passes["darknet"] == 2 + 1, "only the head shapes' pass of zeros was new"
    at.segmented_control(key="det_view").set_value("YOLO grid").run()
    assert forward_passes["darknet"] == 3


def test_display_only_changes_run_no_torchvision_detector(hub, forward_passes):
    """SSDlite with stubbed weights: moving the sliders after the first run never calls the network again."""
    _stub_ssdlite()
    at = composite(det_model=SSDLITE, det_score="0.05")
    assert not errors(at) and forward_passes["ssd"] == 1
    before = int(metrics(at)["Before NMS"])
    at.slider(key="det_score").set_value(0.0).run()
    assert int(metrics(at)["Before NMS"]) >= before
    at.slider(key="det_iou").set_value(0.3).run()
    at.multiselect(key="det_classes").set_value([]).run()
    assert metrics(at)["Boxes"] == "0" and not errors(at)
    assert forward_passes["ssd"] == 1


def test_nms_challenge_starts_unsolved_and_is_solved_by_the_sliders(hub):
    from vision_core.challenges import challenge

    c = challenge("det-one-box-each")
    at = run_page("detection.py", query={"challenge": c.id, **c.start})
    assert not at.exception, [e.value for e in at.exception]
    texts = [p.proto.text for p in at.get("progress")]
    assert any("boxes on the cat" in t and not t.startswith("Score 100") for t in texts), texts
    at.slider(key="det_iou").set_value(0.45).run()
    at.slider(key="det_score").set_value(0.25).run()
    texts = [p.proto.text for p in at.get("progress")]
    assert any(t.startswith("Score 100 %") for t in texts), texts
