"""AppTest of the object-detection page: every view renders, widgets change the numbers, missing models explain themselves."""

from __future__ import annotations

import pytest

from tests.app.util import errors, run_page


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def at():
    return run_page("detection.py", {"det_photo": "Composite scene"})


def test_detect_view_on_composite(at):
    assert not errors(at)
    assert _metrics(at)["Boxes"] == "2"
    table = at.dataframe[0].value
    assert list(table["label"]) == ["cat", "person"] and table["score"].iloc[0] == pytest.approx(0.93, abs=0.01)
    at.slider(key="det_score").set_value(0.9).run()
    assert _metrics(at)["Boxes"] == "1" and not errors(at)
    at.multiselect(key="det_classes").set_value([]).run()
    assert _metrics(at)["Boxes"] == "0"
    at.slider(key="det_score").set_value(0.25).run()
    at.multiselect(key="det_classes").set_value(["cat", "person"]).run()
    assert _metrics(at)["Boxes"] == "2"


def test_missing_torchvision_detector_falls_back(at):
    at.selectbox(key="det_model").set_value("Faster R-CNN ResNet-50 FPN v2 (COCO)").run()
    assert not errors(at)
    assert any("not on this machine" in i.value for i in at.info)
    assert any(b.label.startswith("Download Faster R-CNN") for b in at.button)
    assert _metrics(at)["Boxes"] == "2", "the embedded YOLOv3-tiny keeps working"
    at.selectbox(key="det_model").set_value("YOLOv3-tiny (COCO-80, 416×416, torch)").run()


def test_close_up_cat_says_why_nothing_is_found():
    at = run_page("detection.py", {"det_photo": "Tray photo", "sample": "chelsea"})
    assert not errors(at) and _metrics(at)["Boxes"] == "0"
    assert any("close-ups" in i.value for i in at.info)


def test_two_detectors_agree(at):
    at.segmented_control(key="det_view").set_value("Two detectors").run()
    assert not errors(at)
    m = _metrics(at)
    assert m["Agreement"] == "100%" and m["Matched pairs"] == "2"
    at.selectbox(key="det_b").set_value("YOLOv3-tiny (COCO-80, 416×416, OpenCV dnn)").run()
    assert _metrics(at)["Mean IoU of pairs"] == "1.00"
    at.slider(key="det_match").set_value(0.95).run()
    assert _metrics(at)["Matched pairs"] == "2"


def test_iou_view_sliders_change_iou(at):
    at.segmented_control(key="det_view").set_value("IoU").run()
    first = float(_metrics(at)["IoU"])
    at.slider(key="det_bx").set_value((10, 55)).run()
    at.slider(key="det_by").set_value((15, 70)).run()
    assert float(_metrics(at)["IoU"]) == pytest.approx(1.0) and first < 0.5
    assert any("correct detection" in s.value for s in at.success)


def test_nms_view_rounds(at):
    at.segmented_control(key="det_view").set_value("NMS step by step").run()
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


def test_proposals_grid_and_family(at):
    at.segmented_control(key="det_view").set_value("Windows vs proposals").run()
    assert not errors(at)
    m = _metrics(at)
    assert int(m["Proposals"].replace(",", "")) > 500
    assert m["Sliding windows on this 640×480 photo"] == "3,577"
    at.segmented_control(key="det_view").set_value("YOLO grid").run()
    assert _metrics(at)["Output tensor"] == "7 × 7 × 30"
    at.slider(key="det_B").set_value(3).run()
    assert _metrics(at)["Output tensor"] == "7 × 7 × 35"
    assert any("13×13×255" in md.value for md in at.markdown)
    at.segmented_control(key="det_view").set_value("R-CNN family").run()
    assert not errors(at)
    assert len(at.get("plotly_chart")) == 1


def test_malformed_query_params_are_ignored():
    at = run_page("detection.py", {"det_model": "<script>", "det_score": "7", "det_view": "Nonsense",
                                   "det_photo": "Composite scene", "det_ax": "90,10"})
    assert not errors(at)
    assert at.selectbox(key="det_model").value == "YOLOv3-tiny (COCO-80, 416×416, torch)"
    assert _metrics(at)["Boxes"] == "2"


SSDLITE = "SSDlite320 MobileNetV3-Large (COCO)"


def test_download_button_offline_says_so(monkeypatch, tmp_path):
    import torch

    from vision_core.models import _api as models

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))

    def offline(*args, **kwargs):
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(models, "_download", offline)
    at = run_page("detection.py", {"det_model": SSDLITE, "det_photo": "Composite scene"})
    button = next(b for b in at.button if b.label.startswith("Download SSDlite320"))
    assert "13 MB" in button.label
    button.click().run()
    assert not errors(at)
    assert any("offline" in e.value for e in at.error)
    assert _metrics(at)["Boxes"] == "2", "the embedded detector keeps working"


def test_torchvision_detector_on_page_with_cached_weights(monkeypatch, tmp_path):
    """weights=None SSDlite placed in torch.hub's cache, as a finished download would; the page runs it."""
    import torch
    import torchvision

    from vision_core import detection
    from vision_core.models import get_spec

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setattr(detection, "_MODEL_CACHE", {})
    path = get_spec("ssdlite").weights.cache_path
    path.parent.mkdir(parents=True)
    torch.manual_seed(0)
    net = torchvision.models.detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)
    torch.save(net.state_dict(), path)
    at = run_page("detection.py", {"det_model": SSDLITE, "det_photo": "Composite scene", "det_score": "0.05"})
    assert not errors(at)
    assert not any("not on this machine" in i.value for i in at.info)
    assert any("the model resizes and normalises" in c.value for c in at.caption), "torchvision preprocessing shown"
    assert int(_metrics(at)["Before NMS"]) >= int(_metrics(at)["Boxes"])
