"""AppTest for "Classify a photo" and "Inside the network": real predictions on the tray photo, the offline
message for torchvision networks, a two-network comparison with stubbed weights, and every view's main control."""

from __future__ import annotations

import pytest
import torch
import torchvision

import ui.see_plots
from ui import results
from tests.app.util import errors, image_captions, record_calls, run_page, settle
from tests.conftest import state_dict_bytes


@pytest.fixture
def offline_hub(hub):
    """An empty torch.hub cache: every torchvision network counts as not downloaded."""
    return hub


@pytest.fixture
def network_runs(monkeypatch):
    """Counts every run of a network behind the two pages (classification and attribution)."""
    import vision_core.see.attributions as attributions

    calls = record_calls(monkeypatch, ui.see_plots, ["class_probabilities"], label=lambda name, args: "classify")
    record_calls(monkeypatch, ui.see_plots, ("grad_cam", "occlusion_map", "saliency_map"), calls)
    assert attributions.grad_cam is not None
    results.clear()
    return calls


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_classify_shows_top_k_and_preprocessing(offline_hub):
    at = run_page("classify.py")
    assert not at.exception, errors(at)
    assert "Top-1: **tiger cat**" in _captions(at) or "Top-1: **Egyptian cat**" in _captions(at)
    assert "other 995 classes" in _captions(at)
    assert len(at.get("plotly_chart")) == 1
    assert "(x − 127) / 128" in _markdown(at)
    at.slider(key="cls_topk").set_value(3).run()
    assert not at.exception, errors(at)
    assert "other 997 classes" in _captions(at)


def test_coffee_link_opens_espresso(offline_hub):
    at = run_page("classify.py", query={"sample": "coffee", "cls_topk": "2"})
    assert not at.exception, errors(at)
    assert "Top-1: **espresso**" in _captions(at) and "other 998 classes" in _captions(at)


def test_torchvision_network_offline_says_so_and_falls_back(offline_hub):
    at = run_page("classify.py", query={"cls_model": "resnet50"})
    assert not at.exception, errors(at)
    info = " ".join(i.value for i in at.info)
    assert "ResNet-50" in info and "not on this machine" in info and "98 MB" in info
    assert any("EfficientNet-Lite0 is shown instead" in w.value for w in at.warning)
    assert any("Download ResNet-50" in b.label for b in at.button)
    assert "Top-1: **tiger cat**" in _captions(at) or "Top-1: **Egyptian cat**" in _captions(at)


def test_compare_offline_then_with_stubbed_weights(offline_hub):
    at = run_page("classify.py")
    at.toggle(key="cls_compare").set_value(True).run()
    assert not at.exception, errors(at)
    assert "only the embedded EfficientNet-Lite0 runs" in _captions(at)
    assert len(at.get("plotly_chart")) == 1
    # weights=None MobileNet v3 saved where torch.hub keeps the download: the page now compares two real runs
    torch.manual_seed(0)
    target = offline_hub / "checkpoints" / "mobilenet_v3_large-5c1a4163.pth"
    target.parent.mkdir(parents=True)
    target.write_bytes(state_dict_bytes(torchvision.models.mobilenet_v3_large(weights=None)))
    at.selectbox(key="cls_model2").set_value("mobilenet_v3_large").run()
    assert not at.exception, errors(at)
    assert len(at.get("plotly_chart")) == 2
    assert "**Agreement:**" in _markdown(at)


def test_inside_filters_and_feature_maps():
    at = run_page("inside_network.py")
    assert not at.exception, errors(at)
    assert len(at.get("imgs")) >= 2 or len([e for e in at.main if type(e).__name__ == "Image"]) >= 2
    at.segmented_control(key="ins_view").set_value("Feature maps").run()
    assert not at.exception, errors(at)
    assert "32 × 112 × 112" in _captions(at)
    at.select_slider(key="ins_layer").set_value("block5").run()
    assert "80 × 14 × 14" in _captions(at) and "80 channels" in _captions(at)
    at.number_input(key="ins_ch").set_value(79).run()
    assert not at.exception, errors(at)
    at.selectbox(key="ins_net").set_value("vgg16_features").run()
    assert not at.exception, errors(at)
    assert "64 × 224 × 224" in _captions(at)


def test_inside_gradcam_class_choice_and_offline_model(offline_hub):
    at = run_page("inside_network.py", query={"ins_view": "Grad-CAM"})
    assert not at.exception, errors(at)
    assert "Class **tiger cat** (ImageNet #282)" in _markdown(at) or "Class **Egyptian cat**" in _markdown(at)
    at.selectbox(key="ins_class").set_value("967 espresso").run()
    assert "Class **espresso** (ImageNet #967)" in _markdown(at)
    at.slider(key="ins_alpha").set_value(0.9).run()
    assert not at.exception, errors(at)
    at.selectbox(key="ins_model").set_value("resnet50").run()
    assert not at.exception, errors(at)
    assert any("EfficientNet-Lite0 is used" in w.value for w in at.warning)


def test_inside_occlusion_sliders_and_bad_stride():
    at = run_page("inside_network.py", query={"ins_view": "Occlusion", "ins_patch": "112", "ins_stride": "56"})
    assert not at.exception, errors(at)
    assert "9 positions of the grey patch" in _captions(at)
    settle(at)  # occlusion is a queued background job: its map appears once it has run
    assert not at.exception, errors(at)
    assert "largest drop" in _markdown(at)
    at.slider(key="ins_patch").set_value(32).run()
    assert not at.exception, errors(at)
    assert any("larger than the patch" in e.value for e in at.error)


def test_display_only_changes_run_no_network(offline_hub, network_runs):
    """Top-k, a second look at the same photo, the overlay opacity: the network ran once for each result."""
    at = run_page("classify.py")
    assert network_runs == ["classify"]
    at.slider(key="cls_topk").set_value(3).run()
    at.slider(key="cls_topk").set_value(8).run()
    at.run()
    assert not at.exception, errors(at)
    assert network_runs == ["classify"], "top-k reads the cached probabilities"
    at = run_page("inside_network.py", query={"ins_view": "Grad-CAM"})
    at.slider(key="ins_alpha").set_value(0.9).run()
    at.slider(key="ins_alpha").set_value(0.2).run()
    assert not at.exception, errors(at)
    assert network_runs.count("grad_cam") == 1, network_runs
    at.segmented_control(key="ins_view").set_value("Filters").run()
    at.segmented_control(key="ins_view").set_value("Grad-CAM").run()
    assert network_runs.count("grad_cam") == 1, "back to the same view: still the cached map"


def test_what_a_neuron_wants(offline_hub):
    at = run_page("inside_network.py", query={"ins_view": "What a neuron wants", "ins_nlayer": "block2_conv1", "ins_nch": "12"})
    assert not at.exception, errors(at)
    captions = image_captions(at)
    assert "Top 9 patches for block2_conv1 channel 12" in captions
    assert "guided backprop: the strongest unit" in captions
    at.segmented_control(key="ins_nmethod").set_value("deconvnet").run()
    assert not at.exception, errors(at)
    assert "deconvnet: the strongest unit" in image_captions(at)


def test_occluder_challenge_scores_the_square(offline_hub):
    at = run_page("inside_network.py", query={"challenge": "see-smallest-occluder", "ins_view": "Occlusion",
                                              "ins_patch": "112", "ins_stride": "56", "ins_oside": "224", "ins_ox": "0",
                                              "ins_oy": "0"})
    assert not at.exception, errors(at)
    md = _markdown(at)
    assert "Challenge · The smallest occluder" in md and "**The top-1 class changed.**" in md
    scores = [p.proto.text for p in at.get("progress")]
    assert any(s.startswith("Score 21 %") and "224×224 grey square" in s for s in scores), scores
