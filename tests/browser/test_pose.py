"""Pose in a real browser: the page opens on the astronaut, the joints CSV downloads, the face mesh goes into the link."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import assert_no_exception, metric, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_pose_page_skeleton_table_and_csv(server, page):
    open_page(page, server + "/pose?sample=astronaut")
    assert metric(page, "People found") == "1"
    assert metric(page, "Faces found (MTCNN)") == "1"
    page.get_by_text("The lecture's 14 joints (DeepPose").wait_for()
    screenshot(page, "pose-astronaut")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the joints (CSV)").click()
    rows = list(csv.reader(io.StringIO(open(info.value.path()).read())))
    assert rows[0] == ["person", "joint", "x", "y", "score", "source"] and len(rows) == 15
    names = [r[1] for r in rows[1:]]
    assert names[0] == "right foot" and names[-2:] == ["neck", "head top"]
    page.get_by_text("From the model's points to the lecture's 14 joints").scroll_into_view_if_needed()
    screenshot(page, "pose-astronaut-table")

    page.get_by_text("Face mesh (468)").click()
    wait_for_app(page)
    assert "pose_mesh=true" in page.url.lower()
    assert_no_exception(page)
    screenshot(page, "pose-astronaut-mesh")


def test_pose_page_hands_and_face_detectors_from_a_link(server, page):
    page.goto(server + "/pose?sample=astronaut&pose_hands=true&pose_hand_src=a+hand+drawn+by+the+app"
              "&pose_compare=true")
    wait_for_app(page)
    assert_no_exception(page)
    assert metric(page, "Hands found") == "1"
    page.get_by_text("Three face detectors on one photo").scroll_into_view_if_needed()
    page.get_by_text("Boxes: MTCNN red, BlazeFace blue, Haar yellow").wait_for()
    screenshot(page, "pose-hands-faces")
