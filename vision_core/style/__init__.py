"""Neural style transfer: Gatys et al.'s optimisation, its teaching view, and feed-forward style networks.

Modules:

- ``losses``: Gram matrix, J_content and J_style (the course's normalisations), the VGG feature
  networks (``NETWORKS``, ``vgg_layer_names``, the differentiable input recipe).
- ``gatys``: the optimisation of G's pixels as a generator of ``GatysStep`` (Adam or L-BFGS).
- ``explain``: ``explain_layer``, the Gram matrices and feature maps the losses compare at one layer.
- ``fast``: fast style (26 styles, blendable) and arbitrary style (any style image) in onnxruntime.
- ``images``: the style images that ship offline (textures, painted samples).
- ``pixels``: long-side fitting, centre squares, uint8 ↔ ``[0, 1]`` tensors.

Every function takes the loaded network or session (``net=``, ``session=``, ``predictor=``,
``transformer=``); the app's one model cache is ``ui.models``. Images are ``(H, W, 3)`` uint8 RGB.
"""

from vision_core.style.explain import LayerView, explain_layer
from vision_core.style.fast import (
    ARBITRARY_SIZE,
    NUM_STYLES,
    STYLE_SIZE,
    FastResult,
    arbitrary_stylize,
    blend_weights,
    fast_stylize,
    style_thumbnails,
    style_vector,
)
from vision_core.style.gatys import GatysLosses, GatysStep, gatys
from vision_core.style.images import STYLE_CHOICES, style_image
from vision_core.style.losses import (
    DEFAULT_CONTENT_LAYER,
    DEFAULT_STYLE_LAYERS,
    NETWORKS,
    content_loss,
    gram_matrix,
    style_loss,
    to_network_input,
    vgg_layer_names,
)

__all__ = [
    "ARBITRARY_SIZE",
    "DEFAULT_CONTENT_LAYER",
    "DEFAULT_STYLE_LAYERS",
    "FastResult",
    "GatysLosses",
    "GatysStep",
    "LayerView",
    "NETWORKS",
    "NUM_STYLES",
    "STYLE_CHOICES",
    "STYLE_SIZE",
    "arbitrary_stylize",
    "blend_weights",
    "content_loss",
    "explain_layer",
    "fast_stylize",
    "gatys",
    "gram_matrix",
    "style_image",
    "style_loss",
    "style_thumbnails",
    "style_vector",
    "to_network_input",
    "vgg_layer_names",
]
