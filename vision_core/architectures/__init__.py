"""Classic CNNs layer by layer: exact output shapes, parameters and multiply-adds, and a what-if editor.

Modules
- ``catalog``: the networks the explorer opens (``NetworkInfo``, ``available``, ``info``), untrained.
- ``summary``: ``summarize`` a network or any ``nn.Module`` once under ``FlopCounterMode`` on the meta device
  (``ModelSummary`` of ``LayerRow``\\ s; 1 MAC = 2 FLOPs, torchvision's ``_ops`` convention), ``block_rows``,
  ``stage_totals``, ``shape_text``.
- ``structure``: the blocks of a summary as a block diagram draws them (residual, inception branches, dense
  blocks and their layers, shortcuts, U-Net skips).
- ``references``: torchvision's published figures and the lecture's claims (``reference``, ``accuracy_table``).
- ``bottleneck``: the inception 1×1 bottleneck calculator.
- ``editor``: the what-if editor's layer lists (``EditLayer``, ``check_layers``), ``propagate`` (shapes and receptive
  fields by arithmetic), ``build``, ``evaluate``, ``diff``.
- ``links``: a layer list as the text of a shared link (``edit_to_text``/``edit_from_text``).
- ``export``: runnable PyTorch code of an edited network.
- ``presets``: the networks the editor starts from (``preset``, ``EDIT_PRESETS``) and the lecture's pattern.

Shapes are ``(C, H, W)`` for one image at batch size 1; errors meant for a person are ``BadInput``.
"""

from .bottleneck import BottleneckResult, inception_bottleneck
from .catalog import NetworkInfo, available, info
from .editor import (
    EDIT_KINDS,
    EDIT_LIMITS,
    MAX_EDIT_LAYERS,
    DiffRow,
    EditLayer,
    EditResult,
    EditRow,
    build,
    check_layers,
    diff,
    edit_layer_names,
    evaluate,
    propagate,
)
from .export import export_code
from .links import MAX_EDIT_TEXT, edit_from_text, edit_to_text
from .presets import EDIT_PRESETS, GOOGLENET_INCEPTION, lecture_pattern, preset
from .references import Claim, Reference, accuracy_table, reference
from .structure import Block, Structure, block_structure
from .summary import BLOCK_KINDS, LayerRow, ModelSummary, block_rows, shape_text, stage_totals, summarize

__all__ = [
    "BLOCK_KINDS",
    "EDIT_KINDS",
    "EDIT_LIMITS",
    "EDIT_PRESETS",
    "GOOGLENET_INCEPTION",
    "MAX_EDIT_LAYERS",
    "MAX_EDIT_TEXT",
    "Block",
    "BottleneckResult",
    "Claim",
    "DiffRow",
    "EditLayer",
    "EditResult",
    "EditRow",
    "LayerRow",
    "ModelSummary",
    "NetworkInfo",
    "Reference",
    "Structure",
    "accuracy_table",
    "available",
    "block_rows",
    "block_structure",
    "build",
    "check_layers",
    "diff",
    "edit_from_text",
    "edit_layer_names",
    "edit_to_text",
    "evaluate",
    "export_code",
    "inception_bottleneck",
    "info",
    "lecture_pattern",
    "preset",
    "propagate",
    "reference",
    "shape_text",
    "stage_totals",
    "summarize",
]
