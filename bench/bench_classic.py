"""Classic CV rows: Viola–Jones face detection and SIFT + RANSAC matching on 1024-pixel photos, against bare OpenCV."""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from bench.core import Row, measure, timed_row, value_row
from vision_core import classic
from vision_core.io.images import to_gray
from vision_core.io.samples import load_sample


def _photo_1024(name: str) -> np.ndarray:
    img = Image.fromarray(load_sample(name))
    scale = 1024 / max(img.size)
    return np.asarray(img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS))


def _cpu_seconds(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median CPU time (all threads of this process) of ``fn()``: less sensitive than wall time to a shared machine."""
    return measure(fn, repeat, 1, clock=time.process_time)[0]


def rows() -> list[Row]:
    face = _photo_1024("astronaut")
    clf = cv2.CascadeClassifier(str(classic.cascade_path("frontalface_default")))
    ours = classic.open_cascade("frontalface_default")

    def bare_haar() -> np.ndarray:
        gray = cv2.equalizeHist(cv2.cvtColor(face, cv2.COLOR_RGB2GRAY))
        return clf.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(30, 30))

    scene = _photo_1024("china")
    view, _ = classic.synthetic_view(scene, rotation=20, scale=0.85, perspective=0.08, brightness=0.8, seed=1)
    sift = cv2.SIFT_create()
    matcher = cv2.BFMatcher(cv2.NORM_L2)

    def bare_sift() -> np.ndarray | None:
        k1, d1 = sift.detectAndCompute(cv2.cvtColor(scene, cv2.COLOR_RGB2GRAY), None)
        k2, d2 = sift.detectAndCompute(cv2.cvtColor(view, cv2.COLOR_RGB2GRAY), None)
        good = [m for m, n in matcher.knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
        src = np.float32([k1[m.queryIdx].pt for m in good])
        dst = np.float32([k2[m.trainIdx].pt for m in good])
        return cv2.findHomography(src, dst, cv2.RANSAC, 3.0)[0]

    box = (400, 300, 520, 420)
    template = np.ascontiguousarray(scene[300:420, 400:520])

    def bare_template() -> np.ndarray:
        return cv2.matchTemplate(to_gray(scene), to_gray(template), cv2.TM_CCOEFF_NORMED)

    return [
        timed_row("classic", "Haar face detection, 1024×1024 astronaut", lambda: classic.haar_detect(face, ours), bare_haar,
                  repeat=7, target="< 150 ms", note="baseline: bare cvtColor + equalizeHist + detectMultiScale"),
        value_row("classic", "  same, CPU time of all threads", _cpu_seconds(lambda: classic.haar_detect(face, ours)), "s",
                  note="process_time"),
        timed_row("classic", "Haar face detection, 1024 px searched at 640 px", lambda: classic.haar_detect(face, ours, max_side=640),
                  repeat=7, target="< 150 ms", note="haar_detect(max_side=640); the page uses max_side=1024"),
        value_row("classic", "  same, CPU time of all threads",
                  _cpu_seconds(lambda: classic.haar_detect(face, ours, max_side=640)), "s", note="process_time"),
        timed_row("classic", "SIFT + ratio test + RANSAC, two 1024-px photos", lambda: classic.match_features(scene, view),
                  bare_sift, repeat=3, target="< 1.5 s", note="baseline: bare SIFT ×2, BFMatcher knn, findHomography"),
        value_row("classic", "  same, CPU time of all threads", _cpu_seconds(lambda: classic.match_features(scene, view)),
                  "s", note="process_time"),
        timed_row("classic", "template matching 120×120 in 1024-px photo", lambda: classic.match_template(scene, template),
                  bare_template, repeat=7, note=f"box {box}; baseline: bare cv2.matchTemplate on grey"),
    ]
