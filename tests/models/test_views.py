"""vision_core.models.views: a per-call view shares the weights and keeps hooks away from the shared model."""

from __future__ import annotations

import torch
from torch import nn

from vision_core.models.views import module_view


def test_hooks_on_a_view_never_reach_the_shared_model():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Sequential(nn.Conv2d(4, 2, 1), nn.ReLU()))
    view, leaf = module_view(net, "2.0")
    assert leaf is not net[2][0] and leaf.weight is net[2][0].weight, "same parameters, another module object"
    assert view[0] is net[0], "modules off the path are the shared ones"
    seen = []
    leaf.register_forward_hook(lambda m, i, o: seen.append(o.shape))
    x = torch.randn(1, 3, 8, 8)
    torch.testing.assert_close(view(x), net(x))
    assert seen == [torch.Size([1, 2, 6, 6])], "the view's hook ran once (for the view only)"
    assert not any(m._forward_hooks for m in net.modules())
    root, same = module_view(net)
    assert root is same and root is not net and root(x).shape == net(x).shape
