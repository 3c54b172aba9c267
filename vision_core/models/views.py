"""Per-call views of a shared model: shallow copies that share every parameter and buffer with it.

Shared models are never mutated (no persistent hooks, no changed attributes, no deep copies).
When a computation needs a hook on one layer (Grad-CAM) or a changed setting (a detector's last NMS),
it works on a view: the modules along the path to that layer are shallow-copied, the layer itself
gets fresh hook tables, and everything else, weights included, is the shared object.
"""

from __future__ import annotations

import copy
from collections import OrderedDict

from torch import nn

__all__ = ["module_view", "relu_view"]

_HOOK_TABLES = (
    "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called", "_forward_pre_hooks",
    "_forward_pre_hooks_with_kwargs", "_backward_hooks", "_backward_pre_hooks", "_state_dict_hooks",
    "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks",
)


def _shallow(module: nn.Module) -> nn.Module:
    view = copy.copy(module)
    view.__dict__["_modules"] = OrderedDict(module._modules)
    for table in _HOOK_TABLES:
        if table in module.__dict__:
            view.__dict__[table] = OrderedDict()
    return view


def module_view(net: nn.Module, path: str = "") -> tuple[nn.Module, nn.Module]:
    """``(view, leaf)``: a view of ``net`` in which the submodule at dotted ``path`` (and every module on the
    way to it) is a private shallow copy with its own hook tables; ``leaf`` is that copy (``view`` itself
    for an empty path). Hooks and attributes set on them never reach ``net``; parameters are shared."""
    net.get_submodule(path)  # raises AttributeError naming the missing part
    view = _shallow(net)
    node = view
    if path:
        for part in path.split("."):
            child = _shallow(node._modules[part])
            node.__dict__["_modules"][part] = child
            node = child
    return view, node


def relu_view(net: nn.Module) -> nn.Module:
    """A view of ``net`` in which every ``nn.ReLU`` is a fresh, non-inplace ReLU and every container on the way is a
    shallow copy: Captum's guided backprop and deconvolution hook the ReLUs they find, and those hooks then land on
    the view's private ReLUs. Parameters are shared with ``net``; ``net`` is untouched."""
    if isinstance(net, nn.ReLU):
        return nn.ReLU(inplace=False)
    if not net._modules:
        return net
    view = _shallow(net)
    for name, child in net._modules.items():
        if child is not None:
            view.__dict__["_modules"][name] = relu_view(child)
    return view
