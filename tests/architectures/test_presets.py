"""Editor presets rebuild the real networks (torchvision's counts), GoogLeNet as in the paper's Table 1, and the
lecture's pattern."""

from __future__ import annotations

import pytest

from tests.architectures.helpers import inception_weights
from vision_core import architectures as arch

@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16_bn", "resnet18", "resnet50", "densenet121", "resnet56_cifar"])
def test_editor_presets_rebuild_the_real_networks(name):
    size, layers = arch.preset(name)
    res = arch.evaluate(layers, size, adapt=False)
    assert res.ok, res.error
    s = arch.summarize(name)
    assert res.summary.total_params == s.total_params
    assert res.summary.total_macs == s.total_macs
    assert res.summary.output_text == s.output_text


def test_lecture_pattern_shapes_and_parameters():
    layers = arch.lecture_pattern(n=2, m=2, k=1, conv_width=32, fc_width=128)
    res = arch.evaluate(layers, (3, 32, 32))
    assert [r.out_shape for r in res.rows if r.kind == "maxpool"] == [(32, 16, 16), (64, 8, 8)]
    expected = (3 * 9 * 32 + 32) + (32 * 9 * 32 + 32) + (32 * 9 * 64 + 64) + (64 * 9 * 64 + 64) + (4096 * 128 + 128) + (128 * 10 + 10)
    assert res.summary.total_params == expected


# GoogLeNet, Szegedy et al. 2014, Table 1: "ops" (millions of multiply-adds) per inception module. 5a is printed as
# 54M there, but its own widths give 832·(256+160+32+128)·49 + 160·320·9·49 + 32·128·25·49 = 51.1M.
PAPER_OPS_M = {"3a": 128, "3b": 304, "4a": 73, "4b": 88, "4c": 100, "4d": 119, "4e": 170, "5b": 71}


def test_googlenet_preset_is_the_papers_table():
    size, layers = arch.preset("googlenet")
    res = arch.evaluate(layers, size, adapt=False)
    assert res.ok, res.error
    incep = [r for r in res.rows if r.kind == "inception"]
    assert [r.out_shape for r in incep] == [(256, 28, 28), (480, 28, 28), (512, 14, 14), (512, 14, 14),
                                            (512, 14, 14), (528, 14, 14), (832, 14, 14), (832, 7, 7), (1024, 7, 7)]
    values = {name: (p, m) for name, p, m in res.layer_values()}
    for row, (label, widths) in zip(incep, arch.GOOGLENET_INCEPTION.items(), strict=True):
        params, macs = values[row.name]
        weights = inception_weights(row.in_shape[0], *widths)
        assert params == weights + widths[0] + widths[1] + widths[2] + widths[3] + widths[4] + widths[5]
        assert macs == weights * row.in_shape[1] * row.in_shape[2]
        if label in PAPER_OPS_M:
            assert macs / 1e6 == pytest.approx(PAPER_OPS_M[label], abs=0.7), label
    assert res.summary.total_params == 6_998_552, "the lecture's 'about 7M parameters'"
    assert res.summary.output_text == "1000"
    assert incep[0].rf == 59 and res.rows[-1].rf is None
    torchvision_googlenet = arch.summarize("googlenet").total_params
    assert torchvision_googlenet == 6_624_904 and torchvision_googlenet != res.summary.total_params
