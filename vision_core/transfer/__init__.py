"""Transfer learning, the lecture's galaxies experiment redone on data that ships offline.

Two feature spaces for the same small images, a logistic classifier on each; errors are shown with
their 4 nearest neighbours in each feature space; PCA and t-SNE give 2-D maps. "Bring your own
classes" trains the same linear head on the user's photos.

- ``features``: ``experiment_dataset``, ``morphology``, ``handmade_features``, ``cnn_features`` (VGG-16
  blocks, the network passed in), ``to_rgb``, ``thumbnail``.
- ``evaluation``: ``evaluate_features`` → ``Evaluation``, ``nearest_neighbours``, ``project``, ``point_labels``.
- ``custom``: ``train_custom_head`` → ``CustomHead``, ``classify_photo``, ``demo_classes``, ``stack_classes``.

Conventions: image stacks are ``(N, H, W)`` uint8 grey or ``(N, H, W, 3)`` uint8 RGB; features are
``(N, D)`` float32; labels ``(N,)`` int64; indices always refer to the data set's order.
"""

from vision_core.transfer.custom import CustomHead, classify_photo, demo_classes, stack_classes, train_custom_head
from vision_core.transfer.evaluation import (
    PROJECTIONS,
    Evaluation,
    evaluate_features,
    nearest_neighbours,
    point_labels,
    project,
)
from vision_core.transfer.features import (
    CNN_LAYERS,
    DATASETS,
    HANDMADE_NAMES,
    Morphology,
    cnn_features,
    experiment_dataset,
    handmade_features,
    morphology,
    thumbnail,
    to_rgb,
)

__all__ = [
    "CNN_LAYERS",
    "DATASETS",
    "HANDMADE_NAMES",
    "PROJECTIONS",
    "CustomHead",
    "Evaluation",
    "Morphology",
    "classify_photo",
    "cnn_features",
    "demo_classes",
    "evaluate_features",
    "experiment_dataset",
    "handmade_features",
    "morphology",
    "nearest_neighbours",
    "point_labels",
    "project",
    "stack_classes",
    "thumbnail",
    "to_rgb",
    "train_custom_head",
]
