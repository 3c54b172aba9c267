"""AppTest of the classic-CV page: each tab runs on a sample and reacts to its widgets."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.util import ENTRY, errors, metric, run_page
from vision_core import classic


def test_viola_jones_tab_finds_the_astronaut_and_reacts_to_the_cascade():
    at = run_page("classic_cv.py", {"cv_tab": "Viola-Jones", "sample": "astronaut", "cv_stages": "6", "cv_rounds": "5"})
    assert not errors(at) and not at.error
    assert metric(at, "Detections") == "1"
    assert any("stage 1 keeps" in m.value for m in at.markdown)
    assert any("After 5 rounds" in m.value for m in at.markdown)
    at.selectbox(key="cv_cascade").set_value("eye").run()
    assert not errors(at)
    assert metric(at, "Detections") == "2"
    at.selectbox(key="cv_cascade").set_value("upperbody").run()
    assert not errors(at)
    assert any("tilted" in i.value for i in at.info)


def test_template_tab_peak_collapses_when_rotated():
    at = run_page("classic_cv.py", {"cv_tab": "Template matching", "sample": "astronaut"})
    assert not errors(at) and not at.error
    assert float(metric(at, "Best score")) > 0.99
    assert any(s.value == "found" for s in at.success)
    at.slider(key="cv_rot").set_value(90).run()
    assert not errors(at)
    assert float(metric(at, "Score at the true place")) < 0.5
    at.number_input(key="cv_tw").set_value(40).run()
    assert not errors(at)


def test_sift_tab_recovers_the_synthetic_homography_and_switches_images():
    at = run_page("classic_cv.py", {"cv_tab": "SIFT and mosaics", "sample": "coffee"})
    assert not errors(at) and not at.error
    assert float(metric(at, "Mean corner error").split()[0]) < 2.0
    tentative = int(metric(at, "Tentative matches"))
    assert tentative > 50
    at.segmented_control(key="cv_second").set_value("Panorama").run()
    assert not errors(at) and not at.error
    assert float(metric(at, "Mean corner error").split()[0]) < 2.0
    at.segmented_control(key="cv_second").set_value("Another sample").run()
    at.selectbox(key="cv_other").set_value("brick").run()
    assert not errors(at)
    assert int(metric(at, "RANSAC inliers").split()[0]) < 30


def test_bag_of_words_tab_beats_chance_and_reacts_to_k():
    at = run_page("classic_cv.py", {"cv_tab": "Bag of words", "sample": "astronaut", "cv_k": "16"})
    assert not errors(at) and not at.error
    acc = float(metric(at, "Held-out accuracy").rstrip("%"))
    assert acc >= 75.0
    assert any("P(face)" in m.value for m in at.markdown)
    at.select_slider(key="cv_k").set_value(32).run()
    assert not errors(at)
    assert float(metric(at, "Held-out accuracy").rstrip("%")) >= 75.0


def test_bag_of_words_compares_with_vgg16_features():
    at = run_page("classic_cv.py", {"cv_tab": "Bag of words", "sample": "astronaut", "cv_k": "16"})
    at.button(key="cv_cnn_go").click().run()
    assert not errors(at) and not at.error
    table = at.dataframe[-1].value
    assert list(table["numbers per image"]) == [16, 512], "block4_pool has 512 channels"
    cnn_acc = float(table["held-out accuracy"].iloc[1].rstrip("%"))
    assert cnn_acc >= 90.0, "pretrained CNN features separate lfw faces from non-faces almost perfectly"


def test_every_tab_survives_a_tiny_uploaded_photo():
    import numpy as np

    from ui.tray import TrayImage

    tiny = np.random.default_rng(0).integers(0, 256, size=(12, 10, 3), dtype=np.uint8)
    for tab in ("Viola-Jones", "Template matching", "SIFT and mosaics", "Bag of words"):
        at = AppTest.from_file(ENTRY, default_timeout=120)
        at.query_params["src"] = "Upload"
        at.query_params["cv_tab"] = tab
        at.session_state["_tray_upload"] = TrayImage(tiny, "upload", "tiny.png", "upload:tiny")
        at.run()
        at.switch_page("pages/classic_cv.py")
        at.run()
        assert not errors(at), (tab, errors(at))
        if tab == "Template matching":
            assert any("10×12 working copy" in c.value for c in at.caption), "the page works on the uploaded photo"


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """Calls of every expensive vision_core.classic computation the page makes, counted."""
    counts: dict[str, int] = {}
    for name in ("haar_windows", "group_windows", "cascade_stage_survivors", "adaboost_haar", "probe_template", "degradation_curve",
                 "match_features", "stitch", "train_bovw", "bovw_histogram"):
        real = getattr(classic, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            counts[_name] = counts.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(classic, name, counted)
    return counts


def test_reruns_compute_only_what_a_changed_setting_needs(calls):
    at = run_page("classic_cv.py", {"cv_tab": "Viola-Jones", "sample": "coffee", "cv_stages": "4", "cv_rounds": "3"})
    assert not errors(at) and not at.error
    before = dict(calls)
    at.run()
    assert calls == before, "a rerun that changed nothing computes nothing"
    at.slider(key="cv_neighbors").set_value(3).run()
    assert not errors(at)
    assert calls.get("haar_windows") == before.get("haar_windows") == 1, "minNeighbors only groups the raw windows again"
    assert calls.get("group_windows") == before.get("group_windows") + 1
    at.slider(key="cv_scale").set_value(1.2).run()
    assert calls.get("haar_windows") == 2, "a new scaleFactor searches the pyramid again, once"
    assert calls.get("cascade_stage_survivors") == before.get("cascade_stage_survivors"), "stage counts do not use it"
    assert calls.get("adaboost_haar") == before.get("adaboost_haar"), "nor does AdaBoost"


def test_sift_lines_and_curve_choice_are_display_only(calls):
    at = run_page("classic_cv.py", {"cv_tab": "SIFT and mosaics", "sample": "coffee", "cv_srot": "25"})
    assert not errors(at) and not at.error
    matched, stitched = calls.get("match_features", 0), calls.get("stitch", 0)
    at.segmented_control(key="cv_lines").set_value("inliers").run()
    assert not errors(at)
    assert calls.get("match_features", 0) == matched and calls.get("stitch", 0) == stitched
    at.slider(key="cv_ratio").set_value(0.8).run()
    assert calls.get("match_features", 0) == matched + 1, "a new ratio matches again, once"


def test_template_rerun_reuses_the_probe(calls):
    at = run_page("classic_cv.py", {"cv_tab": "Template matching", "sample": "coffee"})
    assert not errors(at) and not at.error
    probes, curves = calls.get("probe_template", 0), calls.get("degradation_curve", 0)
    at.segmented_control(key="cv_curve").set_value("shadow").run()
    assert not errors(at)
    assert calls.get("probe_template", 0) == probes, "another curve does not probe the template again"
    assert calls.get("degradation_curve", 0) == curves + 1
