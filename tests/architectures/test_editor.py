"""The what-if editor: shapes and errors at the offending layer, receptive fields, the diff, absurd sizes refused
with a sentence, and the layer-list text of a shared link."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.architectures.helpers import lenet_with_a_third_conv
from vision_core import architectures as arch
from vision_core.errors import BadInput

def test_editor_recomputes_and_explains_the_offending_layer():
    size, lenet = arch.preset("lenet5")
    edited = list(lenet)
    edited[3] = replace(edited[3], kernel=3)  # conv2 5×5 → 3×3
    strict = arch.evaluate(edited, size, adapt=False)
    assert not strict.ok and strict.error_index == 7
    assert "fc1 was written for 400 input features but receives 576" in strict.error
    adapted = arch.evaluate(edited, size, adapt=True)
    assert adapted.summary.total_params == 61_706 - 2_416 + (16 * 6 * 9 + 16) - 48_120 + (576 * 120 + 120) == 81_290
    assert adapted.rows[3].out_shape == (16, 12, 12)

    wider = list(lenet)
    wider[0] = replace(wider[0], out=8)
    res = arch.evaluate(wider, size, adapt=False)
    assert res.error_index == 3 and "written for 6 input channels but receives 8" in res.error

    deep = arch.lecture_pattern(n=2, m=6, k=1)
    res = arch.evaluate(deep, (3, 32, 32))
    assert not res.ok and res.rows[-1].name == "pool6" and "smaller than the 2×2 window" in res.error

    no_flatten = [e for e in lenet if e.kind != "flatten"]
    res = arch.evaluate(no_flatten, size)
    assert res.rows[-1].name == "fc1" and "add a Flatten layer" in res.error
    conv_after = [*lenet[:7], arch.EditLayer("conv", 4, 3)]
    assert "must come before Flatten" in arch.evaluate(conv_after, size).error
    assert "at least 1" in arch.evaluate([arch.EditLayer("conv", 0, 3)], size).error
    with pytest.raises(BadInput, match="K must be"):
        arch.lecture_pattern(k=-1)


def test_receptive_fields():
    size, lenet = arch.preset("lenet5")
    rows = {r.name: r for r in arch.propagate(lenet, size)}
    assert (rows["conv1"].rf, rows["pool1"].rf, rows["conv2"].rf, rows["pool2"].rf) == (5, 6, 14, 16)
    assert rows["fc1"].rf is None
    size, vgg = arch.preset("vgg16")
    rows = arch.propagate(vgg, size)
    convs = [r for r in rows if r.kind == "conv"]
    pools = [r for r in rows if r.kind == "maxpool"]
    assert convs[-1].rf == 196 and pools[-1].rf == 212 and pools[-1].jump == 32


def test_diff():
    size, lenet, edited = lenet_with_a_third_conv()
    a, b = arch.evaluate(lenet, size), arch.evaluate(edited, size)
    rows = arch.diff(a, b, lenet, edited)
    assert [r.status for r in rows].count("added") == 2
    conv1 = next(r for r in rows if r.original == "conv1")
    assert conv1.status == "changed" and conv1.params_delta == -96
    assert sum(r.params_delta for r in rows) == b.summary.total_params - a.summary.total_params
    assert sum(r.macs_delta for r in rows) == b.summary.total_macs - a.summary.total_macs


def test_inception_layer_is_explained():
    layer = arch.EditLayer("inception", branches=(64, 96, 128, 16, 32, 32))
    size = (192, 28, 28)
    bad = arch.evaluate([arch.EditLayer("inception", branches=(64, 96, 128))], size)
    assert not bad.ok and "six widths" in bad.error and "64,96,128" in bad.error
    zero = arch.evaluate([replace(layer, branches=(64, 0, 128, 16, 32, 32))], size)
    assert not zero.ok and "at least 1" in zero.error
    strict = arch.evaluate([replace(layer, in_=256)], size, adapt=False)
    assert not strict.ok and "written for 256 input channels but receives 192" in strict.error


def test_edit_layer_names_number_each_kind():
    _, lenet = arch.preset("lenet5")
    assert arch.edit_layer_names(lenet) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "fc1",
                                            "relu3", "fc2", "relu4", "fc3"]
    assert arch.edit_layer_names([arch.EditLayer("residual-pad", 16), arch.EditLayer("residual", 32)]) == ["res1", "res2"]


@pytest.mark.parametrize(("layers", "message"), [
    ([arch.EditLayer("conv", 2**62, 3, 1, 1)], "out 4,611,686,018,427,387,904 is more than the editor takes"),
    ([arch.EditLayer("inception", branches=(64, 96, 10**12, 16, 32, 32))], "branches 1,000,000,000,000 is more"),
    ([arch.EditLayer("conv", 8, 3, 10**9, 1)], "stride 1,000,000,000 is more"),
    ([arch.EditLayer("dense", layers=10**6, growth=32)], "1000000 dense layers in all"),
    ([arch.EditLayer("dense", layers=300, growth=8)], "layers 300 is more"),
    ([arch.EditLayer("dense", layers=200, growth=8)] * 3, "600 dense layers in all"),
    ([arch.EditLayer("relu")] * 1001, "1001 layers is more than the editor takes"),
])
def test_editor_refuses_absurd_sizes_with_a_sentence(layers, message):
    res = arch.evaluate(layers, (3, 32, 32))
    assert not res.ok and message in res.error and res.summary is None


def test_editor_accepts_its_largest_widths_on_the_meta_device():
    res = arch.evaluate([arch.EditLayer("conv", 65_536, 3, 1, 1), arch.EditLayer("conv", 65_536, 3, 1, 1)], (3, 32, 32))
    assert res.ok and res.summary.total_params == 65_536 * 28 + 65_536 * 65_536 * 9 + 65_536


@pytest.mark.parametrize(("layers", "message"), [
    ("conv.6.5", "must be a list of EditLayer, not str"),
    ([arch.EditLayer("conv", 8, 3), ("relu",)], "Layer 2 is a tuple, not an EditLayer"),
    ([arch.EditLayer("conv", "8", 3)], "Layer 1 (conv): out must be a whole number, got '8'"),
    ([arch.EditLayer("conv", 8, 3.5)], "kernel must be a whole number, got 3.5"),
    ([arch.EditLayer("inception", branches=[64, 96, 128, 16, 32, 32])], "branches must be a tuple of whole numbers"),
])
def test_layer_lists_of_the_wrong_type_are_refused_with_a_sentence(layers, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        arch.check_layers(layers)
    res = arch.evaluate(layers, (3, 32, 32))
    assert not res.ok and message in res.error and res.summary is None

