"""Template matching by normalised correlation (``cv2.matchTemplate``), and where it breaks.

Images and templates are ``(H, W, 3)`` uint8 RGB, compared in grey; boxes are ``xyxy`` pixels
(``x1, y1`` exclusive) unless a function says (x, y, width, height). A search image is "degraded"
around the template's true place (rotated, scaled, shadowed, occluded) so the truth stays put and the
peak score can be watched as it collapses.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_choice, check_fraction, check_image, check_range
from vision_core.errors import BadInput
from vision_core.io.images import to_gray
from vision_core.ops.draw import draw_boxes

__all__ = [
    "DEGRADATIONS",
    "TEMPLATE_METHODS",
    "Degradation",
    "TemplateProbe",
    "clamp_box",
    "default_template_box",
    "degradation_curve",
    "degrade_search_image",
    "draw_probe",
    "match_template",
    "probe_template",
    "score_heatmap",
    "top_matches",
]

TEMPLATE_METHODS: dict[str, int] = {
    "ccoeff_normed": cv2.TM_CCOEFF_NORMED,
    "ccorr_normed": cv2.TM_CCORR_NORMED,
    "sqdiff_normed": cv2.TM_SQDIFF_NORMED,
    "ccoeff": cv2.TM_CCOEFF,
    "ccorr": cv2.TM_CCORR,
    "sqdiff": cv2.TM_SQDIFF,
}
"""``cv2.matchTemplate`` methods; for the two ``sqdiff`` ones the best match is the minimum."""

DEGRADATIONS: tuple[str, ...] = ("rotation", "scale", "shadow", "occlusion")
"""The changes ``degrade_search_image`` can make to the search image (its keyword arguments)."""


def _method(method: str) -> int:
    return TEMPLATE_METHODS[check_choice(method, TEMPLATE_METHODS, "method")]


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
        raise BadInput(f"The template ({tw}×{th}) is larger than the image ({image.shape[1]}×{image.shape[0]}).")
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
        raise BadInput(f"The box ({x0}, {y0}, {x1}, {y1}) is not inside the {shape[1]}×{shape[0]} image.")
    if x1 - x0 < 8 or y1 - y0 < 8:
        raise BadInput("The template must be at least 8×8 pixels: draw a bigger rectangle.")
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
    rotation = check_range(rotation, -360, 360, "rotation")
    scale = check_range(scale, 0.2, 5, "scale")
    shadow = check_fraction(shadow, "shadow")
    occlusion = check_fraction(occlusion, "occlusion")
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


def default_template_box(image: np.ndarray, faces: np.ndarray | None = None) -> tuple[int, int, int, int]:
    """A template to start from, as (x, y, width, height): the first of ``faces`` (``(N, 4)`` xyxy, e.g.
    ``haar_detect``'s boxes on this image), else the central fifth of the image."""
    image = check_image(image)
    H, W = image.shape[:2]
    faces = np.zeros((0, 4)) if faces is None else np.asarray(faces).reshape(-1, 4)
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
    check_choice(kind, DEGRADATIONS, "change of the search image")
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


def draw_probe(probe: TemplateProbe) -> np.ndarray:
    """The degraded search image with the matches drawn: the best in green (labelled with its score), the next
    best in orange (their scores) and the template's true place in blue. ``(H, W, 3)`` uint8 RGB."""
    best_box, best_score = probe.top[0]
    others = probe.top[1:]
    shown = draw_boxes(probe.search, np.array([b for b, _ in others]).reshape(-1, 4),
                       [f"{s:.2f}" for _, s in others], (255, 160, 0))
    shown = draw_boxes(shown, np.array([probe.box]), colours=(80, 160, 255))
    return draw_boxes(shown, best_box[None], [f"best {best_score:.3f}"], (0, 230, 0))
