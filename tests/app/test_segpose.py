"""AppTest for the segmentation page (the pose page is in test_pose.py), on the astronaut (the sample is preset through the URL)."""

from __future__ import annotations

import pytest

from tests.app.util import errors, run_page

ASTRONAUT = {"sample": "astronaut"}


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def seg():
    at = run_page("segmentation.py", query=ASTRONAUT)
    assert not at.exception, errors(at)
    return at


def test_segmentation_page_runs_selfie_on_the_astronaut(seg):
    assert seg.session_state["_tray_current"].key == "sample:astronaut"
    share = float(_metric(seg, "person pixels").rstrip(" %"))
    assert 40 < share < 75
    assert _metric(seg, "CNN runs (one per pixel)") == "262,144"
    warnings = " ".join(w.value for w in seg.warning)
    assert "Offline substitute, not Mask R-CNN" in warnings
    inst = seg.dataframe[0].value
    assert list(inst["label"]) == ["person"] and inst["mask pixels"].iloc[0] > 0.25 * 512 * 512


def test_segmentation_patch_slider_changes_the_count(seg):
    seg.slider(key="seg_patch").set_value(128).run()
    assert not seg.exception, errors(seg)
    assert _metric(seg, "Each pixel read") == "16,384 times"


def test_missing_voc_model_offers_download_and_falls_back(seg):
    seg.selectbox(key="seg_model").set_value("deeplabv3").run()
    assert not seg.exception, errors(seg)
    infos = " ".join(i.value for i in seg.info)
    assert "is not on this machine" in infos and "download.pytorch.org" in infos and "selfie model" in infos
    assert any(b.label.startswith("Download DeepLabV3") for b in seg.button)
    seg.radio(key="seg_inst").set_value("Mask R-CNN").run()
    assert not seg.exception, errors(seg)
    assert "Mask R-CNN is not on this machine" in " ".join(i.value for i in seg.info)


def test_voc_model_with_stubbed_weights_shows_its_classes(tmp_path, monkeypatch):
    """LR-ASPP with weights=None where torch.hub caches downloads: the page runs it and lists VOC classes."""
    import torch
    import torchvision

    from vision_core.models import get_spec

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    path = get_spec("lraspp").weights.cache_path
    path.parent.mkdir(parents=True)
    torch.manual_seed(0)
    torch.save(torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None).state_dict(), path)
    at = run_page("segmentation.py", query={**ASTRONAUT, "seg_model": "lraspp", "seg_view": "mask"})
    assert not at.exception, errors(at)
    assert not any("is not on this machine" in i.value for i in at.info)
    classes = int(_metric(at, "Classes present"))
    assert 1 <= classes <= 21
