"""Code export: the exported source runs, rebuilds the edited network (same output shape and parameters) and
names the blocks it uses."""

from __future__ import annotations

import pytest
import torch

from tests.architectures.helpers import inception_weights, lenet_with_a_third_conv, unique_params
from vision_core import architectures as arch
from vision_core.errors import BadInput


def _run_exported(code: str, in_size: tuple[int, int, int]) -> tuple[torch.nn.Module, torch.Tensor]:
    namespace: dict = {"__name__": "exported"}
    exec(compile(code, "exported.py", "exec"), namespace)
    model = namespace["model"]
    return model, model(torch.zeros(1, *in_size))


def test_export_rebuilds_the_edited_network():
    size, lenet, edited = lenet_with_a_third_conv()
    for layers, in_size in ((edited, size), (arch.preset("resnet56_cifar")[1], (3, 32, 32)),
                            (arch.preset("densenet121")[1][:6] + [arch.EditLayer("adaptiveavg", 1), arch.EditLayer("flatten"),
                                                                 arch.EditLayer("fc", 10)], (3, 64, 64))):
        model, out = _run_exported(arch.export_code(layers, in_size), in_size)
        res = arch.evaluate(layers, in_size)
        assert tuple(out.shape[1:]) == res.rows[-1].out_shape
        assert unique_params(model) == res.summary.total_params
    with pytest.raises(BadInput, match="add a Flatten"):
        arch.export_code([e for e in lenet if e.kind != "flatten"], size)


def test_inception_layer_is_built_and_exported():
    layer = arch.EditLayer("inception", branches=(64, 96, 128, 16, 32, 32))
    size = (192, 28, 28)
    code = arch.export_code([layer], size)
    assert "InceptionBlock(192, 64, 96, 128, 16, 32, 32)" in code
    model, out = _run_exported(code, size)
    assert tuple(out.shape) == (1, 256, 28, 28)
    assert unique_params(model) == inception_weights(192, *layer.branches) + 368
