"""Challenges scored on a result the page computed from the student's settings: the smallest occluder that
flips a classifier, NMS that leaves one box per object, a CNN at 95 % in two epochs, a GAN pushed into mode
collapse and named, a style loss brought down, a template that survives a 20° turn."""

from __future__ import annotations

import math

import numpy as np

from vision_core.challenges._api import Attempt, Challenge, Score, clip01, need, register_challenge
from vision_core.errors import BadInput

# ------------------------------------------------------------------------------------- inside the network

OCCLUDER_TARGET = 48
"""An occluder of at most this side (pixels on the 224×224 crop) that changes the top-1 class solves it."""


def _occluder(attempt: Attempt) -> Score:
    side = need(attempt, "occluder_side", int)
    before = need(attempt, "top1_before", str)
    after = need(attempt, "top1_after", str)
    if not 1 <= side <= 224:
        raise BadInput("The occluder's side must be between 1 and 224 pixels.")
    measured = f"a {side}×{side} grey square: '{before}' → '{after}'"
    if after == before:
        return Score(0.0, False, measured, "The class did not change: put the square on what the occlusion map marks yellow.")
    if side <= OCCLUDER_TARGET:
        return Score(1.0, True, measured, f"Solved: {side}×{side} pixels were enough to change the network's mind.")
    return Score(clip01(OCCLUDER_TARGET / side), False, measured,
                 f"It flipped. Now shrink the square (at most {OCCLUDER_TARGET} px) and keep it on the decisive spot.")


# ------------------------------------------------------------------------------------- detection

COMPOSITE_OBJECTS: tuple[tuple[str, tuple[float, float, float, float]], ...] = (
    ("cat", (20.0, 247.0, 340.0, 460.0)),
    ("person", (380.0, 20.0, 620.0, 260.0)),
)
"""Where the detection page's composite scene puts its two objects (xyxy pixels of the 640×480 scene):
Chelsea the cat lower left, the astronaut upper right (``vision_core.detection`` builds the scene)."""


def _inside(box: np.ndarray, region: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def _one_box_per_object(attempt: Attempt) -> Score:
    boxes = np.asarray(need(attempt, "boxes", (np.ndarray, list, tuple)), dtype=np.float64).reshape(-1, 4)
    labels = list(need(attempt, "labels", (list, tuple)))
    iou = float(need(attempt, "iou_threshold", (int, float)))
    if len(labels) != len(boxes):
        raise BadInput("Every box needs a label.")
    counts = []
    for name, region in COMPOSITE_OBJECTS:
        counts.append(sum(1 for b, lab in zip(boxes, labels) if lab == name and _inside(b, region)))
    exact = sum(c == 1 for c in counts)
    duplicates = sum(max(c - 1, 0) for c in counts)
    measured = ", ".join(f"{c} box{'es' if c != 1 else ''} on the {n}" for c, (n, _) in zip(counts, COMPOSITE_OBJECTS))
    measured += f" at NMS IoU {iou:.2f}"
    value = clip01((exact - 0.5 * duplicates) / len(COMPOSITE_OBJECTS))
    if exact == len(COMPOSITE_OBJECTS):
        return Score(1.0, True, measured, "Solved: non-maximum suppression left exactly one box per object.")
    if duplicates:
        hint = "Some object still has several boxes: lower the NMS IoU threshold so overlapping boxes suppress each other."
    else:
        hint = "An object lost its box: lower the score threshold, or raise the NMS IoU threshold if you suppressed too much."
    return Score(value, False, measured, hint)


# ------------------------------------------------------------------------------------- training a CNN

def _cnn_95(attempt: Attempt) -> Score:
    acc = float(need(attempt, "test_accuracy", (int, float)))
    epochs = float(need(attempt, "epochs", (int, float)))
    if not 0 <= acc <= 1:
        raise BadInput("The test accuracy must be a fraction between 0 and 1.")
    measured = f"{100 * acc:.1f} % test accuracy after {epochs:g} epoch{'s' if epochs != 1 else ''}"
    if epochs > 2:
        return Score(clip01((acc - 0.5) / 0.45) * 0.5, False, measured, "At most 2 epochs: reach it faster, not longer.")
    if acc >= 0.95:
        return Score(1.0, True, measured, "Solved: LeNet-5 passed 95 % within two epochs.")
    return Score(clip01((acc - 0.5) / 0.45), False, measured,
                 "Try a larger learning rate (Adam 3e-3 to 1e-2) or a smaller batch: more weight updates per epoch.")


# ------------------------------------------------------------------------------------- GAN

GAN_OUTCOMES: tuple[str, ...] = ("it learned the digits", "mode collapse", "the discriminator won", "nothing yet")


def _collapse(attempt: Attempt) -> Score:
    from vision_core.generative import COLLAPSE_THRESHOLD

    diversity = float(need(attempt, "diversity", (int, float)))
    named = need(attempt, "named", str)
    if named not in GAN_OUTCOMES:
        raise BadInput(f"Name what happened with one of: {', '.join(GAN_OUTCOMES)}.")
    collapsed = diversity < COLLAPSE_THRESHOLD
    right = named == "mode collapse"
    measured = f"sample diversity {diversity:.2f} (collapse below {COLLAPSE_THRESHOLD}); you named it '{named}'"
    if collapsed and right:
        return Score(1.0, True, measured, "Solved: the generator fell back on a few outputs, and you named it.")
    if collapsed:
        return Score(0.5, False, measured, "The samples did collapse: what is it called when a generator makes only a few outputs?")
    if right:
        return Score(0.25, False, measured, "That is the right name, but this run did not collapse: try the preset that provokes it.")
    return Score(0.0, False, measured, "Make the discriminator much stronger than the generator, or its learning rate much higher.")


# ------------------------------------------------------------------------------------- style transfer

STYLE_STEPS = 200
STYLE_DROP = 0.1


def _style_loss(attempt: Attempt) -> Score:
    history = [float(v) for v in need(attempt, "style_losses", (list, tuple))]
    if len(history) < 2 or not all(math.isfinite(v) and v >= 0 for v in history):
        raise BadInput("Run the optimisation for a few steps first.")
    steps = int(need(attempt, "steps", int))
    first, last = history[0], history[-1]
    ratio = last / first if first > 0 else 1.0
    measured = f"style loss {first:.3g} → {last:.3g} ({100 * ratio:.0f} %) in {steps} steps"
    if steps > STYLE_STEPS:
        return Score(0.5 * clip01((1 - ratio) / (1 - STYLE_DROP)), False, measured, f"Within {STYLE_STEPS} steps, please.")
    if ratio <= STYLE_DROP:
        return Score(1.0, True, measured, "Solved: the Gram matrices of G now match the style image's.")
    return Score(clip01((1 - ratio) / (1 - STYLE_DROP)), False, measured,
                 "Raise β/α (more weight on style), or start from the style image instead of noise.")


# ------------------------------------------------------------------------------------- classic CV

def _template_rotation(attempt: Attempt) -> Score:
    method = str(attempt.get("method", "ccoeff_normed"))
    if not method.endswith("_normed") or method.startswith("sqdiff"):
        return Score(0.0, False, f"method {method}", "Use a normalised correlation (ccoeff_normed or ccorr_normed): its peak is between −1 and 1.")
    rotation = float(need(attempt, "rotation", (int, float)))
    found = bool(need(attempt, "found", bool))
    peak = float(need(attempt, "peak", (int, float)))
    measured = f"rotated {rotation:g}°: {'found at the right place' if found else 'found elsewhere'}, peak score {peak:.2f}"
    if abs(rotation) < 20:
        return Score(0.0, False, measured, "Turn the search image by at least 20° first (the rotation slider).")
    if found and peak >= 0.5:
        return Score(1.0, True, measured, "Solved: a small, round-ish template still matches after the turn.")
    if found:
        return Score(0.5 + 0.45 * clip01(peak / 0.5), False, measured,
                     "It is found, but only just: a smaller template with less outline suffers less from the turn.")
    return Score(0.0, False, measured, "Choose a template whose look does not depend on direction: a small patch around an eye, not a long edge.")


LECTURE_SEE = "Visualization — which part of the image affects the classification (Zeiler & Fergus); deck 000"
register_challenge(Challenge(
    "see-smallest-occluder", "inside_network", "The smallest occluder",
    "Cover part of the photo with one grey square so that the network's top-1 class changes. "
    f"Solve it with a square of at most {OCCLUDER_TARGET}×{OCCLUDER_TARGET} pixels.",
    LECTURE_SEE, _occluder, needs=("occluder_side", "top1_before", "top1_after"),
    start={"ins_view": "Occlusion", "sample": "chelsea", "src": "Sample"},
))
register_challenge(Challenge(
    "det-one-box-each", "detection", "One box per object",
    "On the composite scene the detector finds the cat and the astronaut, often more than once. "
    "Choose the NMS IoU threshold (and the score threshold) so that exactly one box is left on each.",
    "Object detection — non-maximum suppression; deck 001", _one_box_per_object,
    needs=("boxes", "labels", "iou_threshold"),
    start={"det_view": "Detect", "det_photo": "Composite scene", "det_iou": "0.95", "det_score": "0.1",
           "det_model": "YOLOv3-tiny (COCO-80, 416×416, torch)"},  # the embedded detector, wherever it opens
))
register_challenge(Challenge(
    "cnn-95-in-2", "train_cnn", "95 % in two epochs",
    "Train LeNet-5 on MNIST to at least 95 % test accuracy in at most two epochs. "
    "Choose the learning rate and batch size; the training runs live.",
    "CNNs for classification — LeNet-5 on MNIST; deck 001", _cnn_95, needs=("test_accuracy", "epochs"),
    start={"tc_epochs": "2"},
))
register_challenge(Challenge(
    "gan-collapse", "gan_train", "Provoke mode collapse, and name it",
    "Train the MNIST GAN so that the generator falls back on a few outputs, then name what happened. "
    "The page measures how diverse the samples are.",
    "Generative adversarial networks — training difficulties; deck 002", _collapse, needs=("diversity", "named"),
))
register_challenge(Challenge(
    "style-loss-down", "style_transfer", "Bring the style loss down",
    "Gatys' optimisation changes the image until its Gram matrices match the style image's. "
    f"Make the style loss fall to at most {100 * STYLE_DROP:.0f} % of its first value within {STYLE_STEPS} steps.",
    "Neural style transfer — content and style losses, Gram matrices; deck 002", _style_loss,
    needs=("style_losses", "steps"), start={"nst_tab": "Gatys"},
))
register_challenge(Challenge(
    "classic-template-20", "classic_cv", "A template that survives a 20° turn",
    "Template matching compares pixels, so turning the search image breaks it. "
    "Choose a template that is still found at the right place after a 20° turn, with a peak score of at least 0.5.",
    "Before deep learning — template matching and where it breaks; deck 000", _template_rotation,
    needs=("rotation", "found", "peak"), start={"cv_tab": "Template matching", "cv_rot": "20", "cv_method": "ccoeff_normed"},
))
