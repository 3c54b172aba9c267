"""MTCNN (Zhang et al. 2016): the P-Net, R-Net and O-Net of the face-detection cascade, in torch.

Layer names follow facenet-pytorch's, so its embedded state_dicts load with ``weights_only=True``.
Inputs are RGB crops normalised as (v − 127.5) / 128; the cascade itself is ``vision_core.pose.faces``.
"""

from __future__ import annotations

import torch
from torch import nn

from vision_core.assets import asset_path

__all__ = ["MTCNN", "ONet", "PNet", "RNet", "load_mtcnn"]


_Conv = tuple[int, int, int, tuple[int, int] | None]
"""One conv stage: ``(in channels, out channels, kernel, max-pool (kernel, stride) after it or None)``."""


class _Stages(nn.Module):
    """What the three nets share: for stage ``i`` (from 1) of ``convs``, ``conv{i}`` then ``prelu{i}`` then, where
    the row has one, ``pool{i}`` (ceil mode); R-Net and O-Net then flatten the map in (W, H, C) order (as the
    original Caffe nets do) into ``dense`` ``(in, out)``, named after the next stage, with its PReLU."""

    def __init__(self, convs: tuple[_Conv, ...], dense: tuple[int, int] | None = None) -> None:
        super().__init__()
        for i, (c_in, c_out, kernel, pool) in enumerate(convs, 1):
            setattr(self, f"conv{i}", nn.Conv2d(c_in, c_out, kernel))
            setattr(self, f"prelu{i}", nn.PReLU(c_out))
            if pool is not None:
                setattr(self, f"pool{i}", nn.MaxPool2d(*pool, ceil_mode=True))
        self.n_convs = len(convs)
        if dense is not None:
            setattr(self, f"dense{len(convs) + 1}", nn.Linear(*dense))
            setattr(self, f"prelu{len(convs) + 1}", nn.PReLU(dense[1]))

    def stages(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` through every conv stage (and the dense one, when there is one)."""
        for i in range(1, self.n_convs + 1):
            x = getattr(self, f"prelu{i}")(getattr(self, f"conv{i}")(x))
            if hasattr(self, f"pool{i}"):
                x = getattr(self, f"pool{i}")(x)
        dense = getattr(self, f"dense{self.n_convs + 1}", None)
        if dense is None:
            return x
        x = x.permute(0, 3, 2, 1).contiguous()
        return getattr(self, f"prelu{self.n_convs + 1}")(dense(x.view(x.shape[0], -1)))


class PNet(_Stages):
    """Proposal net: fully convolutional, 12×12 receptive field, stride 2; returns (box offsets (N,4,h,w), face prob (N,2,h,w))."""

    def __init__(self) -> None:
        super().__init__(((3, 10, 3, (2, 2)), (10, 16, 3, None), (16, 32, 3, None)))
        self.conv4_1 = nn.Conv2d(32, 2, 1)
        self.conv4_2 = nn.Conv2d(32, 4, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.stages(x)
        return self.conv4_2(x), torch.softmax(self.conv4_1(x), dim=1)


class RNet(_Stages):
    """Refinement net on 24×24 crops; returns (box offsets (N,4), face prob (N,2))."""

    def __init__(self) -> None:
        super().__init__(((3, 28, 3, (3, 2)), (28, 48, 3, (3, 2)), (48, 64, 2, None)), dense=(576, 128))
        self.dense5_1 = nn.Linear(128, 2)
        self.dense5_2 = nn.Linear(128, 4)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.stages(x)
        return self.dense5_2(x), torch.softmax(self.dense5_1(x), dim=1)


class ONet(_Stages):
    """Output net on 48×48 crops; returns (box offsets (N,4), landmarks (N,10): 5 x then 5 y in [0,1], face prob (N,2))."""

    def __init__(self) -> None:
        super().__init__(((3, 32, 3, (3, 2)), (32, 64, 3, (3, 2)), (64, 64, 3, (2, 2)), (64, 128, 2, None)),
                         dense=(1152, 256))
        self.dense6_1 = nn.Linear(256, 2)
        self.dense6_2 = nn.Linear(256, 4)
        self.dense6_3 = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = self.stages(x)
        return self.dense6_2(x), self.dense6_3(x), torch.softmax(self.dense6_1(x), dim=1)


class MTCNN(nn.Module):
    """The three MTCNN nets together (``pnet``, ``rnet``, ``onet``); the cascade is ``detect_faces``."""

    def __init__(self) -> None:
        super().__init__()
        self.pnet, self.rnet, self.onet = PNet(), RNet(), ONet()


def load_mtcnn(device: torch.device) -> MTCNN:
    model = MTCNN()
    for part, asset in (("pnet", "mtcnn_pnet"), ("rnet", "mtcnn_rnet"), ("onet", "mtcnn_onet")):
        getattr(model, part).load_state_dict(torch.load(asset_path(asset), map_location="cpu", weights_only=True))
    return model.to(device).eval()
