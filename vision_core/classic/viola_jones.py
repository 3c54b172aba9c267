"""Viola–Jones face detection with OpenCV's bundled Haar cascades, and its timing.

Images are ``(H, W, 3)`` uint8 RGB; boxes are ``(N, 4)`` int64 ``xyxy`` pixels of the photo passed in
(``x1, y1`` exclusive).

The trained cascade is a model: ``open_cascade(name)`` builds a fresh ``cv2.CascadeClassifier`` and keeps
no copy. The app keeps one per process in ``ui.models.cascade_classifier`` (behind a lock: OpenCV's
``detectMultiScale`` writes into the classifier's own buffers, so one object must not run in two threads
at once); ``haar_detect`` takes it as an argument.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision_core.checks import check_choice, check_image, check_int
from vision_core.errors import BadInput
from vision_core.io.images import resize_max_side, to_gray

__all__ = ["CASCADES", "GROUP_EPS", "Detection", "HaarWindows", "cascade_path", "detect_timed", "group_windows", "haar_detect",
           "haar_windows", "open_cascade", "working_copy"]

CASCADES: dict[str, str] = {
    "frontalface_default": "haarcascade_frontalface_default.xml",
    "frontalface_alt": "haarcascade_frontalface_alt.xml",
    "frontalface_alt2": "haarcascade_frontalface_alt2.xml",
    "frontalface_alt_tree": "haarcascade_frontalface_alt_tree.xml",
    "profileface": "haarcascade_profileface.xml",
    "eye": "haarcascade_eye.xml",
    "eye_tree_eyeglasses": "haarcascade_eye_tree_eyeglasses.xml",
    "lefteye_2splits": "haarcascade_lefteye_2splits.xml",
    "righteye_2splits": "haarcascade_righteye_2splits.xml",
    "smile": "haarcascade_smile.xml",
    "frontalcatface": "haarcascade_frontalcatface.xml",
    "frontalcatface_extended": "haarcascade_frontalcatface_extended.xml",
    "fullbody": "haarcascade_fullbody.xml",
    "upperbody": "haarcascade_upperbody.xml",
    "lowerbody": "haarcascade_lowerbody.xml",
}
"""Short name → file in ``cv2.data.haarcascades`` (OpenCV 4.x ships them; 5.0 does not)."""


def cascade_path(cascade: str) -> Path:
    """The XML file of OpenCV's cascade ``cascade`` (a key of ``CASCADES``); ``BadInput`` if unknown or absent."""
    check_choice(cascade, CASCADES, "cascade")
    path = Path(cv2.data.haarcascades) / CASCADES[cascade]
    if not path.is_file():
        raise BadInput(f"OpenCV on this machine does not ship {CASCADES[cascade]} (opencv-python-headless<5 does).")
    return path


def open_cascade(cascade: str = "frontalface_default") -> cv2.CascadeClassifier:
    """A new ``cv2.CascadeClassifier`` for ``cascade`` (10–80 ms to parse; nothing is kept here)."""
    clf = cv2.CascadeClassifier(str(cascade_path(cascade)))
    if clf.empty():
        raise BadInput(f"OpenCV could not load the cascade {cascade!r}.")
    return clf


def _check_classifier(classifier: object) -> cv2.CascadeClassifier:
    if not isinstance(classifier, cv2.CascadeClassifier):
        raise BadInput(f"haar_detect needs a cv2.CascadeClassifier (see open_cascade), got {type(classifier).__name__}.")
    if classifier.empty():
        raise BadInput("The cascade classifier is empty: no cascade was loaded into it.")
    return classifier


@dataclass(frozen=True)
class HaarWindows:
    """Every window the cascade accepted before grouping (``detectMultiScale`` with ``minNeighbors=0``).

    ``windows`` is ``(N, 4)`` int32 ``x, y, w, h`` in the pixels of the searched copy, ``shrink`` the copy's scale
    (1.0: the photo itself), ``seconds`` the search's wall time. ``group_windows`` turns them into detections for
    any ``min_neighbors`` without searching again.
    """

    windows: np.ndarray
    shrink: float
    seconds: float


GROUP_EPS = 0.2  # OpenCV's own (cascadedetect.cpp): two windows are neighbours when their sides differ by < ~20 %


def haar_windows(
    image: np.ndarray,
    classifier: cv2.CascadeClassifier,
    scale_factor: float = 1.1,
    min_size: tuple[int, int] = (30, 30),
    max_side: int | None = None,
) -> HaarWindows:
    """The raw windows of ``classifier`` on ``(H, W, 3)`` uint8 RGB, before they are grouped into detections.

    The image is converted to grey (BT.601) and histogram-equalised, as in OpenCV's face tutorial;
    ``scale_factor`` > 1 is the step of the image pyramid, ``min_size`` = (width, height) of the smallest face in
    pixels. With ``max_side``, a larger photo is searched on a copy whose long side is ``max_side`` (faster;
    objects smaller than the cascade's window in that copy are then missed).
    """
    image = check_image(image)
    if not 1.0 < scale_factor <= 3.0:
        raise BadInput(f"scale_factor must be between 1 (exclusive) and 3, got {scale_factor}.")
    if len(min_size) != 2 or min(min_size) < 1:
        raise BadInput(f"min_size must be two positive pixel sizes, got {min_size}.")
    if max_side is not None:
        check_int(max_side, 64, None, "max_side")
    clf = _check_classifier(classifier)
    t0 = time.perf_counter()
    gray = to_gray(image)
    shrink = 1.0
    if max_side is not None and max(gray.shape) > max_side:
        shrink = max_side / max(gray.shape)
        gray = cv2.resize(gray, (round(gray.shape[1] * shrink), round(gray.shape[0] * shrink)), interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(gray)
    size = (max(1, round(min_size[0] * shrink)), max(1, round(min_size[1] * shrink)))
    found = clf.detectMultiScale(gray, scaleFactor=scale_factor, minNeighbors=0, minSize=size)
    windows = np.asarray(found, dtype=np.int32).reshape(-1, 4)
    return HaarWindows(windows, shrink, time.perf_counter() - t0)


def group_windows(found: HaarWindows, min_neighbors: int = 5) -> np.ndarray:
    """Detections from raw windows, as ``detectMultiScale`` groups them: ``(N, 4)`` int64 xyxy photo pixels.

    Windows that overlap (``cv2.groupRectangles`` with OpenCV's ``GROUP_EPS``) form a group; a group of at most
    ``min_neighbors`` windows is dropped, the others become their average box. ``min_neighbors=0`` keeps every raw
    window.
    """
    if not isinstance(found, HaarWindows):
        raise BadInput(f"group_windows needs the HaarWindows of haar_windows, got {type(found).__name__}.")
    check_int(min_neighbors, 0, None, "min_neighbors")
    rects = found.windows
    if min_neighbors > 0 and len(rects):
        grouped, _ = cv2.groupRectangles(rects.tolist(), int(min_neighbors), GROUP_EPS)
        rects = np.asarray(grouped, dtype=np.int32).reshape(-1, 4)
    boxes = rects.astype(np.float64).reshape(-1, 4)
    boxes[:, 2:] += boxes[:, :2]
    return np.rint(boxes / found.shrink).astype(np.int64)


def haar_detect(
    image: np.ndarray,
    classifier: cv2.CascadeClassifier,
    scale_factor: float = 1.1,
    min_neighbors: int = 5,
    min_size: tuple[int, int] = (30, 30),
    max_side: int | None = None,
) -> np.ndarray:
    """Viola–Jones detections of ``classifier`` on ``(H, W, 3)`` uint8 RGB: ``(N, 4)`` int64 xyxy boxes.

    ``haar_windows`` (see there for the settings) then ``group_windows``: ``min_neighbors`` is how many
    overlapping raw windows a detection needs. Boxes are in the original photo's pixels.
    """
    check_int(min_neighbors, 0, None, "min_neighbors")
    return group_windows(haar_windows(image, classifier, scale_factor, min_size, max_side), min_neighbors)


@dataclass(frozen=True)
class Detection:
    """Boxes ``(N, 4)`` xyxy from ``haar_detect`` and the wall time it took in seconds."""

    boxes: np.ndarray
    seconds: float


def detect_timed(image: np.ndarray, classifier: cv2.CascadeClassifier, **kwargs: object) -> Detection:
    """``haar_detect`` with its wall-clock time (the classifier is already loaded, so loading is not timed)."""
    t0 = time.perf_counter()
    boxes = haar_detect(image, classifier, **kwargs)  # type: ignore[arg-type]
    return Detection(boxes, time.perf_counter() - t0)


def working_copy(image: np.ndarray, max_side: int = 640) -> np.ndarray:
    """``image`` downscaled so its long side is at most ``max_side`` (interactive tabs stay fast)."""
    return resize_max_side(check_image(image), max_side)
