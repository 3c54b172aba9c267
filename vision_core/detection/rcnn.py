"""The R-CNN family in the lecture's numbers: training and test times from R-CNN to YOLO and SSD.

Times are seconds per image on the GPUs of the papers (VGG-16 for the R-CNN family) and hours of training.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RCNN_FAMILY", "rcnn_table"]

RCNN_FAMILY: tuple[dict[str, Any], ...] = (
    {"method": "R-CNN", "year": 2014, "train_hours": 84.0, "test_seconds": 47.0, "test_seconds_with_proposals": 49.0,
     "note": "~2000 proposals, one ConvNet pass each (VGG-16); 84 h training, 47 s/image (lecture)",
     "source": "lecture; Girshick et al., CVPR 2014"},
    {"method": "SPP-Net", "year": 2014, "train_hours": 25.0, "test_seconds": 2.3, "test_seconds_with_proposals": 4.3,
     "note": "one ConvNet pass per image, spatial pyramid pooling of each proposal",
     "source": "He et al., ECCV 2014, as charted in Girshick, ICCV 2015 (the lecture's bar chart)"},
    {"method": "Fast R-CNN", "year": 2015, "train_hours": 9.5, "test_seconds": 0.32, "test_seconds_with_proposals": 2.3,
     "note": "RoI pooling, trained end to end; 2.3 s with Selective Search included — proposals dominate",
     "source": "Girshick, ICCV 2015 (the lecture's bar chart)"},
    {"method": "Faster R-CNN", "year": 2015, "train_hours": None, "test_seconds": 0.2, "test_seconds_with_proposals": 0.2,
     "note": "a Region Proposal Network replaces Selective Search; 4 losses trained jointly",
     "source": "Ren et al., NIPS 2015 (VGG-16, ~5 fps)"},
    {"method": "YOLO", "year": 2016, "train_hours": None, "test_seconds": 1 / 45, "test_seconds_with_proposals": 1 / 45,
     "note": "no proposals: one network, S×S grid, 7×7×30 output; 45 fps",
     "source": "Redmon et al., CVPR 2016"},
    {"method": "SSD300", "year": 2016, "train_hours": None, "test_seconds": 1 / 59, "test_seconds_with_proposals": 1 / 59,
     "note": "single shot, default boxes on several feature maps; 59 fps",
     "source": "Liu et al., ECCV 2016"},
)
"""Training time (hours) and test time (seconds per image on a GPU of the time; ``test_seconds`` without and
``test_seconds_with_proposals`` with the region-proposal step) of the detectors in the lecture. R-CNN, SPP-Net and
Fast R-CNN figures are those of Fast R-CNN's Table 4 (VGG-16), which the lecture charts."""


def rcnn_table() -> list[dict[str, Any]]:
    """``RCNN_FAMILY`` as table rows: method, year, test s/image without and with proposals, training hours, the
    change each made, and the source."""
    return [{"method": r["method"], "year": r["year"], "test s/image": round(r["test_seconds"], 3),
             "with proposals": round(r["test_seconds_with_proposals"], 3),
             "training h": r["train_hours"], "what changed": r["note"], "source": r["source"]}
            for r in RCNN_FAMILY]
