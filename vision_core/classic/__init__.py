"""Before deep learning: Viola–Jones, template matching, SIFT matching and mosaics, bag of visual words.

Lecture 000, "Some traditional approaches". Modules:

- ``viola_jones``: OpenCV's bundled cascades (``CASCADES``, ``open_cascade``), ``haar_detect`` = the raw
  windows (``haar_windows`` → ``HaarWindows``) grouped by ``group_windows``, ``detect_timed`` → ``Detection``,
  ``working_copy``.
- ``haar``: the integral image, Haar-like features (``HAAR_TYPES``, ``haar_feature_value``), the
  detector's 24×24 window and drawings of features and of the integral image.
- ``cascade``: the cascade XML read into a ``CascadeModel`` (``load_cascade``) and evaluated stage by
  stage with NumPy (``cascade_stage_survivors`` → ``StageCounts``).
- ``adaboost``: a small live AdaBoost on Haar features of lfw_subset (``adaboost_haar``).
- ``templates``: template matching, the degraded search image, ``probe_template``, ``degradation_curve``.
- ``features``: SIFT/ORB matching, Lowe's ratio test, RANSAC homographies, synthetic views, mosaics.
- ``bovw``: bag of visual words on lfw_subset (``train_bovw``, ``bovw_histogram``).

Conventions: images are ``(H, W, 3)`` uint8 RGB, grey images ``(H, W)`` uint8, boxes are ``xyxy``
pixel coordinates (``x1, y1`` exclusive), homographies are ``(3, 3)`` float64 mapping points of the
first image to the second. Every random step takes a ``seed``. Trained cascades are passed in
(``cv2.CascadeClassifier`` from ``open_cascade``, ``CascadeModel`` from ``load_cascade``); nothing here
keeps a cache of them.
"""

from vision_core.classic.adaboost import AdaBoostResult, WeakClassifier, adaboost_haar, weak_classifier_grid
from vision_core.classic.bovw import BOVW_SIDE, BovwModel, bovw_histogram, train_bovw, word_patch_grid
from vision_core.classic.cascade import CascadeModel, StageCounts, cascade_stage_survivors, load_cascade, upright_stages
from vision_core.classic.features import (
    DETECTORS,
    MATCH_VIEWS,
    Matches,
    Mosaic,
    corner_error,
    draw_keypoints,
    draw_matches,
    match_features,
    overlapping_views,
    random_homography,
    stitch,
    synthetic_view,
)
from vision_core.classic.haar import (
    HAAR_DEMO,
    HAAR_TYPES,
    draw_haar_feature,
    haar_feature_value,
    haar_rects,
    haar_window,
    integral_image,
    integral_image_view,
    rect_sum,
)
from vision_core.classic.templates import (
    DEGRADATIONS,
    TEMPLATE_METHODS,
    Degradation,
    TemplateProbe,
    clamp_box,
    default_template_box,
    degradation_curve,
    degrade_search_image,
    draw_probe,
    match_template,
    probe_template,
    score_heatmap,
    top_matches,
)
from vision_core.classic.viola_jones import (
    CASCADES,
    Detection,
    HaarWindows,
    cascade_path,
    detect_timed,
    group_windows,
    haar_detect,
    haar_windows,
    open_cascade,
    working_copy,
)

__all__ = [
    "BOVW_SIDE",
    "CASCADES",
    "DEGRADATIONS",
    "DETECTORS",
    "HAAR_DEMO",
    "HAAR_TYPES",
    "MATCH_VIEWS",
    "TEMPLATE_METHODS",
    "AdaBoostResult",
    "BovwModel",
    "CascadeModel",
    "Degradation",
    "Detection",
    "HaarWindows",
    "Matches",
    "Mosaic",
    "StageCounts",
    "TemplateProbe",
    "WeakClassifier",
    "adaboost_haar",
    "bovw_histogram",
    "cascade_path",
    "cascade_stage_survivors",
    "clamp_box",
    "corner_error",
    "default_template_box",
    "degradation_curve",
    "degrade_search_image",
    "detect_timed",
    "group_windows",
    "draw_haar_feature",
    "draw_keypoints",
    "draw_matches",
    "draw_probe",
    "haar_detect",
    "haar_windows",
    "haar_feature_value",
    "haar_rects",
    "haar_window",
    "integral_image",
    "integral_image_view",
    "load_cascade",
    "match_features",
    "match_template",
    "open_cascade",
    "overlapping_views",
    "probe_template",
    "random_homography",
    "rect_sum",
    "score_heatmap",
    "stitch",
    "synthetic_view",
    "top_matches",
    "train_bovw",
    "upright_stages",
    "weak_classifier_grid",
    "word_patch_grid",
    "working_copy",
]
