"""Published figures to check the explorer's counts against: torchvision's weights metadata and the lecture.

- ``reference(name)``: torchvision's ``num_params``, ``_ops`` (GMACs, the multiply-adds ``summarize`` measures)
  and accuracy metrics for a network of the catalogue (read offline from ``get_model_weights(name).DEFAULT.meta``;
  nothing is downloaded), with the lecture's claims about it (``Claim``: the figure, its source and how it
  relates to the measured count) and the ideas the lecture lists for its family.
- ``accuracy_table()``: the ImageNet-1K classifiers of the catalogue with parameters, GMACs, top-1 and top-5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import CATALOG, info

__all__ = ["Claim", "Reference", "accuracy_table", "reference"]

# The lecture decks a claim's ``source`` names.
_L000 = "lecture 000 (CNN architectures)"
_L003 = "lecture 003 (ImageNet challenge)"


@dataclass(frozen=True)
class Claim:
    """A figure quoted in the lecture: ``value`` parameters, where it comes from, and how it relates to ours."""

    text: str
    value: float
    source: str
    note: str = ""


@dataclass(frozen=True)
class Reference:
    """Published figures for a network: torchvision's weights metadata and the lecture's claims and ideas."""

    num_params: int | None
    gmacs: float | None
    metrics: dict[str, float]
    dataset: str
    weights: str
    claims: tuple[Claim, ...]
    ideas: tuple[str, ...]


_CLAIMS: dict[str, tuple[Claim, ...]] = {
    "alexnet": (
        Claim("60M parameters", 60e6, _L000, "The paper's rounded figure; torchvision's AlexNet (one-GPU variant, 64/192 "
              "filters in the first layers) has 61.1M, matching lecture 003's \"61 million\"."),
        Claim("61 million parameters", 61e6, _L003),
    ),
    "vgg16": (Claim("138M parameters (quoted for VGG-19)", 138e6, _L000,
                    "138M is VGG-16's count (138.4M); the lecture attaches it to VGG-19."),),
    "vgg19": (
        Claim("138M parameters", 138e6, _L000, "This is VGG-16's count; VGG-19 has 143.7M."),
        Claim("144 millions of parameters", 144e6, _L000, "Matches VGG-19 (143.7M) rounded."),
    ),
    "googlenet": (
        Claim("7M parameters", 7e6, _L000, "Close to torchvision's 6.6M without auxiliary classifiers."),
        Claim("4 million parameters (?)", 4e6, _L000, "The paper's ~4M leaves out the 1024×1000 classifier (1.0M) and "
              "counts no batch norm; torchvision's version has both."),
        Claim("5 million parameters", 5e6, _L003, "The paper's \"12× fewer than AlexNet\"; torchvision's has 6.6M."),
    ),
    "googlenet_aux": (Claim("7M parameters", 7e6, _L000, "The two auxiliary classifiers add 6.4M during training only."),),
    "resnet50": (Claim("25.5M parameters", 25.5e6, _L000, "Matches ResNet-50 (25.56M); the lecture does not say which depth."),),
    "resnet56_cifar": (Claim("ResNet 56 layers: 0.85M parameters (?)", 0.85e6, _L000, "Confirmed: 0.853M with parameter-free shortcuts."),),
    "resnet110_cifar": (Claim("ResNet 110 layers: 1.7M parameters (?)", 1.7e6, _L000, "Confirmed: 1.728M with parameter-free shortcuts."),),
}

_IDEAS: dict[str, tuple[str, ...]] = {
    "LeNet": ("LeCun, 1998, used on MNIST", "32×32×1 → conv 28×28×6 → subsample 14×14×6 → conv 10×10×16 → 5×5×16 → FC 120 → FC 84 → 10",
              "The Keras variant uses 3×3 filters, ReLU and average pooling"),
    "AlexNet": ("Winner of ILSVRC 2012: succeeded in training a large CNN", "Proposed ReLU", "Used dropout",
                "Trained on 2 GPUs", "Data augmentation (rotation, scale, crops, etc.)",
                "Indication that the number of layers is important"),
    "VGG": ("2nd place ILSVRC 2014", "Only 3×3 convolutions", "Stride 1 for the convolutions (AlexNet used stride ≥ 1)",
            "Few filters in the first layers, doubling as we advance (64 → 128 → 256 → 512)", "16 or 19 layers"),
    "Inception": ("Winner of ILSVRC 2014", "Network in network: inception modules with parallel 1×1, 3×3, 5×5 and pooling branches",
                  "1×1 convolutions reduce channels before the expensive 3×3 and 5×5 (see the bottleneck calculator)",
                  "Auxiliary outputs reinforce the intermediate layers during training",
                  "More aggressive data augmentation than AlexNet",
                  "Variants replace a 5×5 by two 3×3, or a 3×3 by a 1×3 and a 3×1 (Inception v3)"),
    "ResNet": ("Winner of ILSVRC 2015", "Learn the residual: H(x) = F(x) + x, so the identity is a zero residual",
               "Batch normalization after each convolution, before the activation", "No dropout",
               "Trains networks of more than 100 layers (ResNet-110, ResNet-152)"),
    "DenseNet": ("Dense blocks: each layer receives the feature maps of all previous layers (concatenation)",
                 "Growth rate k: each layer adds k channels", "Transition layers between dense blocks change the "
                 "feature-map size with convolution and pooling"),
}


def reference(name: str) -> Reference:
    """torchvision's published figures for ``name`` (offline, from its weights metadata) and the lecture's claims."""
    net = info(name)
    num_params = gmacs = None
    metrics: dict[str, float] = {}
    dataset = weights_name = ""
    if net.torchvision:
        from torchvision.models import get_model_weights

        w = get_model_weights(net.torchvision).DEFAULT
        num_params = int(w.meta["num_params"])
        gmacs = float(w.meta["_ops"]) if "_ops" in w.meta else None
        dataset, values = next(iter(w.meta.get("_metrics", {}).items()), ("", {}))
        metrics = {k: float(v) for k, v in values.items()}
        weights_name = str(w)
    return Reference(num_params, gmacs, metrics, dataset, weights_name, _CLAIMS.get(name, ()), _IDEAS.get(net.family, ()))


def accuracy_table() -> list[dict[str, Any]]:
    """ImageNet classifiers with published metadata: name, family, params, GMACs, top-1, top-5 (torchvision, offline)."""
    rows = []
    for name, net in CATALOG.items():
        if not net.torchvision:
            continue
        ref = reference(name)
        if ref.dataset != "ImageNet-1K":
            continue
        rows.append({"name": name, "family": net.family, "params": ref.num_params, "gmacs": ref.gmacs,
                     "top1": ref.metrics.get("acc@1"), "top5": ref.metrics.get("acc@5")})
    return rows

