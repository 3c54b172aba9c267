"""Classification + localisation as regression (lecture 001: "Tratar a localização como um problema de
regressão"): a small CNN with a class head and a 4-number box head, trained live on synthetic scenes of
one MNIST digit pasted at a random place and size.

- ``canvases``: ``make_scenes`` (``Scenes``: images, labels, exact boxes), ``paste_digit``, ``ink_box``,
  ``split_digits``, ``CANVAS`` (64), ``SIZES``.
- ``network``: ``Localiser`` (trunk, ``classify`` and ``box`` heads), ``xyxy_to_cxcywh``, ``cxcywh_to_xyxy``.
- ``training``: ``LocalisationConfig``, ``train_localiser`` (loss = cross-entropy + λ · box loss; seeded,
  stoppable, yields ``LocalisationProgress``), ``box_loss``, ``paired_iou``, ``held_out_scenes``, ``localiser_from``.
- ``predict``: ``predict``, ``evaluate`` (accuracy, IoU), ``read_drawing``, ``draw_scene``.
"""

from vision_core.localisation.canvases import CANVAS, SIZES, SPLITS, Scenes, ink_box, make_scenes, paste_digit, split_digits
from vision_core.localisation.network import N_CLASSES, Localiser, cxcywh_to_xyxy, xyxy_to_cxcywh
from vision_core.localisation.predict import (
    PRED_COLOUR,
    TRUE_COLOUR,
    Drawing,
    Evaluation,
    Prediction,
    draw_scene,
    evaluate,
    predict,
    read_drawing,
)
from vision_core.localisation.training import (
    BOX_LOSSES,
    HELD_OUT,
    LocalisationConfig,
    LocalisationCurve,
    LocalisationProgress,
    box_loss,
    canvases_to_tensor,
    held_out_scenes,
    localiser_from,
    paired_iou,
    train_localiser,
)

__all__ = [
    "BOX_LOSSES",
    "CANVAS",
    "HELD_OUT",
    "N_CLASSES",
    "PRED_COLOUR",
    "SIZES",
    "SPLITS",
    "TRUE_COLOUR",
    "Drawing",
    "Evaluation",
    "LocalisationConfig",
    "LocalisationCurve",
    "LocalisationProgress",
    "Localiser",
    "Prediction",
    "Scenes",
    "box_loss",
    "canvases_to_tensor",
    "cxcywh_to_xyxy",
    "draw_scene",
    "evaluate",
    "held_out_scenes",
    "ink_box",
    "localiser_from",
    "make_scenes",
    "paired_iou",
    "paste_digit",
    "predict",
    "read_drawing",
    "split_digits",
    "train_localiser",
    "xyxy_to_cxcywh",
]
