"""Architecture what-if challenges: a CIFAR-10 network under one million parameters, and AlexNet at half its
multiply-adds with the same output — scored by building the student's own layer list (``architectures``)."""

from __future__ import annotations

import functools

from vision_core.challenges._api import Attempt, Challenge, Score, clip01, need, register_challenge
from vision_core.errors import BadInput

LECTURE = "CNN architectures — AlexNet, VGG, parameters and operations per layer; deck 001"


def _evaluate(attempt: Attempt, task_size: tuple[int, int, int], wrong_size: str):  # noqa: ANN202
    """The student's network evaluated on its input size (an ``architectures.EditResult``) and ``None``, or
    ``None`` and the zero score of a network on another input than ``task_size`` (``wrong_size`` says what to
    set) or one that does not run."""
    from vision_core.architectures import edit_from_text, evaluate

    text = need(attempt, "layers", str)
    size = tuple(need(attempt, "input_size", (tuple, list)))
    if len(size) != 3:
        raise BadInput("The input size must be (channels, height, width).")
    result = evaluate(edit_from_text(text), (int(size[0]), int(size[1]), int(size[2])))
    if tuple(size) != task_size:
        return None, Score(0.0, False, f"input {size}", wrong_size)
    if not result.ok or result.summary is None:
        return None, Score(0.0, False, "the network does not run", result.error)
    return result, None


def _out_classes(result) -> int | None:  # noqa: ANN001
    shape = result.rows[-1].out_shape if result.rows else None
    return int(shape[0]) if shape is not None and len(shape) == 1 else None


def _cifar(attempt: Attempt) -> Score:
    result, failed = _evaluate(attempt, (3, 32, 32), "The task is CIFAR-10: set the input to 3 × 32 × 32.")
    if failed is not None:
        return failed
    params = result.summary.total_params
    classes = _out_classes(result)
    measured = f"{params:,} parameters, output {classes if classes is not None else 'not a vector'}"
    if classes != 10:
        return Score(0.3 if params < 1_000_000 else 0.0, False, measured,
                     "End with a fully connected layer of 10 outputs, one per CIFAR-10 class.")
    if params < 1_000_000:
        return Score(1.0, True, measured, "Solved: ten classes from 32×32×3 with under a million weights.")
    return Score(clip01(1_000_000 / params), False, measured,
                 "Most parameters sit in the first fully connected layer: pool more (or use global average pooling) before it.")


@functools.lru_cache(maxsize=1)
def _alexnet_macs() -> int:
    from vision_core.architectures import evaluate, preset

    size, layers = preset("alexnet")
    return evaluate(layers, size).summary.total_macs


def _halve_alexnet(attempt: Attempt) -> Score:
    result, failed = _evaluate(attempt, (3, 224, 224), "Keep AlexNet's 3 × 224 × 224 input.")
    if failed is not None:
        return failed
    base = _alexnet_macs()
    macs = result.summary.total_macs
    classes = _out_classes(result)
    measured = f"{macs / 1e6:,.0f} M multiply-adds ({100 * macs / base:.0f} % of AlexNet's {base / 1e6:,.0f} M), output {classes}"
    if classes != 1000:
        return Score(0.0, False, measured, "Keep the output: 1000 ImageNet classes.")
    saved = (base - macs) / (0.5 * base)
    if macs <= 0.5 * base:
        return Score(1.0, True, measured, "Solved: half the operations, same output.")
    return Score(clip01(saved), False, measured,
                 "The early convolutions cost the most operations: a larger stride or fewer filters there saves most.")


register_challenge(Challenge(
    "arch-cifar-1m", "architectures", "CIFAR-10 under a million parameters",
    "The lecture's pattern without pooling maps a 32 × 32 × 3 image to 10 classes with 8.5 million parameters. "
    "Change it so that it needs fewer than 1,000,000, still from 32 × 32 × 3 to 10 classes.",
    LECTURE, _cifar, needs=("layers", "input_size"),
    start={"arch_view": "What-if editor", "arch_edit_base": "pattern", "arch_pin": "32", "arch_pch": "3",
           "arch_ppool": "false"},
))
register_challenge(Challenge(
    "arch-halve-alexnet", "architectures", "AlexNet at half the cost",
    "Edit AlexNet so that it needs at most half of its multiply-adds and still outputs 1000 classes. "
    "The table shows where the operations go layer by layer.",
    LECTURE, _halve_alexnet, needs=("layers", "input_size"), start={"arch_view": "What-if editor", "arch_edit_base": "alexnet"},
))
