"""The cascade's stages evaluated window by window with NumPy, from OpenCV's cascade XML.

``load_cascade`` reads a new-format Haar cascade into a ``CascadeModel`` (plain arrays, immutable);
``cascade_stage_survivors`` runs its first stages over every window of an image pyramid and counts
the windows still alive after each stage. Images are ``(H, W, 3)`` uint8 RGB; boxes ``(M, 4)`` int64
``xyxy`` pixels of the photo passed in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_image
from vision_core.classic.haar import integral_image
from vision_core.classic.viola_jones import cascade_path
from vision_core.errors import BadInput
from vision_core.io.images import to_gray

__all__ = ["CascadeModel", "StageCounts", "cascade_stage_survivors", "load_cascade", "upright_stages"]


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


def load_cascade(cascade: str = "frontalface_default") -> CascadeModel:
    """Parse OpenCV's cascade XML ``cascade`` into a ``CascadeModel`` (Haar features only; 20–150 ms, nothing
    is kept here: the app keeps one per process in ``ui.models.cascade_model``)."""
    root = ET.parse(cascade_path(cascade)).getroot()
    node = root.find("cascade")
    if node is None or node.findtext("featureType", "").strip() != "HAAR":
        raise BadInput(f"The cascade {cascade!r} is not a new-format Haar cascade.")
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


def upright_stages(model: CascadeModel) -> int:
    """How many leading stages of ``model`` use only upright features (the ones evaluated here)."""
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


Stumps = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""A stage whose trees are all single splits: (feature index, threshold, left leaf, right leaf), one per tree."""


def _is_stump(nodes: np.ndarray) -> bool:
    return len(nodes) == 1 and nodes[0, 0] <= 0 and nodes[0, 1] <= 0


def _as_stumps(stage: tuple[tuple[np.ndarray, np.ndarray], ...]) -> Stumps | None:
    """The stage as arrays when every tree is a stump (evaluated all at once), else None."""
    if not all(_is_stump(nodes) for nodes, _ in stage):
        return None
    return (np.array([int(nodes[0, 2]) for nodes, _ in stage]), np.array([nodes[0, 3] for nodes, _ in stage]),
            np.array([leaves[-int(nodes[0, 0])] for nodes, leaves in stage]),
            np.array([leaves[-int(nodes[0, 1])] for nodes, leaves in stage]))


def _stage_score(values: np.ndarray, fis: np.ndarray, nf: np.ndarray,
                 stage: tuple[tuple[np.ndarray, np.ndarray], ...], stumps: Stumps | None) -> np.ndarray:
    """Sum of the stage's leaf values per window; ``values`` ``(n, len(fis))`` feature values of features
    ``fis`` (sorted), ``nf`` ``(n,)`` each window's σ·area."""
    if stumps is not None:
        tree_f, tree_thr, leaf_l, leaf_r = stumps
        below = values[:, np.searchsorted(fis, tree_f)] < tree_thr[None, :] * nf[:, None]
        return np.where(below, leaf_l[None, :], leaf_r[None, :]).sum(axis=1)
    column = {int(fi): c for c, fi in enumerate(fis)}
    n = len(values)
    total = np.zeros(n)
    for nodes, leaves in stage:
        if _is_stump(nodes):
            left, right, fi, thr = nodes[0]
            total += np.where(values[:, column[int(fi)]] < thr * nf, leaves[-int(left)], leaves[-int(right)])
            continue
        idx = np.zeros(n, np.int64)
        result = np.zeros(n)
        active = np.ones(n, bool)
        while active.any():
            for node_i in np.unique(idx[active]):
                sel = active & (idx == node_i)
                left, right, fi, thr = nodes[node_i]
                go_left = values[:, column[int(fi)]][sel] < thr * nf[sel]
                nxt = np.where(go_left, int(left), int(right))
                leaf = nxt <= 0
                sel_idx = np.flatnonzero(sel)
                result[sel_idx[leaf]] = leaves[-nxt[leaf]]
                active[sel_idx[leaf]] = False
                idx[sel_idx[~leaf]] = nxt[~leaf]
        total += result
    return total


def cascade_stage_survivors(
    image: np.ndarray,
    model: CascadeModel,
    n_stages: int | None = None,
    scale_factor: float = 1.25,
    min_size: tuple[int, int] = (30, 30),
    max_side: int = 480,
) -> StageCounts:
    """Evaluate the first ``n_stages`` of ``model`` over every window of an image pyramid, counting survivors.

    Follows OpenCV's evaluator: the grey, histogram-equalised image (long side ≤ ``max_side``) is
    resized by 1/scale for each scale; windows step 2 pixels (1 from scale 2 on); a weak tree compares
    Σ wᵢ·rectsumᵢ with threshold × σ·area (σ from the window without its 1-pixel border); a stage
    passes when the sum of its leaf values ≥ its threshold. Tilted features are not supported.
    """
    image = check_image(image)
    if not isinstance(model, CascadeModel):
        raise BadInput(f"cascade_stage_survivors needs a CascadeModel (see load_cascade), got {type(model).__name__}.")
    cascade = model.name
    n = model.n_stages if n_stages is None else int(n_stages)
    if not 1 <= n <= model.n_stages:
        raise BadInput(f"n_stages must be between 1 and {model.n_stages} for {cascade}, got {n_stages}.")
    if scale_factor <= 1.0:
        raise BadInput(f"scale_factor must be above 1, got {scale_factor}.")
    used = {int(node[2]) for stage in model.stages[:n] for nodes, _ in stage for node in nodes}
    if model.tilted[sorted(used)].any():
        raise BadInput(f"The cascade {cascade!r} uses 45° tilted features in these stages; only upright ones are evaluated here.")
    stage_features = [np.array(sorted({int(node[2]) for nodes, _ in stage for node in nodes}), np.int64)
                      for stage in model.stages[:n]]
    stumps = [_as_stumps(stage) for stage in model.stages[:n]]
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
                total_k = _stage_score(values, fis, nf, model.stages[k], stumps[k])
                keep = total_k >= model.stage_thresholds[k] - 1e-9
                ys, xs, nf, base = ys[keep], xs[keep], nf[keep], base[keep]
                counts[k] += ys.size
            if ys.size:
                f = factor / shrink
                finals.append(np.stack([xs * f, ys * f, (xs + ww) * f, (ys + wh) * f], axis=1))
        factor *= scale_factor
    boxes = np.rint(np.concatenate(finals)).astype(np.int64) if finals else np.zeros((0, 4), np.int64)
    return StageCounts(cascade, model.n_stages, int(total), tuple(int(c) for c in counts), boxes)

