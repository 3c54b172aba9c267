"""The R-CNN family's numbers as the lecture charts them."""

from __future__ import annotations

from vision_core import detection as D


def test_lecture_timeline_numbers():
    rcnn = D.RCNN_FAMILY[0]
    assert (rcnn["method"], rcnn["train_hours"], rcnn["test_seconds"]) == ("R-CNN", 84.0, 47.0)
    assert [r["method"] for r in D.RCNN_FAMILY][:4] == ["R-CNN", "SPP-Net", "Fast R-CNN", "Faster R-CNN"]
    assert all(r["test_seconds_with_proposals"] >= r["test_seconds"] for r in D.RCNN_FAMILY)
    table = D.rcnn_table()
    assert table[2]["method"] == "Fast R-CNN" and table[2]["test s/image"] == 0.32 and table[2]["with proposals"] == 2.3
    assert table[4]["test s/image"] == round(1 / 45, 3)
