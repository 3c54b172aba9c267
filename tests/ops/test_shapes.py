"""Output sizes, parameters and receptive fields against torch's conv/pool/transposed shapes and the lecture."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import torch
import torch.nn.functional as F

from vision_core.ops.shapes import (
    Layer,
    conv_output_exact,
    conv_output_size,
    conv_params,
    conv_summary,
    layers_from_rows,
    receptive_field,
    stack_shapes,
    suggest_fits,
    transposed_output_size,
)


def test_lecture_worked_examples():
    assert conv_output_size(7, 3, 1) == 5
    assert conv_output_size(7, 3, 2) == 3
    with pytest.raises(ValueError, match=r"2\.33") as err:
        conv_output_size(7, 3, 3)
    assert "floors it to 2" in str(err.value) and "stride" in str(err.value)
    assert conv_output_size(7, 3, 3, strict=False) == 2
    assert conv_output_exact(7, 3, 3) == Fraction(7, 3)
    assert conv_output_size(7, 3, 1, 1) == 7
    s = conv_summary(32, 32, 3, 5, 1, 2, filters=10)
    assert (s.width, s.height, s.depth) == (32, 32, 10)
    assert s.params == 760 and s.weights == 750 and s.biases == 10
    assert s.mult_adds == 32 * 32 * 10 * 75 and s.memory_bytes == 32 * 32 * 10 * 4
    assert conv_params(5, 3, 10) == 760
    sizes = [r.height for r in stack_shapes(32, 32, 3, [Layer("conv", 5, filters=6)] * 2)]
    assert sizes == [28, 24]
    assert [conv_output_size(32, f, 1, (f - 1) // 2) for f in (3, 5, 7)] == [32, 32, 32]


def test_suggestions_fit():
    fits = suggest_fits(7, 3, 3, 0)
    assert fits, "there is always a setting that fits"
    for f in fits:
        assert conv_output_size(7, 3, f.stride, f.padding) == f.output
    assert (fits[0].stride, fits[0].padding, fits[0].output) == (3, 1, 3)


def test_conv_and_pool_sizes_match_torch_over_a_grid():
    for size, k, s, p, d in itertools.product((5, 7, 8, 13), (1, 2, 3, 5), (1, 2, 3), (0, 1, 2), (1, 2)):
        eff = d * (k - 1) + 1
        if size + 2 * p < eff or p > eff - 1:
            with pytest.raises(ValueError):
                conv_output_size(size, k, s, p, d, strict=False)
            continue
        out = F.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
        assert conv_output_size(size, k, s, p, d, strict=False) == out.shape[-1], (size, k, s, p, d)
        if conv_output_exact(size, k, s, p, d).denominator == 1:
            assert conv_output_size(size, k, s, p, d) == out.shape[-1]
        else:
            with pytest.raises(ValueError, match="Does not fit"):
                conv_output_size(size, k, s, p, d)
        if p <= k // 2 and d == 1:
            assert conv_output_size(size, k, s, p, strict=False) == F.max_pool2d(torch.zeros(1, 1, size, size), k, s, p).shape[-1]


def test_transposed_sizes_match_torch_over_a_grid():
    for size, k, s, p, op in itertools.product((1, 2, 4, 5), (1, 2, 3, 4), (1, 2, 3), (0, 1), (0, 1, 2)):
        if op >= s:
            with pytest.raises(ValueError, match="Output padding"):
                transposed_output_size(size, k, s, p, op)
            continue
        expected = (size - 1) * s - 2 * p + k + op
        if expected < 1:
            with pytest.raises(ValueError):
                transposed_output_size(size, k, s, p, op)
            continue
        out = F.conv_transpose2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k), stride=s, padding=p, output_padding=op)
        assert transposed_output_size(size, k, s, p, op) == out.shape[-1]
    assert transposed_output_size(2, 3, 2, 1) == 3
    assert transposed_output_size(2, 3, 2, 1, 1) == 4


def _torch_receptive_field(layers: list[Layer], size: int = 64) -> int:
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    y = x
    for layer in layers:
        if layer.kind == "conv":
            y = F.conv2d(y, torch.ones(1, 1, layer.kernel, layer.kernel), stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
        else:
            y = F.avg_pool2d(y, layer.kernel, layer.stride)
    c = y.shape[-1] // 2
    y[0, 0, c, c].backward()
    rows = torch.nonzero(x.grad[0, 0].abs().sum(dim=1)).flatten()
    return int(rows.max() - rows.min() + 1)


@pytest.mark.parametrize("layers", [
    [Layer("conv", 3)] * 3,
    [Layer("conv", 5), Layer("pool", 2, 2), Layer("conv", 5), Layer("pool", 2, 2)],
    [Layer("conv", 3, 2), Layer("conv", 3, dilation=2), Layer("pool", 3, 2)],
    [Layer("conv", 7, 2, 3), Layer("pool", 3, 2), Layer("conv", 3, 1, 1)],
])
def test_receptive_field_matches_torch_gradient(layers):
    assert receptive_field(layers) == _torch_receptive_field(layers)


def test_stack_with_transposed_and_floored_rows():
    rows = stack_shapes(7, 7, 3, [Layer("conv", 3, 3, filters=4), Layer("tconv", 3, 2, 1, filters=2, output_padding=1)])
    assert (rows[0].height, rows[0].depth, rows[0].floored, rows[0].params) == (2, 4, True, 3 * 3 * 3 * 4 + 4)
    assert (rows[1].height, rows[1].depth) == (4, 2)
    with pytest.raises(ValueError, match="Layer 1"):
        stack_shapes(4, 4, 1, [Layer("conv", 7)])


def test_layers_from_table_rows():
    row = dict(kind="conv", kernel=5.0, stride=1, padding=0, dilation=1, filters=6, output_padding=0)
    layers = layers_from_rows([row, {**row, "kind": "pool", "kernel": 2, "stride": 2}])
    assert layers == [Layer("conv", 5, 1, 0, 1, 6, 0), Layer("pool", 2, 2, 0, 1, 6, 0)]
    assert [r.width for r in stack_shapes(32, 32, 3, layers)] == [28, 14], "the lecture's 32 → 28, then a 2×2 pool"
    with pytest.raises(ValueError, match="Row 2 has an empty cell"):
        layers_from_rows([row, {**row, "stride": float("nan")}])
    with pytest.raises(ValueError, match="Row 1 has an empty cell"):
        layers_from_rows([{**row, "filters": None}])
    with pytest.raises(ValueError, match="Row 1 holds a cell that is not a whole number"):
        layers_from_rows([{**row, "kernel": "five"}])


@pytest.mark.parametrize("args", [(7, 3, 0), (7, 3, -1), (0, 3, 1), (7, 0, 1), (7, 3, 1.5)])
def test_bad_numbers_are_explained(args):
    with pytest.raises(ValueError, match="must be"):
        conv_output_size(*args)


def test_padding_larger_than_kernel_is_explained():
    with pytest.raises(ValueError, match="Padding 4 is larger"):
        conv_output_size(7, 3, 1, 4)


def test_a_layer_stack_travels_in_the_link_and_back():
    from vision_core.ops.shapes import Layer, stack_from_text, stack_to_text

    lecture = [Layer("conv", 5, 1, 0, 1, 6, 0), Layer("conv", 5, 1, 0, 1, 6, 0)]
    assert stack_to_text(lecture) == "conv.5.1.0.1.6.0_conv.5.1.0.1.6.0"
    assert stack_from_text(stack_to_text(lecture)) == lecture
    assert stack_from_text("pool.2.2.0.1.1.0")[0].kind == "pool"
    for bad in ("", "conv.5", "dense.1.1.0.1.1.0", "conv.x.1.0.1.6.0", "conv.5.1.0.1.6.0." , "_".join(["conv.3.1.1.1.1.0"] * 65),
                "conv.99999999.1.0.1.6.0"):
        with pytest.raises(ValueError):
            stack_from_text(bad)
