"""Train a CNN: LeNet-5 trained live on MNIST-5k, then a digit read by it.

- ``lenet_training``: ``TrainConfig``, ``train_lenet`` (seeded, stoppable, yields ``TrainProgress``),
  ``evaluate``, ``mnist_split``, ``digits_to_tensor``, ``lenet_from_state``.
- ``digits``: ``read_digit`` / ``predict_digit``, ``lenet_feature_maps``, ``learned_filters``,
  ``held_out_digits``.

The pieces the page shares with other topics live below: drawings are read by
``vision_core.io.canvas`` (white ink: ``canvas_to_digit``), the lecture's "X or X?" filters are
``vision_core.ops.conv`` (``X_FILTERS``, ``draw_x``, ``x_responses``), map grids are
``vision_core.ops.tiling.tile_maps``, thread limits ``vision_core.models.device.limited_threads``.
"""

from vision_core.training.digits import (
    DigitReading,
    held_out_digits,
    learned_filters,
    lenet_feature_maps,
    predict_digit,
    read_digit,
)
from vision_core.training.lenet_training import (
    TrainConfig,
    TrainProgress,
    digits_to_tensor,
    evaluate,
    lenet_from_state,
    mnist_split,
    train_lenet,
)

__all__ = [
    "DigitReading",
    "TrainConfig",
    "TrainProgress",
    "digits_to_tensor",
    "evaluate",
    "held_out_digits",
    "learned_filters",
    "lenet_feature_maps",
    "lenet_from_state",
    "mnist_split",
    "predict_digit",
    "read_digit",
    "train_lenet",
]
