"""Local features: SIFT (or ORB) keypoints, Lowe's ratio test, RANSAC homographies, synthetic views, mosaics.

Images are ``(H, W, 3)`` uint8 RGB; keypoints ``(N, 4)`` float32 (x, y, size, angle in degrees);
homographies are ``(3, 3)`` float64 mapping points of the first image to the second
(``[x', y', w']ᵀ = H [x, y, 1]ᵀ``). Every random step takes a ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision_core.checks import check_choice, check_image, check_range
from vision_core.errors import BadInput
from vision_core.io.images import to_gray

__all__ = [
    "DETECTORS",
    "MATCH_VIEWS",
    "Matches",
    "Mosaic",
    "corner_error",
    "draw_keypoints",
    "draw_matches",
    "match_features",
    "overlapping_views",
    "random_homography",
    "stitch",
    "synthetic_view",
]

DETECTORS: tuple[str, ...] = ("sift", "orb")
"""Keypoint detectors ``match_features`` knows (SIFT: L2 descriptors; ORB: binary, Hamming distance)."""

MATCH_VIEWS: tuple[str, ...] = ("all", "inliers", "outliers")
"""Which match lines ``draw_matches`` draws."""


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
    check_choice(kind, DETECTORS, "detector")
    if kind == "sift":
        return cv2.SIFT_create(nfeatures=n_features)
    return cv2.ORB_create(nfeatures=n_features or 5000)


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
    if not 0 < check_range(ratio, 0, 1, "ratio"):
        raise BadInput(f"ratio must be in (0, 1], got {ratio}.")
    if check_range(ransac_threshold, 0, None, "ransac_threshold") == 0:
        raise BadInput(f"ransac_threshold must be positive, got {ransac_threshold}.")
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
    check_choice(show, MATCH_VIEWS, "choice of match lines")
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
    check_range(perspective, 0, 0.3, "perspective")
    check_range(scale, 0.3, 3, "scale")
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
    check_range(brightness, 0.2, 2, "brightness")
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
    check_range(overlap, 0.15, 0.9, "overlap")
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
        raise BadInput("The homography must be an invertible 3×3 matrix.")
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
        raise BadInput("This homography stretches the second image too far for a mosaic (a bad match?).")
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

