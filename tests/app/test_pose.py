"""AppTest for the pose page on the astronaut (the sample is preset through the URL): the table, the slider,
the Keypoint R-CNN fallback, and display-only changes that run no network."""

from __future__ import annotations

import pytest

from tests.app.util import count_calls, errors, metric, run_page
from vision_core.models.mtcnn import PNet
from vision_core.models.tflite import TfliteModel

ASTRONAUT = {"sample": "astronaut"}


def test_pose_page_table_slider_and_fallback():
    at = run_page("pose.py", query=ASTRONAUT)
    assert not at.exception, errors(at)
    assert metric(at, "People found") == "1" and metric(at, "Faces found (MTCNN)") == "1"
    table = at.dataframe[0].value
    assert list(table["joint"])[:2] == ["right foot", "right knee"] and len(table) == 14
    visible_default = int(table["visible"].sum())
    at.slider(key="pose_min").set_value(0.95).run()
    assert not at.exception, errors(at)
    assert int(at.dataframe[0].value["visible"].sum()) < visible_default
    at.checkbox(key="pose_mesh").check().run()
    assert not at.exception, errors(at)
    at.selectbox(key="pose_model").set_value("keypointrcnn").run()
    assert not at.exception, errors(at)
    assert "Meanwhile, the embedded BlazePose" in " ".join(i.value for i in at.info)
    assert metric(at, "People found") == "1"


def test_caption_is_the_recipe_that_runs():
    at = run_page("pose.py", query=ASTRONAUT)
    assert not at.exception, errors(at)
    text = " ".join(c.value for c in at.caption)
    assert "letterbox to 224×224 (aspect kept, black 0 borders), RGB scaled to [-1, 1]" in text
    assert "rotated 256×256 crop, 1.25× the box" in text


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """Forward passes of every TFLite net (BlazePose's two, the face mesh) and of MTCNN's P-Net, counted."""
    counts = count_calls(monkeypatch, tflite=(TfliteModel, "__call__"), pnet=(PNet, "forward"))
    from ui import results

    results._shared().clear()
    return counts


def test_display_only_changes_run_no_network(calls):
    at = run_page("pose.py", query={**ASTRONAUT, "pose_mesh": "true"})
    assert not at.exception, errors(at)
    assert calls["tflite"] == 3, "detector + landmarks + face mesh, once each"
    assert calls["pnet"] >= 5, "P-Net once per pyramid level"
    first = dict(calls)
    at.slider(key="pose_min").set_value(0.9).run()
    at.checkbox(key="pose_faces").uncheck().run()
    at.checkbox(key="pose_mesh").uncheck().run()
    at.checkbox(key="pose_mesh").check().run()
    at.checkbox(key="pose_faces").check().run()
    at.slider(key="pose_min").set_value(0.3).run()
    assert not at.exception, errors(at)
    assert calls == first, "visibility and overlays only change the drawing"
    assert metric(at, "Faces found (MTCNN)") == "1"
    at.number_input(key="pose_people").set_value(2).run()
    assert not at.exception, errors(at)
    assert calls["tflite"] == first["tflite"] + 2 and calls["pnet"] == first["pnet"], \
        "a new people count runs BlazePose again (one person found: detector + landmarks), not MTCNN"


def _table(at, column: str):
    """The first dataframe on the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_hands_on_the_drawn_hand_and_none_on_the_astronaut(calls):
    at = run_page("pose.py", query={**ASTRONAUT, "pose_hands": "true"})
    assert not at.exception, errors(at)
    assert metric(at, "Hands found") == "0"
    assert "No hand found on this photo" in " ".join(i.value for i in at.info)
    before = calls["tflite"]
    at.radio(key="pose_hand_src").set_value("a hand drawn by the app").run()
    assert not at.exception, errors(at)
    assert metric(at, "Hands found") == "1"
    table = _table(at, "presence")
    assert len(table) == 1 and float(table["presence"][0]) > 0.8
    assert calls["tflite"] == before + 2, "palm detector + one landmark run"
    at.slider(key="pose_min").set_value(0.8).run()
    assert calls["tflite"] == before + 2, "the visibility slider runs no hand network"


def test_face_detectors_compared_on_the_astronaut():
    at = run_page("pose.py", query={**ASTRONAUT, "pose_compare": "true"})
    assert not at.exception, errors(at)
    runs = _table(at, "detector")
    assert list(runs["detector"]) == ["MTCNN", "BlazeFace", "Haar"] and list(runs["faces"]) == [1, 1, 1]
    agree = _table(at, "both found")
    assert list(agree["both found"]) == [1, 1, 1]
    assert float(agree["mean IoU of matches"].min()) > 0.5
    at.slider(key="pose_cmp_iou").set_value(0.9).run()
    assert not at.exception, errors(at)
    assert list(_table(at, "both found")["both found"]) == [0, 0, 0], "no pair overlaps by 0.9"
