"""Before deep learning: Viola–Jones, template matching, SIFT matching and mosaics, bag of visual words.

Lecture 000, "Some traditional approaches". Conventions: images are ``(H, W, 3)`` uint8 RGB,
grey images ``(H, W)`` uint8, boxes are ``xyxy`` pixel coordinates (``x1, y1`` exclusive),
homographies are ``(3, 3)`` float64 mapping points of the first image to the second
(``[x', y', w']ᵀ = H [x, y, 1]ᵀ``). Every random step takes a ``seed``.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from vision_core.io.datasets import lfw_faces, train_test_split_stratified
from vision_core.checks import check_image
from vision_core.io.images import resize_max_side, to_gray

__all__ = [
    "CASCADES",
    "HAAR_DEMO",
    "HAAR_TYPES",
    "TEMPLATE_METHODS",
    "AdaBoostResult",
    "BovwModel",
    "CascadeModel",
    "CnnBaseline",
    "Degradation",
    "Detection",
    "Matches",
    "Mosaic",
    "StageCounts",
    "TemplateProbe",
    "WeakClassifier",
    "adaboost_haar",
    "bovw_histogram",
    "cascade_stage_survivors",
    "clamp_box",
    "cnn_feature_accuracy",
    "corner_error",
    "default_template_box",
    "degrade_search_image",
    "degradation_curve",
    "detect_timed",
    "draw_boxes",
    "draw_haar_feature",
    "draw_keypoints",
    "draw_matches",
    "haar_detect",
    "haar_feature_value",
    "haar_window",
    "integral_image",
    "integral_image_view",
    "load_cascade",
    "match_features",
    "match_template",
    "overlapping_views",
    "probe_template",
    "random_homography",
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

# ---------------------------------------------------------------------------------------------
# Viola–Jones: OpenCV's bundled cascades
# ---------------------------------------------------------------------------------------------

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


def _cascade_path(cascade: str) -> Path:
    if cascade not in CASCADES:
        raise ValueError(f"Unknown cascade {cascade!r}. Choose one of: {', '.join(CASCADES)}.")
    path = Path(cv2.data.haarcascades) / CASCADES[cascade]
    if not path.is_file():
        raise ValueError(f"OpenCV on this machine does not ship {CASCADES[cascade]} (opencv-python-headless<5 does).")
    return path


@lru_cache(maxsize=len(CASCADES))
def _classifier(cascade: str) -> cv2.CascadeClassifier:
    clf = cv2.CascadeClassifier(str(_cascade_path(cascade)))
    if clf.empty():
        raise ValueError(f"OpenCV could not load the cascade {cascade!r}.")
    return clf


def haar_detect(
    image: np.ndarray,
    cascade: str = "frontalface_default",
    scale_factor: float = 1.1,
    min_neighbors: int = 5,
    min_size: tuple[int, int] = (30, 30),
    max_side: int | None = None,
) -> np.ndarray:
    """Viola–Jones detections of OpenCV's ``cascade`` on ``(H, W, 3)`` uint8 RGB: ``(N, 4)`` int xyxy boxes.

    The image is converted to grey (BT.601) and histogram-equalised, as in OpenCV's face tutorial;
    ``scale_factor`` > 1 is the step of the image pyramid, ``min_neighbors`` how many overlapping raw
    windows a detection needs, ``min_size`` = (width, height) of the smallest face in pixels.
    With ``max_side``, a larger photo is searched on a copy whose long side is ``max_side`` (faster;
    objects smaller than the cascade's window in that copy are then missed); boxes are in the
    original photo's pixels either way.
    """
    image = check_image(image)
    if not 1.0 < scale_factor <= 3.0:
        raise ValueError(f"scale_factor must be between 1 (exclusive) and 3, got {scale_factor}.")
    if min_neighbors < 0:
        raise ValueError(f"min_neighbors must be 0 or more, got {min_neighbors}.")
    if len(min_size) != 2 or min(min_size) < 1:
        raise ValueError(f"min_size must be two positive pixel sizes, got {min_size}.")
    if max_side is not None and max_side < 64:
        raise ValueError(f"max_side must be at least 64 pixels, got {max_side}.")
    clf = _classifier(cascade)
    gray = to_gray(image)
    shrink = 1.0
    if max_side is not None and max(gray.shape) > max_side:
        shrink = max_side / max(gray.shape)
        gray = cv2.resize(gray, (round(gray.shape[1] * shrink), round(gray.shape[0] * shrink)), interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(gray)
    size = (max(1, round(min_size[0] * shrink)), max(1, round(min_size[1] * shrink)))
    found = clf.detectMultiScale(gray, scaleFactor=scale_factor, minNeighbors=int(min_neighbors), minSize=size)
    boxes = np.asarray(found, dtype=np.float64).reshape(-1, 4)
    boxes[:, 2:] += boxes[:, :2]
    return np.rint(boxes / shrink).astype(np.int64)


@dataclass(frozen=True)
class Detection:
    """Boxes ``(N, 4)`` xyxy from ``haar_detect`` and the wall time it took in seconds."""

    boxes: np.ndarray
    seconds: float


def detect_timed(image: np.ndarray, **kwargs: object) -> Detection:
    """``haar_detect`` with its wall-clock time (the cascade is loaded once per process, before timing)."""
    _classifier(str(kwargs.get("cascade", "frontalface_default")))
    t0 = time.perf_counter()
    boxes = haar_detect(image, **kwargs)  # type: ignore[arg-type]
    return Detection(boxes, time.perf_counter() - t0)


def draw_boxes(
    image: np.ndarray,
    boxes: np.ndarray,
    color: tuple[int, int, int] = (0, 255, 0),
    labels: list[str] | None = None,
    thickness: int | None = None,
) -> np.ndarray:
    """A copy of ``(H, W, 3)`` uint8 RGB with ``(N, 4)`` xyxy boxes (and optional labels) drawn."""
    out = np.array(check_image(image), copy=True)
    t = thickness or max(2, round(max(out.shape[:2]) / 300))
    for i, (x0, y0, x1, y1) in enumerate(np.asarray(boxes, dtype=np.int64).reshape(-1, 4)):
        cv2.rectangle(out, (int(x0), int(y0)), (int(x1) - 1, int(y1) - 1), color, t, cv2.LINE_AA)
        if labels is not None and i < len(labels):
            scale = max(0.4, t / 4)
            cv2.putText(out, labels[i], (int(x0) + 2, max(int(y0) - 4, 12)), cv2.FONT_HERSHEY_SIMPLEX, scale, color,
                        max(1, t // 2), cv2.LINE_AA)
    return out


# ---------------------------------------------------------------------------------------------
# Haar features on the integral image
# ---------------------------------------------------------------------------------------------

HAAR_TYPES: dict[str, tuple[tuple[int, int], tuple[tuple[int, int, int, int, int], ...]]] = {
    "edge_horizontal": ((2, 1), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1))),
    "edge_vertical": ((1, 2), ((0, 0, 1, 1, 1), (0, 1, 1, 1, -1))),
    "line_horizontal": ((3, 1), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1), (2, 0, 1, 1, 1))),
    "line_vertical": ((1, 3), ((0, 0, 1, 1, 1), (0, 1, 1, 1, -1), (0, 2, 1, 1, 1))),
    "four_rectangle": ((2, 2), ((0, 0, 1, 1, 1), (1, 0, 1, 1, -1), (0, 1, 1, 1, -1), (1, 1, 1, 1, 1))),
}
"""Feature type → ((cells across, cells down), cells as (cx, cy, cw, ch, sign)); sign +1 white, −1 black.

``edge_horizontal``: white left, black right; ``edge_vertical``: white top, black bottom; ``line_*``:
white–black–white; ``four_rectangle``: a 2×2 checkerboard. Value = Σ white − Σ black pixels."""


def integral_image(gray: np.ndarray) -> np.ndarray:
    """Summed-area table of ``(H, W)`` as ``(H+1, W+1)`` (int64 for integer input, float64 otherwise).

    ``ii[y, x]`` = sum of ``gray[:y, :x]``, so the sum of ``gray[y0:y1, x0:x1]`` is
    ``ii[y1, x1] − ii[y0, x1] − ii[y1, x0] + ii[y0, x0]`` (four look-ups, whatever the size).
    """
    gray = np.asarray(gray)
    if gray.ndim != 2 or min(gray.shape) < 1:
        raise ValueError(f"integral_image needs a 2-D grey image, got shape {gray.shape}.")
    dtype = np.int64 if np.issubdtype(gray.dtype, np.integer) else np.float64
    ii = np.zeros((gray.shape[0] + 1, gray.shape[1] + 1), dtype=dtype)
    np.cumsum(np.cumsum(gray.astype(dtype), axis=0), axis=1, out=ii[1:, 1:])
    return ii


def _rect_sum(ii: np.ndarray, x: int, y: int, w: int, h: int) -> float:
    return float(ii[y + h, x + w] - ii[y, x + w] - ii[y + h, x] + ii[y, x])


def _haar_rects(kind: str, x: int, y: int, w: int, h: int) -> list[tuple[int, int, int, int, int]]:
    if kind not in HAAR_TYPES:
        raise ValueError(f"Unknown Haar feature type {kind!r}. Types: {', '.join(HAAR_TYPES)}.")
    (nx, ny), cells = HAAR_TYPES[kind]
    if w < nx or h < ny or w % nx or h % ny:
        raise ValueError(f"A {kind} feature needs a width divisible by {nx} and a height divisible by {ny}; got {w}×{h}.")
    cw, ch = w // nx, h // ny
    return [(x + cx * cw, y + cy * ch, cw, ch, sign) for cx, cy, _, _, sign in cells]


def haar_feature_value(ii: np.ndarray, kind: str, x: int, y: int, w: int, h: int) -> float:
    """Σ white − Σ black of Haar feature ``kind`` whose ``w``×``h`` box has its top-left at (x, y), from ``ii``."""
    if x < 0 or y < 0 or y + h >= ii.shape[0] or x + w >= ii.shape[1]:
        raise ValueError(f"The feature box ({x}, {y}, {w}×{h}) leaves the {ii.shape[1] - 1}×{ii.shape[0] - 1} image.")
    return sum(sign * _rect_sum(ii, rx, ry, rw, rh) for rx, ry, rw, rh, sign in _haar_rects(kind, x, y, w, h))


def draw_haar_feature(gray: np.ndarray, kind: str, x: int, y: int, w: int, h: int, zoom: int = 8) -> np.ndarray:
    """``(H·zoom, W·zoom, 3)`` uint8: the grey crop enlarged with the feature's white/black cells tinted over it."""
    gray = np.asarray(gray, dtype=np.uint8)
    if gray.ndim != 2:
        raise ValueError("draw_haar_feature needs a 2-D grey crop.")
    big = cv2.resize(gray, (gray.shape[1] * zoom, gray.shape[0] * zoom), interpolation=cv2.INTER_NEAREST)
    rgb = np.repeat(big[..., None], 3, axis=2).astype(np.float32)
    for rx, ry, rw, rh, sign in _haar_rects(kind, x, y, w, h):
        sl = np.s_[ry * zoom:(ry + rh) * zoom, rx * zoom:(rx + rw) * zoom]
        tint = np.array([255, 255, 255] if sign > 0 else [0, 0, 0], np.float32)
        rgb[sl] = 0.45 * rgb[sl] + 0.55 * tint
    out = np.clip(rgb, 0, 255).astype(np.uint8)
    cv2.rectangle(out, (x * zoom, y * zoom), ((x + w) * zoom - 1, (y + h) * zoom - 1), (255, 0, 0), 2)
    return out


def integral_image_view(gray: np.ndarray, zoom: int = 1) -> np.ndarray:
    """The integral image of ``(H, W)`` grey rescaled to uint8 for display (0 = 0, 255 = total sum), enlarged
    ``zoom`` times: ``(H·zoom, W·zoom)``."""
    ii = integral_image(np.asarray(gray, dtype=np.uint8))[1:, 1:].astype(np.float64)
    view = np.clip(np.rint(ii / max(ii[-1, -1], 1.0) * 255), 0, 255).astype(np.uint8)
    return cv2.resize(view, (view.shape[1] * zoom, view.shape[0] * zoom), interpolation=cv2.INTER_NEAREST)


HAAR_DEMO: dict[str, tuple[int, int, int, int]] = {
    "edge_horizontal": (2, 4, 20, 8),
    "edge_vertical": (2, 4, 20, 12),
    "line_horizontal": (3, 6, 18, 6),
    "line_vertical": (4, 6, 16, 12),
    "four_rectangle": (4, 4, 16, 16),
}
"""One placement (x, y, w, h) of each feature type on a 24×24 face window (eyes band, nose bridge …)."""


def haar_window(image: np.ndarray, box: np.ndarray | tuple[int, int, int, int] | None = None, side: int = 24) -> np.ndarray:
    """The grey ``(side, side)`` uint8 window of ``box`` (xyxy; default: the central square half the short side),
    resized as the detector sees it."""
    gray = to_gray(check_image(image))
    h, w = gray.shape
    if box is None:
        s = max(min(h, w) // 2, 1)
        box = ((w - s) // 2, (h - s) // 2, (w + s) // 2, (h + s) // 2)
    x0, y0, x1, y1 = (int(v) for v in box)
    if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
        raise ValueError(f"The box ({x0}, {y0}, {x1}, {y1}) is not inside the {w}×{h} image.")
    return cv2.resize(np.ascontiguousarray(gray[y0:y1, x0:x1]), (side, side), interpolation=cv2.INTER_AREA)


# ---------------------------------------------------------------------------------------------
# The cascade's stages, evaluated here from the XML
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeModel:
    """A boosted cascade read from OpenCV's XML (new format).

    ``window`` = (width, height) of the training window; ``rects`` ``(F, 3, 4)`` int (x, y, w, h) and
    ``weights`` ``(F, 3)`` per feature (unused rects have weight 0); ``tilted`` ``(F,)`` bool;
    each stage is (threshold, list of trees); a tree is (nodes ``(n, 4)`` [left, right, feature,
    threshold], leaves ``(n+1,)``), a child ≤ 0 meaning leaf ``−child``.
    """

    name: str
    window: tuple[int, int]
    stage_thresholds: tuple[float, ...]
    stages: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...]
    rects: np.ndarray
    weights: np.ndarray
    tilted: np.ndarray

    @property
    def n_stages(self) -> int:
        return len(self.stages)

    @property
    def weak_counts(self) -> list[int]:
        """Number of weak classifiers (trees) in each stage."""
        return [len(s) for s in self.stages]


@lru_cache(maxsize=len(CASCADES))
def load_cascade(cascade: str = "frontalface_default") -> CascadeModel:
    """Parse OpenCV's cascade XML ``cascade`` into a ``CascadeModel`` (Haar features only)."""
    root = ET.parse(_cascade_path(cascade)).getroot()
    node = root.find("cascade")
    if node is None or node.findtext("featureType", "").strip() != "HAAR":
        raise ValueError(f"The cascade {cascade!r} is not a new-format Haar cascade.")
    window = (int(node.findtext("width")), int(node.findtext("height")))
    thresholds, stages = [], []
    for st in node.find("stages"):
        thresholds.append(float(st.findtext("stageThreshold")))
        trees = []
        for wc in st.find("weakClassifiers"):
            raw = np.array(wc.findtext("internalNodes").split(), dtype=np.float64).reshape(-1, 4)
            leaves = np.array(wc.findtext("leafValues").split(), dtype=np.float64)
            trees.append((raw, leaves))
        stages.append(tuple(trees))
    feats = node.find("features")
    n = len(feats)
    rects = np.zeros((n, 3, 4), np.int64)
    weights = np.zeros((n, 3), np.float64)
    tilted = np.zeros(n, bool)
    for i, f in enumerate(feats):
        for j, r in enumerate(f.find("rects")):
            vals = r.text.split()
            rects[i, j] = [int(float(v)) for v in vals[:4]]
            weights[i, j] = float(vals[4])
        tilted[i] = f.findtext("tilted", "0").strip() == "1"
    return CascadeModel(cascade, window, tuple(thresholds), tuple(stages), rects, weights, tilted)


def upright_stages(cascade: str = "frontalface_default") -> int:
    """How many leading stages of ``cascade`` use only upright features (the ones evaluated here)."""
    model = load_cascade(cascade)
    for k, stage in enumerate(model.stages):
        used = sorted({int(node[2]) for nodes, _ in stage for node in nodes})
        if model.tilted[used].any():
            return k
    return model.n_stages


@dataclass(frozen=True)
class StageCounts:
    """Windows alive before stage 1 (``windows``) and after each evaluated stage (``survivors[k]``).

    ``final_boxes`` ``(M, 4)`` xyxy (original-image pixels) are the windows that passed every evaluated stage.
    """

    cascade: str
    n_stages_total: int
    windows: int
    survivors: tuple[int, ...]
    final_boxes: np.ndarray


def _window_sums(ii_flat: np.ndarray, stride: int, base: np.ndarray, rect: np.ndarray) -> np.ndarray:
    """Sums of ``rect`` (x, y, w, h, relative to each window) for windows whose top-left is at flat index ``base``
    of the raveled integral image (row length ``stride``)."""
    x, y, w, h = (int(v) for v in rect)
    a = y * stride + x
    b = a + w
    c = a + h * stride
    return ii_flat.take(base + (c + w)) - ii_flat.take(base + b) - ii_flat.take(base + c) + ii_flat.take(base + a)


def cascade_stage_survivors(
    image: np.ndarray,
    cascade: str = "frontalface_default",
    n_stages: int | None = None,
    scale_factor: float = 1.25,
    min_size: tuple[int, int] = (30, 30),
    max_side: int = 480,
) -> StageCounts:
    """Evaluate the first ``n_stages`` of ``cascade`` over every window of an image pyramid, counting survivors.

    Follows OpenCV's evaluator: the grey, histogram-equalised image (long side ≤ ``max_side``) is
    resized by 1/scale for each scale; windows step 2 pixels (1 from scale 2 on); a weak tree compares
    Σ wᵢ·rectsumᵢ with threshold × σ·area (σ from the window without its 1-pixel border); a stage
    passes when the sum of its leaf values ≥ its threshold. Tilted features are not supported.
    """
    image = check_image(image)
    model = load_cascade(cascade)
    n = model.n_stages if n_stages is None else int(n_stages)
    if not 1 <= n <= model.n_stages:
        raise ValueError(f"n_stages must be between 1 and {model.n_stages} for {cascade}, got {n_stages}.")
    if scale_factor <= 1.0:
        raise ValueError(f"scale_factor must be above 1, got {scale_factor}.")
    used = {int(node[2]) for stage in model.stages[:n] for nodes, _ in stage for node in nodes}
    if model.tilted[sorted(used)].any():
        raise ValueError(f"The cascade {cascade!r} uses 45° tilted features in these stages; only upright ones are evaluated here.")
    stage_features = [np.array(sorted({int(node[2]) for nodes, _ in stage for node in nodes}), np.int64)
                      for stage in model.stages[:n]]
    stumps: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None] = []
    for stage in model.stages[:n]:
        if all(len(nodes) == 1 and nodes[0, 0] <= 0 and nodes[0, 1] <= 0 for nodes, _ in stage):
            stumps.append((np.array([int(nodes[0, 2]) for nodes, _ in stage]), np.array([nodes[0, 3] for nodes, _ in stage]),
                           np.array([leaves[-int(nodes[0, 0])] for nodes, leaves in stage]),
                           np.array([leaves[-int(nodes[0, 1])] for nodes, leaves in stage])))
        else:
            stumps.append(None)
    gray0 = cv2.equalizeHist(to_gray(image))
    shrink = min(1.0, max_side / max(gray0.shape))
    if shrink < 1.0:
        gray0 = cv2.resize(gray0, (round(gray0.shape[1] * shrink), round(gray0.shape[0] * shrink)), interpolation=cv2.INTER_AREA)
    ww, wh = model.window
    counts = np.zeros(n, np.int64)
    total = 0
    finals: list[np.ndarray] = []
    factor = 1.0
    while True:
        sw, sh = round(gray0.shape[1] / factor), round(gray0.shape[0] / factor)
        if sw < ww or sh < wh:
            break
        if ww * factor / shrink >= min_size[0] and wh * factor / shrink >= min_size[1]:
            g = cv2.resize(gray0, (sw, sh), interpolation=cv2.INTER_LINEAR) if factor > 1 else gray0
            ii = integral_image(g).astype(np.float64).ravel()
            sq = integral_image(g.astype(np.float64) ** 2).ravel()
            stride = sw + 1
            r = model.rects
            a_off = r[..., 1] * stride + r[..., 0]
            offsets = np.stack([a_off, a_off + r[..., 2], a_off + r[..., 3] * stride, a_off + r[..., 3] * stride + r[..., 2]], -1)
            step = 2 if factor < 2 else 1
            ys, xs = np.meshgrid(np.arange(0, sh - wh + 1, step), np.arange(0, sw - ww + 1, step), indexing="ij")
            ys, xs = ys.ravel(), xs.ravel()
            total += ys.size
            norm = np.array([1, 1, ww - 2, wh - 2])
            area = (ww - 2) * (wh - 2)
            base = ys * stride + xs
            s1 = _window_sums(ii, stride, base, norm)
            s2 = _window_sums(sq, stride, base, norm)
            nf = area * s2 - s1 * s1
            nf = np.where(nf > 0, np.sqrt(np.maximum(nf, 0)), 1.0)
            for k in range(n):
                if ys.size == 0:
                    break
                fis = stage_features[k]
                corner_idx = base[:, None] + offsets[fis].reshape(1, -1)
                corners = ii.take(corner_idx).reshape(ys.size, len(fis), 3, 4)
                sums = corners[..., 3] - corners[..., 1] - corners[..., 2] + corners[..., 0]
                values = np.einsum("nfr,fr->nf", sums, model.weights[fis])
                column = {int(fi): c for c, fi in enumerate(fis)}

                def feature(fi: int) -> np.ndarray:
                    return values[:, column[fi]]

                total_k = np.zeros(ys.size)
                if stumps[k] is not None:
                    tree_f, tree_thr, leaf_l, leaf_r = stumps[k]
                    cols = np.searchsorted(fis, tree_f)
                    below = values[:, cols] < tree_thr[None, :] * nf[:, None]
                    total_k = np.where(below, leaf_l[None, :], leaf_r[None, :]).sum(axis=1)
                for nodes, leaves in (() if stumps[k] is not None else model.stages[k]):
                    if len(nodes) == 1 and nodes[0, 0] <= 0 and nodes[0, 1] <= 0:
                        left, right, fi, thr = nodes[0]
                        total_k += np.where(feature(int(fi)) < thr * nf, leaves[-int(left)], leaves[-int(right)])
                        continue
                    idx = np.zeros(ys.size, np.int64)
                    result = np.zeros(ys.size)
                    active = np.ones(ys.size, bool)
                    while active.any():
                        for node_i in np.unique(idx[active]):
                            sel = active & (idx == node_i)
                            left, right, fi, thr = nodes[node_i]
                            go_left = feature(int(fi))[sel] < thr * nf[sel]
                            nxt = np.where(go_left, int(left), int(right))
                            leaf = nxt <= 0
                            sel_idx = np.flatnonzero(sel)
                            result[sel_idx[leaf]] = leaves[-nxt[leaf]]
                            active[sel_idx[leaf]] = False
                            idx[sel_idx[~leaf]] = nxt[~leaf]
                    total_k += result
                keep = total_k >= model.stage_thresholds[k] - 1e-9
                ys, xs, nf, base = ys[keep], xs[keep], nf[keep], base[keep]
                counts[k] += ys.size
            if ys.size:
                f = factor / shrink
                finals.append(np.stack([xs * f, ys * f, (xs + ww) * f, (ys + wh) * f], axis=1))
        factor *= scale_factor
    boxes = np.rint(np.concatenate(finals)).astype(np.int64) if finals else np.zeros((0, 4), np.int64)
    return StageCounts(cascade, model.n_stages, int(total), tuple(int(c) for c in counts), boxes)


# ---------------------------------------------------------------------------------------------
# A small live AdaBoost (lecture's algorithm) on Haar-like features of lfw_subset
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeakClassifier:
    """h(x) = 1 if p·f(x) < p·θ else 0, on Haar feature ``kind`` at (x, y, w, h) of a 25×25 patch."""

    kind: str
    x: int
    y: int
    w: int
    h: int
    polarity: int
    threshold: float
    error: float
    alpha: float


@dataclass(frozen=True)
class AdaBoostResult:
    """Rounds of discrete AdaBoost (Viola–Jones): chosen weak classifiers, training/test error after each round."""

    weak: tuple[WeakClassifier, ...]
    train_error: tuple[float, ...]
    test_error: tuple[float, ...]
    n_features: int
    n_train: int
    n_test: int
    mean_face: np.ndarray = field(repr=False)


def _random_haar_features(side: int, n: int, seed: int) -> list[tuple[str, int, int, int, int]]:
    rng = np.random.default_rng(seed)
    kinds = list(HAAR_TYPES)
    out: list[tuple[str, int, int, int, int]] = []
    while len(out) < n:
        kind = kinds[int(rng.integers(len(kinds)))]
        nx, ny = HAAR_TYPES[kind][0]
        cw = int(rng.integers(1, side // nx + 1))
        ch = int(rng.integers(1, side // ny + 1))
        w, h = cw * nx, ch * ny
        if w * h < 8:
            continue
        x = int(rng.integers(0, side - w + 1))
        y = int(rng.integers(0, side - h + 1))
        out.append((kind, x, y, w, h))
    return out


def _feature_matrix(iis: np.ndarray, feats: list[tuple[str, int, int, int, int]]) -> np.ndarray:
    cols = []
    for kind, x, y, w, h in feats:
        v = np.zeros(iis.shape[0])
        for rx, ry, rw, rh, sign in _haar_rects(kind, x, y, w, h):
            v += sign * (iis[:, ry + rh, rx + rw] - iis[:, ry, rx + rw] - iis[:, ry + rh, rx] + iis[:, ry, rx])
        cols.append(v)
    return np.stack(cols, axis=1)


def _best_stumps(values: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[int, int, float, float]:
    """Best (feature, polarity, threshold, weighted error) over all features: sort once per feature."""
    order = np.argsort(values, axis=0, kind="stable")
    v_sorted = np.take_along_axis(values, order, axis=0)
    wp = np.where(y[order] == 1, w[order], 0.0)
    wn = np.where(y[order] == 0, w[order], 0.0)
    sp = np.cumsum(wp, axis=0) - wp
    sn = np.cumsum(wn, axis=0) - wn
    tp, tn = wp.sum(axis=0), wn.sum(axis=0)
    err_below_pos = sn + (tp - sp)
    err_below_neg = sp + (tn - sn)
    err = np.minimum(err_below_pos, err_below_neg)
    i, f = np.unravel_index(int(np.argmin(err)), err.shape)
    polarity = 1 if err_below_pos[i, f] <= err_below_neg[i, f] else -1
    thr = v_sorted[i, f] if i == 0 else 0.5 * (v_sorted[i, f] + v_sorted[i - 1, f])
    if i == 0:
        thr = v_sorted[0, f] - 1e-6
    return int(f), polarity, float(thr), float(err[i, f])


def adaboost_haar(rounds: int = 10, n_features: int = 1500, test_fraction: float = 0.25, seed: int = 0) -> AdaBoostResult:
    """Discrete AdaBoost (Viola–Jones 2001) on ``n_features`` random Haar-like features of lfw_subset (25×25).

    Images are normalised to zero mean and unit variance before the integral image. Weights start at
    1/2m, 1/2l; each round normalises them, picks the stump with the smallest weighted error εₜ,
    sets βₜ = εₜ/(1−εₜ), multiplies the weights of correct examples by βₜ, and αₜ = log(1/βₜ).
    The strong classifier says "face" when Σ αₜhₜ(x) ≥ ½ Σ αₜ.
    """
    if not 1 <= rounds <= 100:
        raise ValueError(f"rounds must be between 1 and 100, got {rounds}.")
    if not 10 <= n_features <= 20000:
        raise ValueError(f"n_features must be between 10 and 20000, got {n_features}.")
    ds = lfw_faces()
    side = ds.images.shape[1]
    imgs = ds.images.astype(np.float64)
    imgs = (imgs - imgs.mean(axis=(1, 2), keepdims=True)) / (imgs.std(axis=(1, 2), keepdims=True) + 1e-6)
    iis = np.zeros((len(imgs), side + 1, side + 1))
    iis[:, 1:, 1:] = imgs.cumsum(1).cumsum(2)
    feats = _random_haar_features(side, n_features, seed)
    X = _feature_matrix(iis, feats)
    y = ds.labels
    tr, te = train_test_split_stratified(y, test_fraction, seed)
    m, l = int((y[tr] == 0).sum()), int((y[tr] == 1).sum())
    w = np.where(y[tr] == 1, 1 / (2 * l), 1 / (2 * m))
    score_tr, score_te = np.zeros(len(tr)), np.zeros(len(te))
    alpha_sum = 0.0
    weak, err_tr, err_te = [], [], []
    for _ in range(rounds):
        w = w / w.sum()
        f, p, thr, eps = _best_stumps(X[tr], y[tr], w)
        eps = min(max(eps, 1e-10), 1 - 1e-10)
        beta = eps / (1 - eps)
        alpha = float(np.log(1 / beta))
        h_tr = (p * X[tr, f] < p * thr).astype(int)
        h_te = (p * X[te, f] < p * thr).astype(int)
        e = (h_tr != y[tr]).astype(float)
        w = w * beta ** (1 - e)
        score_tr += alpha * h_tr
        score_te += alpha * h_te
        alpha_sum += alpha
        err_tr.append(float(np.mean((score_tr >= 0.5 * alpha_sum).astype(int) != y[tr])))
        err_te.append(float(np.mean((score_te >= 0.5 * alpha_sum).astype(int) != y[te])))
        kind, x, yy, ww, hh = feats[f]
        weak.append(WeakClassifier(kind, x, yy, ww, hh, p, thr, eps, alpha))
    mean_face = np.clip(np.rint(ds.images[y == 1].mean(axis=0)), 0, 255).astype(np.uint8)
    return AdaBoostResult(tuple(weak), tuple(err_tr), tuple(err_te), n_features, len(tr), len(te), mean_face)


def weak_classifier_grid(result: AdaBoostResult, count: int = 6, zoom: int = 6) -> np.ndarray:
    """The first ``count`` chosen features drawn over the mean lfw face, side by side: ``(25·zoom, n·(25·zoom+4), 3)``."""
    tiles = [draw_haar_feature(result.mean_face, wc.kind, wc.x, wc.y, wc.w, wc.h, zoom) for wc in result.weak[:count]]
    if not tiles:
        raise ValueError("No weak classifier has been trained yet.")
    gap = np.full((tiles[0].shape[0], 4, 3), 255, np.uint8)
    return np.concatenate([t for tile in tiles for t in (tile, gap)][:-1], axis=1)


# ---------------------------------------------------------------------------------------------
# Template matching
# ---------------------------------------------------------------------------------------------

TEMPLATE_METHODS: dict[str, int] = {
    "ccoeff_normed": cv2.TM_CCOEFF_NORMED,
    "ccorr_normed": cv2.TM_CCORR_NORMED,
    "sqdiff_normed": cv2.TM_SQDIFF_NORMED,
    "ccoeff": cv2.TM_CCOEFF,
    "ccorr": cv2.TM_CCORR,
    "sqdiff": cv2.TM_SQDIFF,
}
"""``cv2.matchTemplate`` methods; for the two ``sqdiff`` ones the best match is the minimum."""


def _method(method: str) -> int:
    if method not in TEMPLATE_METHODS:
        raise ValueError(f"Unknown method {method!r}. Choose one of: {', '.join(TEMPLATE_METHODS)}.")
    return TEMPLATE_METHODS[method]


def match_template(
    image: np.ndarray, template: np.ndarray, method: str = "ccoeff_normed"
) -> tuple[np.ndarray, np.ndarray]:
    """Slide ``template`` over ``image`` (both ``(H, W, 3)`` uint8 RGB, compared in grey) with ``cv2.matchTemplate``.

    Returns ``(score_map, best_xyxy)``: ``score_map`` ``(H−h+1, W−w+1)`` float32, entry (y, x) the score of
    the template with its top-left at (x, y); ``best_xyxy`` ``(4,)`` int64, the box at the best score
    (maximum, or minimum for ``sqdiff`` methods).
    """
    image = check_image(image)
    template = check_image(template, "template")
    code = _method(method)
    th, tw = template.shape[:2]
    if th > image.shape[0] or tw > image.shape[1]:
        raise ValueError(f"The template ({tw}×{th}) is larger than the image ({image.shape[1]}×{image.shape[0]}).")
    scores = cv2.matchTemplate(to_gray(image), to_gray(template), code)
    lo, hi, lo_at, hi_at = cv2.minMaxLoc(scores)
    x, y = lo_at if method.startswith("sqdiff") else hi_at
    return scores, np.array([x, y, x + tw, y + th], dtype=np.int64)


def top_matches(score_map: np.ndarray, size: tuple[int, int], k: int = 5, method: str = "ccoeff_normed") -> list[tuple[np.ndarray, float]]:
    """The ``k`` best non-overlapping matches as (xyxy box, score); ``size`` = (template width, height)."""
    _method(method)
    s = np.array(score_map, dtype=np.float32, copy=True)
    if method.startswith("sqdiff"):
        s = -s
    tw, th = size
    out: list[tuple[np.ndarray, float]] = []
    for _ in range(k):
        _, val, _, (x, y) = cv2.minMaxLoc(s)
        if not np.isfinite(val) or val == -np.inf:
            break
        out.append((np.array([x, y, x + tw, y + th], np.int64), float(-val if method.startswith("sqdiff") else val)))
        s[max(0, y - th // 2):y + th // 2 + 1, max(0, x - tw // 2):x + tw // 2 + 1] = -np.inf
    return out


def score_heatmap(score_map: np.ndarray, method: str = "ccoeff_normed") -> np.ndarray:
    """The score map as ``(h, w, 3)`` uint8 RGB (turbo colours, red = best match), min–max scaled."""
    _method(method)
    s = np.asarray(score_map, np.float64)
    if method.startswith("sqdiff"):
        s = -s
    lo, hi = float(s.min()), float(s.max())
    u8 = np.zeros(s.shape, np.uint8) if hi <= lo else np.rint((s - lo) / (hi - lo) * 255).astype(np.uint8)
    return cv2.cvtColor(cv2.applyColorMap(u8, cv2.COLORMAP_TURBO), cv2.COLOR_BGR2RGB)


def _check_box(box: np.ndarray | tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (int(v) for v in box)
    if not (0 <= x0 < x1 <= shape[1] and 0 <= y0 < y1 <= shape[0]):
        raise ValueError(f"The box ({x0}, {y0}, {x1}, {y1}) is not inside the {shape[1]}×{shape[0]} image.")
    if x1 - x0 < 8 or y1 - y0 < 8:
        raise ValueError("The template must be at least 8×8 pixels: draw a bigger rectangle.")
    return x0, y0, x1, y1


def degrade_search_image(
    image: np.ndarray,
    box: np.ndarray | tuple[int, int, int, int],
    rotation: float = 0.0,
    scale: float = 1.0,
    shadow: float = 0.0,
    occlusion: float = 0.0,
) -> np.ndarray:
    """The search image changed around the template's place ``box`` (xyxy), so its true location stays put.

    Rotation (degrees) and scale act about the box centre (reflected borders); ``shadow`` in [0, 1]
    darkens linearly from the box's left edge (×1) to its right edge (×(1 − shadow)) and beyond;
    ``occlusion`` in [0, 1] covers that fraction of the box, from the right, with flat grey.
    """
    image = check_image(image)
    x0, y0, x1, y1 = _check_box(box, image.shape)
    if not 0.2 <= scale <= 5:
        raise ValueError(f"scale must be between 0.2 and 5, got {scale}.")
    if not (0 <= shadow <= 1 and 0 <= occlusion <= 1):
        raise ValueError("shadow and occlusion must be between 0 and 1.")
    out = image
    if rotation != 0 or scale != 1:
        m = cv2.getRotationMatrix2D(((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2), float(rotation), float(scale))
        out = cv2.warpAffine(image, m, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT_101)
    if shadow > 0:
        xs = np.arange(image.shape[1], dtype=np.float64)
        ramp = 1 - shadow * np.clip((xs - x0) / max(x1 - x0, 1), 0, 1)
        out = np.clip(np.rint(out * ramp[None, :, None]), 0, 255).astype(np.uint8)
    if occlusion > 0:
        out = np.array(out, copy=True)
        cut = x1 - round(occlusion * (x1 - x0))
        out[y0:y1, cut:x1] = 128
    return np.ascontiguousarray(out)


def clamp_box(x: int, y: int, w: int, h: int, shape: tuple[int, ...], min_side: int = 8) -> tuple[int, int, int, int]:
    """The box (x, y, width, height) moved and shrunk to lie inside an image of ``shape`` (H, W, …), each side at
    least ``min_side`` (or the image side if smaller); returned as (x, y, width, height)."""
    H, W = shape[:2]
    w = int(min(max(int(w), min_side), W))
    h = int(min(max(int(h), min_side), H))
    x = int(min(max(int(x), 0), W - w))
    y = int(min(max(int(y), 0), H - h))
    return x, y, w, h


def default_template_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """A template to start from, as (x, y, width, height): the first Viola–Jones face, else the central fifth."""
    image = check_image(image)
    H, W = image.shape[:2]
    faces = haar_detect(image)
    if len(faces):
        x0, y0, x1, y1 = (int(v) for v in faces[0])
    else:
        x0, y0, x1, y1 = W * 2 // 5, H * 2 // 5, W * 3 // 5, H * 3 // 5
    return clamp_box(x0, y0, x1 - x0, y1 - y0, image.shape)


@dataclass(frozen=True)
class TemplateProbe:
    """One template search: the ``template`` cut at ``box`` (xyxy) from the original, the degraded ``search``
    image, its ``scores`` map, ``top`` matches [(xyxy, score)] best first, the score ``at_truth`` (the box's own
    place) and whether the best match is still there (``found``: top-left within ¼ template of the truth)."""

    template: np.ndarray
    search: np.ndarray
    scores: np.ndarray
    box: tuple[int, int, int, int]
    top: list[tuple[np.ndarray, float]]
    at_truth: float
    found: bool


def probe_template(
    image: np.ndarray,
    box: np.ndarray | tuple[int, int, int, int],
    method: str = "ccoeff_normed",
    rotation: float = 0.0,
    scale: float = 1.0,
    shadow: float = 0.0,
    occlusion: float = 0.0,
    k: int = 3,
) -> TemplateProbe:
    """Cut the template at ``box``, degrade the search image (``degrade_search_image``), match, keep ``k`` best."""
    image = check_image(image)
    x0, y0, x1, y1 = _check_box(box, image.shape)
    template = np.ascontiguousarray(image[y0:y1, x0:x1])
    search = degrade_search_image(image, (x0, y0, x1, y1), rotation, scale, shadow, occlusion)
    scores, best = match_template(search, template, method)
    top = top_matches(scores, (x1 - x0, y1 - y0), k, method)
    found = abs(int(best[0]) - x0) <= (x1 - x0) / 4 and abs(int(best[1]) - y0) <= (y1 - y0) / 4
    return TemplateProbe(template, search, scores, (x0, y0, x1, y1), top, float(scores[y0, x0]), bool(found))


@dataclass(frozen=True)
class Degradation:
    """Peak score versus one change of the search image: ``values``, the global ``peak`` score, the score at the
    true place (``at_truth``) and whether the best match is still there (``found``, centre within ¼ template)."""

    kind: str
    values: tuple[float, ...]
    peak: tuple[float, ...]
    at_truth: tuple[float, ...]
    found: tuple[bool, ...]


def degradation_curve(
    image: np.ndarray,
    box: np.ndarray | tuple[int, int, int, int],
    kind: str = "rotation",
    values: tuple[float, ...] | list[float] = (0, 5, 10, 15, 20, 30, 45, 60, 90),
    method: str = "ccoeff_normed",
) -> Degradation:
    """Cut the template at ``box`` from ``image``, degrade the search image by ``kind`` (rotation, scale, shadow,
    occlusion) for each value, and measure the matching peak each time."""
    image = check_image(image)
    x0, y0, x1, y1 = _check_box(box, image.shape)
    if kind not in ("rotation", "scale", "shadow", "occlusion"):
        raise ValueError(f"kind must be rotation, scale, shadow or occlusion, got {kind!r}.")
    template = np.ascontiguousarray(image[y0:y1, x0:x1])
    tw, th = x1 - x0, y1 - y0
    peaks, truth, found = [], [], []
    for v in values:
        search = degrade_search_image(image, (x0, y0, x1, y1), **{kind: float(v)})
        scores, best = match_template(search, template, method)
        peak = float(scores.min() if method.startswith("sqdiff") else scores.max())
        peaks.append(peak)
        truth.append(float(scores[y0, x0]))
        found.append(bool(abs(best[0] - x0) <= tw / 4 and abs(best[1] - y0) <= th / 4))
    return Degradation(kind, tuple(float(v) for v in values), tuple(peaks), tuple(truth), tuple(found))


# ---------------------------------------------------------------------------------------------
# SIFT matching, RANSAC homography, mosaics
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Matches:
    """Keypoints of both images (``(N, 4)`` float32: x, y, size, angle in degrees), ``tentative`` ``(M, 2)`` int
    index pairs that passed Lowe's ratio test, their descriptor ``distances`` ``(M,)``, RANSAC's ``inliers``
    ``(M,)`` bool and ``homography`` ``(3, 3)`` (image 1 → image 2) or ``None`` when fewer than 4 matches."""

    keypoints1: np.ndarray
    keypoints2: np.ndarray
    tentative: np.ndarray
    distances: np.ndarray
    inliers: np.ndarray
    homography: np.ndarray | None
    ratio: float

    @property
    def n_tentative(self) -> int:
        return int(len(self.tentative))

    @property
    def n_inliers(self) -> int:
        return int(self.inliers.sum())

    @property
    def inlier_fraction(self) -> float:
        """Inliers / tentative (the lecture: 99 / 197 = 50.25 %); 0 when there is no match."""
        return self.n_inliers / self.n_tentative if self.n_tentative else 0.0


def _kp_array(kps: tuple[cv2.KeyPoint, ...]) -> np.ndarray:
    return np.array([[k.pt[0], k.pt[1], k.size, k.angle] for k in kps], np.float32).reshape(-1, 4)


def _detector(kind: str, n_features: int) -> cv2.Feature2D:
    if kind == "sift":
        return cv2.SIFT_create(nfeatures=n_features)
    if kind == "orb":
        return cv2.ORB_create(nfeatures=n_features or 5000)
    raise ValueError(f"detector must be 'sift' or 'orb', got {kind!r}.")


def match_features(
    img1: np.ndarray,
    img2: np.ndarray,
    ratio: float = 0.75,
    ransac_threshold: float = 3.0,
    detector: str = "sift",
    n_features: int = 0,
    seed: int = 0,
) -> Matches:
    """SIFT (or ORB) keypoints of two ``(H, W, 3)`` uint8 RGB images, Lowe's ratio test, RANSAC homography.

    A match i→j is tentative when its nearest descriptor distance < ``ratio`` × the second nearest.
    ``cv2.findHomography`` with RANSAC (reprojection threshold ``ransac_threshold`` px, OpenCV's RNG
    seeded with ``seed``) keeps the inliers. ``n_features`` = 0 keeps every SIFT keypoint.
    """
    img1 = check_image(img1, "image 1")
    img2 = check_image(img2, "image 2")
    if not 0 < ratio <= 1:
        raise ValueError(f"ratio must be in (0, 1], got {ratio}.")
    if ransac_threshold <= 0:
        raise ValueError(f"ransac_threshold must be positive, got {ransac_threshold}.")
    det = _detector(detector, n_features)
    k1, d1 = det.detectAndCompute(to_gray(img1), None)
    k2, d2 = det.detectAndCompute(to_gray(img2), None)
    kp1, kp2 = _kp_array(k1), _kp_array(k2)
    pairs: list[tuple[int, int]] = []
    dists: list[float] = []
    if d1 is not None and d2 is not None and len(d1) >= 1 and len(d2) >= 2:
        norm = cv2.NORM_L2 if detector == "sift" else cv2.NORM_HAMMING
        for cand in cv2.BFMatcher(norm).knnMatch(d1, d2, k=2):
            if len(cand) == 2 and cand[0].distance < ratio * cand[1].distance:
                pairs.append((cand[0].queryIdx, cand[0].trainIdx))
                dists.append(cand[0].distance)
    tentative = np.array(pairs, np.int64).reshape(-1, 2)
    inliers = np.zeros(len(tentative), bool)
    H = None
    if len(tentative) >= 4:
        cv2.setRNGSeed(int(seed))
        H, mask = cv2.findHomography(kp1[tentative[:, 0], :2], kp2[tentative[:, 1], :2], cv2.RANSAC, float(ransac_threshold))
        if H is not None and mask is not None:
            inliers = mask.ravel().astype(bool)
        else:
            H = None
    return Matches(kp1, kp2, tentative, np.array(dists, np.float32), inliers, H, float(ratio))


def draw_keypoints(image: np.ndarray, keypoints: np.ndarray, max_points: int = 400) -> np.ndarray:
    """``(H, W, 3)`` uint8 RGB with the largest ``max_points`` keypoints drawn as circles (size) with a radius (angle)."""
    image = check_image(image)
    kp = np.asarray(keypoints, np.float32).reshape(-1, 4)
    kp = kp[np.argsort(-kp[:, 2], kind="stable")[:max_points]]
    cvk = [cv2.KeyPoint(float(x), float(y), float(s), float(a)) for x, y, s, a in kp]
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    out = cv2.drawKeypoints(bgr, cvk, None, color=(0, 255, 255), flags=cv2.DRAW_MATCHES_FLAGS_DRAW_RICH_KEYPOINTS)
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)


def draw_matches(img1: np.ndarray, img2: np.ndarray, matches: Matches, show: str = "all", max_lines: int = 300) -> np.ndarray:
    """Both images side by side (tops aligned) with match lines: green inliers, red outliers.

    ``show`` = "all", "inliers" or "outliers"; at most ``max_lines`` lines (evenly subsampled).
    Returns ``(max(H1, H2), W1 + W2, 3)`` uint8 RGB.
    """
    img1, img2 = check_image(img1), check_image(img2)
    if show not in ("all", "inliers", "outliers"):
        raise ValueError("show must be 'all', 'inliers' or 'outliers'.")
    h = max(img1.shape[0], img2.shape[0])
    canvas = np.zeros((h, img1.shape[1] + img2.shape[1], 3), np.uint8)
    canvas[: img1.shape[0], : img1.shape[1]] = img1
    canvas[: img2.shape[0], img1.shape[1]:] = img2
    idx = np.arange(matches.n_tentative)
    if show == "inliers":
        idx = idx[matches.inliers]
    elif show == "outliers":
        idx = idx[~matches.inliers]
    if len(idx) > max_lines:
        idx = idx[np.linspace(0, len(idx) - 1, max_lines).astype(int)]
    t = max(1, round(h / 500))
    for i in idx:
        a, b = matches.tentative[i]
        p = (int(round(matches.keypoints1[a, 0])), int(round(matches.keypoints1[a, 1])))
        q = (int(round(matches.keypoints2[b, 0])) + img1.shape[1], int(round(matches.keypoints2[b, 1])))
        color = (40, 220, 40) if matches.inliers[i] else (230, 40, 40)
        cv2.line(canvas, p, q, color, t, cv2.LINE_AA)
        cv2.circle(canvas, p, 2 * t + 1, color, -1, cv2.LINE_AA)
        cv2.circle(canvas, q, 2 * t + 1, color, -1, cv2.LINE_AA)
    return canvas


def random_homography(
    shape: tuple[int, ...],
    rotation: float = 0.0,
    scale: float = 1.0,
    perspective: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """A homography ``(3, 3)`` for an image of ``shape`` (H, W, …): rotation (degrees) and scale about the centre,
    then each corner moved by a random offset up to ``perspective`` × the image side."""
    h, w = shape[:2]
    if not 0 <= perspective <= 0.3:
        raise ValueError(f"perspective must be between 0 and 0.3, got {perspective}.")
    if not 0.3 <= scale <= 3:
        raise ValueError(f"scale must be between 0.3 and 3, got {scale}.")
    rng = np.random.default_rng(seed)
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    jitter = rng.uniform(-perspective, perspective, size=(4, 2)) * np.array([w, h])
    P = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
    R = np.vstack([cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), float(rotation), float(scale)), [0, 0, 1]])
    H = R @ P
    return H / H[2, 2]


def synthetic_view(
    image: np.ndarray,
    rotation: float = 15.0,
    scale: float = 0.9,
    perspective: float = 0.08,
    brightness: float = 1.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The same photo seen from elsewhere: ``(view, H_true)``, the image warped by ``random_homography``
    (same size, black outside) and multiplied by ``brightness``; ``H_true`` maps image → view."""
    image = check_image(image)
    if not 0.2 <= brightness <= 2:
        raise ValueError(f"brightness must be between 0.2 and 2, got {brightness}.")
    H = random_homography(image.shape, rotation, scale, perspective, seed)
    view = cv2.warpPerspective(image, H, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR)
    if brightness != 1:
        view = np.clip(np.rint(view.astype(np.float32) * brightness), 0, 255).astype(np.uint8)
    return view, H


def corner_error(H_est: np.ndarray | None, H_true: np.ndarray, shape: tuple[int, ...]) -> float:
    """Mean distance in pixels between the image corners mapped by ``H_est`` and by ``H_true`` (inf if None)."""
    if H_est is None:
        return float("inf")
    h, w = shape[:2]
    corners = np.array([[[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]], np.float64)
    a = cv2.perspectiveTransform(corners, np.asarray(H_est, np.float64))[0]
    b = cv2.perspectiveTransform(corners, np.asarray(H_true, np.float64))[0]
    return float(np.linalg.norm(a - b, axis=1).mean())


def overlapping_views(
    image: np.ndarray, overlap: float = 0.4, perspective: float = 0.06, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two overlapping views of a wide photo for a panorama: ``(left, right, H_true)``.

    ``left`` is the left part, ``right`` the right part (sharing ``overlap`` of the width) seen with a
    random perspective change and cropped to the rectangle inside the warped view (no black corners);
    ``H_true`` maps ``left`` pixel coordinates to ``right`` ones.
    """
    image = check_image(image)
    if not 0.15 <= overlap <= 0.9:
        raise ValueError(f"overlap must be between 0.15 and 0.9, got {overlap}.")
    h, w = image.shape[:2]
    half = round(w * (1 + overlap) / 2)
    x_start = w - half
    left = np.ascontiguousarray(image[:, :half])
    crop = np.ascontiguousarray(image[:, x_start:])
    P = random_homography(crop.shape, 0.0, 1.0, perspective, seed)
    ch, cw = crop.shape[:2]
    corners = cv2.perspectiveTransform(np.array([[[0, 0], [cw - 1, 0], [cw - 1, ch - 1], [0, ch - 1]]], np.float64), P)[0]
    x0 = int(np.clip(np.ceil(max(corners[0, 0], corners[3, 0])), 0, cw - 1))
    x1 = int(np.clip(np.floor(min(corners[1, 0], corners[2, 0])), x0 + 1, cw))
    y0 = int(np.clip(np.ceil(max(corners[0, 1], corners[1, 1])), 0, ch - 1))
    y1 = int(np.clip(np.floor(min(corners[2, 1], corners[3, 1])), y0 + 1, ch))
    right = cv2.warpPerspective(crop, P, (cw, ch), flags=cv2.INTER_LINEAR)[y0:y1, x0:x1]
    T = np.array([[1, 0, -x_start], [0, 1, 0], [0, 0, 1]], np.float64)
    T2 = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
    H = T2 @ P @ T
    return left, np.ascontiguousarray(right), H / H[2, 2]


@dataclass(frozen=True)
class Mosaic:
    """The stitched ``image`` ``(Hm, Wm, 3)`` uint8 RGB; ``offset`` = (x, y) of image 1's top-left corner in it."""

    image: np.ndarray
    offset: tuple[int, int]


def stitch(img1: np.ndarray, img2: np.ndarray, H: np.ndarray, blend: bool = True) -> Mosaic:
    """Mosaic of ``img1`` and ``img2`` in ``img1``'s frame, ``H`` mapping img1 → img2 (as ``match_features`` gives).

    ``img2`` is warped by H⁻¹ onto a canvas large enough for both; with ``blend`` the overlap is a
    feathered average (weights = distance to each image's border), otherwise img1 is pasted on top.
    """
    img1, img2 = check_image(img1, "image 1"), check_image(img2, "image 2")
    H = np.asarray(H, np.float64)
    if H.shape != (3, 3) or abs(np.linalg.det(H)) < 1e-10:
        raise ValueError("The homography must be an invertible 3×3 matrix.")
    Hinv = np.linalg.inv(H)
    h1, w1 = img1.shape[:2]
    h2, w2 = img2.shape[:2]
    c2 = np.array([[[0, 0], [w2, 0], [w2, h2], [0, h2]]], np.float64)
    warped = cv2.perspectiveTransform(c2, Hinv)[0]
    pts = np.vstack([warped, [[0, 0], [w1, h1]]])
    x_min, y_min = np.floor(pts.min(axis=0)).astype(int)
    x_max, y_max = np.ceil(pts.max(axis=0)).astype(int)
    width, height = x_max - x_min, y_max - y_min
    if width * height > 25_000_000 or width <= 0 or height <= 0:
        raise ValueError("This homography stretches the second image too far for a mosaic (a bad match?).")
    T = np.array([[1, 0, -x_min], [0, 1, -y_min], [0, 0, 1]], np.float64)
    size = (int(width), int(height))
    a = cv2.warpPerspective(img1, T, size).astype(np.float32)
    b = cv2.warpPerspective(img2, T @ Hinv, size).astype(np.float32)
    ma = cv2.warpPerspective(np.full((h1, w1), 255, np.uint8), T, size, flags=cv2.INTER_NEAREST)
    mb = cv2.warpPerspective(np.full((h2, w2), 255, np.uint8), T @ Hinv, size, flags=cv2.INTER_NEAREST)
    if blend:
        wa = cv2.distanceTransform(cv2.copyMakeBorder(ma, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0), cv2.DIST_L2, 3)[1:-1, 1:-1]
        wb = cv2.distanceTransform(cv2.copyMakeBorder(mb, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0), cv2.DIST_L2, 3)[1:-1, 1:-1]
    else:
        wa = (ma > 0).astype(np.float32)
        wb = ((mb > 0) & (ma == 0)).astype(np.float32)
    total = wa + wb
    out = (a * wa[..., None] + b * wb[..., None]) / np.maximum(total, 1e-6)[..., None]
    return Mosaic(np.clip(np.rint(out), 0, 255).astype(np.uint8), (int(-x_min), int(-y_min)))


# ---------------------------------------------------------------------------------------------
# Bag of visual words
# ---------------------------------------------------------------------------------------------

_BOVW_SIDE = 64
_BOVW_STEP = 8
_BOVW_PATCH = 16


def _dense_sift(gray: np.ndarray) -> np.ndarray:
    """SIFT descriptors ``(n, 128)`` float32 on a grid (step 8, patch 16) of a ``(64, 64)`` grey image."""
    sift = cv2.SIFT_create()
    r = _BOVW_PATCH // 2
    grid = [cv2.KeyPoint(float(x), float(y), float(_BOVW_PATCH))
            for y in range(r, _BOVW_SIDE - r + 1, _BOVW_STEP) for x in range(r, _BOVW_SIDE - r + 1, _BOVW_STEP)]
    _, desc = sift.compute(gray, grid)
    return desc.astype(np.float32)


def _grid_positions() -> list[tuple[int, int]]:
    r = _BOVW_PATCH // 2
    return [(x, y) for y in range(r, _BOVW_SIDE - r + 1, _BOVW_STEP) for x in range(r, _BOVW_SIDE - r + 1, _BOVW_STEP)]


def _to_bovw_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        image = to_gray(check_image(image))
    return cv2.resize(np.ascontiguousarray(image, dtype=np.uint8), (_BOVW_SIDE, _BOVW_SIDE), interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class BovwModel:
    """A visual vocabulary (``centres`` ``(k, 128)``) and a logistic-regression classifier on word histograms.

    ``patches`` ``(k, n, 16, 16)`` uint8: for each word the training patches nearest to its centre.
    ``word_counts`` ``(k,)``: how often each word occurs in the training set.
    """

    k: int
    centres: np.ndarray
    coef: np.ndarray
    intercept: float
    train_accuracy: float
    test_accuracy: float
    chance: float
    n_train: int
    n_test: int
    class_names: tuple[str, ...]
    patches: np.ndarray = field(repr=False)
    word_counts: np.ndarray = field(repr=False)


def _histograms(words: np.ndarray, per_image: int, k: int) -> np.ndarray:
    w = words.reshape(-1, per_image)
    hist = np.zeros((w.shape[0], k), np.float64)
    np.add.at(hist, (np.repeat(np.arange(w.shape[0]), per_image), w.ravel()), 1.0)
    return hist / per_image


def train_bovw(k: int = 32, test_fraction: float = 0.25, seed: int = 0, patches_per_word: int = 8) -> BovwModel:
    """Bag of visual words on lfw_subset (faces vs non-faces): dense SIFT → k-means vocabulary → word
    histograms → logistic regression, scored on a stratified held-out split (chance = majority share)."""
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression

    if not 4 <= k <= 256:
        raise ValueError(f"The vocabulary size k must be between 4 and 256, got {k}.")
    ds = lfw_faces()
    grays = np.stack([_to_bovw_gray(im) for im in ds.images])
    desc = np.stack([_dense_sift(g) for g in grays])
    per = desc.shape[1]
    tr, te = train_test_split_stratified(ds.labels, test_fraction, seed)
    km = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(desc[tr].reshape(-1, 128))
    words = km.predict(desc.reshape(-1, 128)).reshape(len(grays), per)
    hist = _histograms(words, per, k)
    clf = LogisticRegression(C=10.0, max_iter=2000).fit(hist[tr], ds.labels[tr])
    train_acc = float(clf.score(hist[tr], ds.labels[tr]))
    test_acc = float(clf.score(hist[te], ds.labels[te]))
    chance = float(max(np.mean(ds.labels[te] == c) for c in np.unique(ds.labels)))
    flat = desc[tr].reshape(-1, 128)
    pos = _grid_positions()
    r = _BOVW_PATCH // 2
    patches = np.zeros((k, patches_per_word, _BOVW_PATCH, _BOVW_PATCH), np.uint8)
    for c in range(k):
        d = np.linalg.norm(flat - km.cluster_centers_[c], axis=1)
        for j, flat_i in enumerate(np.argsort(d)[:patches_per_word]):
            img_i, p_i = divmod(int(flat_i), per)
            x, y = pos[p_i]
            patches[c, j] = grays[tr[img_i], y - r:y + r, x - r:x + r]
    counts = np.bincount(words[tr].ravel(), minlength=k)
    return BovwModel(k, km.cluster_centers_.astype(np.float32), clf.coef_[0].copy(), float(clf.intercept_[0]),
                     train_acc, test_acc, chance, len(tr), len(te), ds.class_names, patches, counts)


def bovw_histogram(model: BovwModel, image: np.ndarray) -> tuple[np.ndarray, float]:
    """Word histogram ``(k,)`` (fractions summing to 1) of a photo squeezed to 64×64 grey, and P(face)."""
    desc = _dense_sift(_to_bovw_gray(image))
    d = ((desc[:, None, :] - model.centres[None]) ** 2).sum(-1)
    hist = _histograms(d.argmin(axis=1), len(desc), model.k)[0]
    p = float(1 / (1 + np.exp(-(hist @ model.coef + model.intercept))))
    return hist, p


def word_patch_grid(model: BovwModel, words: list[int] | None = None, zoom: int = 3) -> np.ndarray:
    """Patch grid ``(rows·(16·zoom+2), n·(16·zoom+2), 3)`` uint8: one row per visual word, its nearest patches."""
    words = list(range(min(8, model.k))) if words is None else [int(w) for w in words]
    if not words or any(not 0 <= w < model.k for w in words):
        raise ValueError(f"Words must be between 0 and {model.k - 1}.")
    side = _BOVW_PATCH * zoom
    n = model.patches.shape[1]
    grid = np.full((len(words) * (side + 2), n * (side + 2)), 255, np.uint8)
    for r, w in enumerate(words):
        for c in range(n):
            tile = cv2.resize(model.patches[w, c], (side, side), interpolation=cv2.INTER_NEAREST)
            grid[r * (side + 2):r * (side + 2) + side, c * (side + 2):c * (side + 2) + side] = tile
    return np.repeat(grid[..., None], 3, axis=2)


def working_copy(image: np.ndarray, max_side: int = 640) -> np.ndarray:
    """``image`` downscaled so its long side is at most ``max_side`` (interactive tabs stay fast)."""
    return resize_max_side(check_image(image), max_side)


@dataclass(frozen=True)
class CnnBaseline:
    """The transfer-learning page's default result on lfw_subset: held-out accuracy, feature size, layer, time."""

    test_accuracy: float
    chance: float
    n_dims: int
    layer: str
    size: int
    seconds: float


def cnn_feature_accuracy(features: object, layer: str = "block4_pool", size: int = 48) -> CnnBaseline:
    """The same faces-vs-non-faces task with pretrained VGG-16 conv features instead of visual words.

    Exactly the transfer-learning page's computation (``vision_core.transfer``, its defaults): ``layer`` of
    the shared ``vgg16_features`` model (only read) at ``size``×``size``, global average pool, standardised
    logistic regression on the same stratified split as ``train_bovw`` (25 % held out, seed 0).
    """
    from vision_core.transfer import cnn_features, evaluate_features

    ds = lfw_faces()
    t0 = time.perf_counter()
    feats = cnn_features(ds.images, features, layer, size)  # type: ignore[arg-type]
    ev = evaluate_features(feats, ds.labels, 0.25, 0)
    return CnnBaseline(ev.accuracy, ev.chance, int(feats.shape[1]), layer, size, time.perf_counter() - t0)
