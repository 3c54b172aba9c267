"""Convolution playground challenges: a vertical-edge detector, a blur that keeps the brightness, and
"which kernel made this?" — each scored by running the student's own kernel (``ops.conv.conv2d``)."""

from __future__ import annotations

import numpy as np

from vision_core.challenges._api import Attempt, Challenge, Score, clip01, need, register_challenge
from vision_core.checks import check_image
from vision_core.errors import BadInput
from vision_core.io.images import resize_max_side, to_gray
from vision_core.ops.conv import conv2d

__all__ = ["HIDDEN_KERNEL", "edge_patterns", "hidden_output"]

LECTURE = "Convolution — filters that detect features (vertical edges, blurring), deck 003"
_SIDE = 32


def edge_patterns(side: int = _SIDE) -> tuple[np.ndarray, np.ndarray]:
    """Two ``(side, side)`` float test images: a vertical step edge (dark left, bright right) and the
    same edge turned horizontal (dark top, bright bottom), values 0 and 1."""
    vertical = np.zeros((side, side), np.float64)
    vertical[:, side // 2 :] = 1.0
    return vertical, vertical.T.copy()


def _kernel(attempt: Attempt) -> np.ndarray:
    k = np.asarray(need(attempt, "kernel", (np.ndarray, list, tuple)), dtype=np.float64)
    if k.ndim != 2 or not np.isfinite(k).all():
        raise BadInput("The kernel must be a grid of finite numbers.")
    return k


def _vertical_edges(attempt: Attempt) -> Score:
    k = _kernel(attempt)
    if k.shape != (3, 3):
        return Score(0.0, False, f"a {k.shape[0]}×{k.shape[1]} kernel", "The task asks for a 3×3 kernel: set the size to 3.")
    vertical, horizontal = edge_patterns()
    rv = float(np.abs(conv2d(vertical, k)).mean())
    rh = float(np.abs(conv2d(horizontal, k)).mean())
    if rv + rh == 0:
        return Score(0.0, False, "no response at all", "An all-zero kernel sees nothing: put numbers in it.")
    selectivity = (rv - rh) / (rv + rh)
    ratio = rv / rh if rh > 0 else float("inf")
    measured = f"vertical / horizontal edge response = {ratio:.1f}" if np.isfinite(ratio) else "vertical edges only"
    passed = selectivity >= 0.9
    if passed:
        hint = "Solved: your kernel lights up on vertical edges and stays dark on horizontal ones."
    elif selectivity < 0:
        hint = "Your kernel prefers horizontal edges: turn it by 90° (swap rows and columns)."
    elif abs(k.sum()) > 1e-6:
        hint = (f"Your weights sum to {k.sum():.3g}, so flat bright areas answer too: make them sum to 0, "
                "e.g. positive numbers in one column and negative ones in the other.")
    else:
        hint = "Make the rows equal and the columns differ, like the lecture's [1 0 −1] in every row."
    return Score(clip01(selectivity), passed, measured, hint)


def _blur(attempt: Attempt) -> Score:
    k = _kernel(attempt)
    total = float(k.sum())
    rng = np.random.default_rng(0)
    noise = rng.uniform(0.0, 1.0, (48, 48))
    out = conv2d(noise, k)
    smoothing = 1.0 - float(out.std()) / float(noise.std()) if k.size > 1 else 0.0
    brightness = abs(total - 1.0)
    measured = f"weights sum to {total:.3g}; noise reduced by {100 * max(smoothing, 0):.0f} %"
    passed = brightness <= 0.01 and smoothing >= 0.5 and bool((k >= 0).all())
    value = clip01(smoothing / 0.5) * clip01(1.0 - brightness / 0.2) * (1.0 if (k >= 0).all() else 0.5)
    if passed:
        hint = "Solved: the photo gets smoother and keeps its brightness (the weights sum to 1)."
    elif (k < 0).any():
        hint = "A blur averages: negative weights make edges, not blur. Use only positive weights."
    elif brightness > 0.01:
        hint = (f"Your weights sum to {total:.3g}: the photo gets {'brighter' if total > 1 else 'darker'}. "
                "Divide every weight by their sum (the page's 'normalise' switch does it).")
    else:
        hint = "Spread the weight over more cells: a 3×3 box of 1/9 removes about two thirds of the noise."
    return Score(value, passed, measured, hint)


HIDDEN_KERNEL = np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])
"""The kernel behind "which kernel made this?" (an emboss: light from the top left)."""


def _grey(image: np.ndarray) -> np.ndarray:
    return to_gray(resize_max_side(check_image(image), 192)).astype(np.float64) / 255.0


def hidden_output(image: np.ndarray) -> np.ndarray:
    """The hidden kernel's output on the photo's grey levels (long side ≤ 192 px, 'same' padding), ``(h, w)`` float."""
    return conv2d(_grey(image), HIDDEN_KERNEL, padding="same")


def _which_kernel(attempt: Attempt) -> Score:
    k = _kernel(attempt)
    image = need(attempt, "image", np.ndarray)
    target = hidden_output(image)
    grey = _grey(image)
    ours = conv2d(grey, k, padding="same")
    if ours.shape != target.shape:
        ours = ours[: target.shape[0], : target.shape[1]]
    a, b = ours.ravel() - ours.mean(), target.ravel() - target.mean()
    denom = float(np.sqrt((a * a).sum() * (b * b).sum()))
    corr = float((a * b).sum() / denom) if denom > 0 else 0.0
    measured = f"correlation with the hidden output = {corr:.3f}"
    passed = corr >= 0.95
    if passed:
        hint = "Solved: your output matches the hidden kernel's."
    elif corr < -0.5:
        hint = "Very close, but inverted: flip the sign of every weight."
    elif corr < 0.3:
        hint = "Look at the hidden output: which edges are bright, which dark? A kernel is a pattern it looks for."
    else:
        hint = "Getting there: bright top-left edges and dark bottom-right ones suggest weights that grow along a diagonal."
    return Score(clip01(corr), passed, measured, hint)


register_challenge(Challenge(
    "conv-vertical-edges", "convolution", "A vertical-edge detector",
    "Type a 3×3 kernel that answers vertical edges and not horizontal ones. It is scored on a test pattern: "
    "the response to a vertical edge must be at least 19 times the response to a horizontal edge.",
    LECTURE, _vertical_edges, needs=("kernel",), start={"conv_preset": "custom", "conv_ksize": "3"},
))
register_challenge(Challenge(
    "conv-blur", "convolution", "A blur that keeps the brightness",
    "Type a kernel that smooths the photo without making it brighter or darker. It must remove at least half "
    "of the noise of a random image while its weights sum to 1.",
    LECTURE, _blur, needs=("kernel",), start={"conv_preset": "custom", "conv_ksize": "3"},
))
register_challenge(Challenge(
    "conv-which-kernel", "convolution", "Which kernel made this?",
    "The page shows what a hidden 3×3 kernel makes of your photo. Type a kernel whose output correlates with it "
    "at 0.95 or more.",
    LECTURE, _which_kernel, needs=("kernel", "image"), start={"conv_preset": "custom", "conv_ksize": "3"},
))
