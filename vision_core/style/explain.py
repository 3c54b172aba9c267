"""The teaching view of the style loss: what J_style and J_content compare at one layer.

``explain_layer`` runs C, S and G through the feature network once each and returns the Gram
matrices of S and G (the first channels) and a few feature maps of C and G. Images are
``(H, W, 3)`` uint8 RGB; matrices and maps are float32 numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from vision_core.checks import check_image, check_int
from vision_core.models.device import net_device
from vision_core.style.losses import activations, check_network, content_loss, gram_matrix, output_index, style_loss, to_network_input
from vision_core.style.pixels import fit_side, resize_to, to_tensor

__all__ = ["LayerView", "explain_layer"]


@dataclass(frozen=True)
class LayerView:
    """What the losses compare at one layer, for the first ``channels`` channels.

    ``gram_style``/``gram_generated``: ``(k, k)`` float32 Gram matrices of S and G.
    ``maps_content``/``maps_generated``: ``(n, h, w)`` float32 activations of C and G
    for the ``channels_shown`` channels (the most active ones on C), each scaled
    to ``[0, 1]`` by the content map's maximum so both rows are comparable.
    """

    layer: str
    shape: tuple[int, int, int]
    gram_style: np.ndarray
    gram_generated: np.ndarray
    maps_content: np.ndarray
    maps_generated: np.ndarray
    channels_shown: tuple[int, ...]
    style_distance: float
    content_distance: float


def explain_layer(
    content: np.ndarray,
    style: np.ndarray,
    generated: np.ndarray,
    layer: str = "block1_conv1",
    *,
    net: nn.Module,
    size: int = 256,
    channels: int = 32,
    maps: int = 6,
    network: str = "vgg16",
) -> LayerView:
    """Gram matrices of S and G and a few feature maps of C and G at ``layer`` of ``net`` (the ``network``).

    Images are ``(H, W, 3)`` uint8 RGB; C and G are brought to the long side ``size``
    and the same shape (G's), S to the long side ``size``.
    """
    content = check_image(content, "The content image")
    style = check_image(style, "The style image")
    generated = check_image(generated, "The generated image")
    check_network(network)
    idx = output_index(network, layer)
    check_int(size, 8, 1024, "The size (long side, pixels)")
    check_int(channels, 1, None, "The number of channels shown")
    check_int(maps, 1, None, "The number of feature maps shown")
    dev = net_device(net)
    g_img = fit_side(generated, size)
    h, w = g_img.shape[:2]
    c_img = resize_to(content, (w, h))
    s_img = fit_side(style, size)
    with torch.no_grad():
        acts = [activations(net, to_network_input(to_tensor(im, dev), network), [idx])[idx][0]
                for im in (c_img, s_img, g_img)]
    a_c, a_s, a_g = acts
    k = min(channels, a_c.shape[0])
    gram_s, gram_g = gram_matrix(a_s), gram_matrix(a_g)
    order = torch.argsort(a_c.mean(dim=(1, 2)), descending=True)[: min(maps, a_c.shape[0])]
    chosen = tuple(int(i) for i in order)
    scale = a_c[list(chosen)].amax(dim=(1, 2), keepdim=True).clamp_min(1e-6)
    mc = (a_c[list(chosen)] / scale).clamp(0, 1)
    mg = (a_g[list(chosen)] / scale).clamp(0, 1)
    return LayerView(
        layer=layer,
        shape=tuple(int(s) for s in a_c.shape),  # type: ignore[arg-type]
        gram_style=gram_s[:k, :k].cpu().numpy().astype(np.float32),
        gram_generated=gram_g[:k, :k].cpu().numpy().astype(np.float32),
        maps_content=mc.cpu().numpy().astype(np.float32),
        maps_generated=mg.cpu().numpy().astype(np.float32),
        channels_shown=chosen,
        style_distance=float(style_loss(gram_s, gram_g)),
        content_distance=float(content_loss(a_c, a_g)),
    )
