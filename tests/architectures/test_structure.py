"""block_structure: the blocks a diagram draws, checked against the papers' tables and hand counts.

ResNet-18/50 (He et al. 2016, Table 1): 2-2-2-2 basic blocks and 3-4-6-3 bottlenecks in four stages, a 1×1
projection shortcut where the shape changes. DenseNet-121 (Huang et al. 2017, Table 1): dense blocks of 6, 12, 24,
16 layers with growth 32 from 64 channels, three transitions halving channels and H×W. MobileNet v2 (Sandler et al.
2018, Table 2): 17 inverted residuals, identity shortcuts in the ten that keep their shape. GoogLeNet: 9 inception
modules. U-Net: each decoder level concatenates the encoder map of its own size.
"""

from __future__ import annotations

from functools import cache

import pytest

from vision_core import architectures as arch
from vision_core.errors import BadInput


@cache
def _structure(name: str) -> arch.Structure:
    return arch.block_structure(arch.summarize(name))


def test_resnet18_has_8_residual_blocks_in_4_stages():
    s = _structure("resnet18")
    assert len(s.blocks) == 10
    assert s.stages("residual") == {"layer1": 2, "layer2": 2, "layer3": 2, "layer4": 2}
    stem, first, tail = s.blocks[0], s.blocks[1], s.blocks[-1]
    assert (stem.name, stem.kind, stem.layers, stem.output_text) == ("conv1 … maxpool", "", 4, "64×56×56")
    assert stem.params == 64 * 3 * 7 * 7 + 2 * 64 == 9_536
    assert stem.macs == 64 * 3 * 7 * 7 * 112 * 112 == 118_013_952
    assert (first.title, first.detail, first.shortcut, first.layers) == ("layer1.0 · BasicBlock", "F(x) + x", "identity", 5)
    assert first.params == 2 * (64 * 64 * 9) + 2 * (2 * 64) == 73_984
    assert first.macs == 2 * 64 * 64 * 9 * 56 * 56 == 231_211_008
    down = s.blocks[3]
    assert (down.name, down.shortcut, down.layers, down.output_text) == ("layer2.0", "projection", 7, "128×28×28")
    assert down.params == 64 * 128 * 9 + 128 * 128 * 9 + 64 * 128 + 3 * 2 * 128 == 230_144
    assert [b.name for b in s.blocks if b.shortcut == "projection"] == ["layer2.0", "layer3.0", "layer4.0"]
    assert (tail.name, tail.output_text, tail.params) == ("avgpool … fc", "1000", 512 * 1000 + 1000)
    summary = arch.summarize("resnet18")
    assert sum(b.params for b in s.blocks) == summary.total_params == 11_689_512
    assert sum(b.macs for b in s.blocks) == summary.total_macs


def test_resnet50_bottlenecks_3_4_6_3_with_a_projection_per_stage():
    s = _structure("resnet50")
    assert s.stages("residual") == {"layer1": 3, "layer2": 4, "layer3": 6, "layer4": 3}
    assert [b.name for b in s.blocks if b.shortcut == "projection"] == ["layer1.0", "layer2.0", "layer3.0", "layer4.0"]
    assert {b.title.split(" · ")[1] for b in s.of_kind("residual")} == {"Bottleneck"}
    assert s.blocks[1].output_text == "256×56×56" and s.blocks[16].output_text == "2048×7×7"


def test_cifar_resnet56_has_parameter_free_shortcuts():
    s = _structure("resnet56_cifar")
    assert s.stages("residual") == {"layer1": 9, "layer2": 9, "layer3": 9}
    assert {b.shortcut for b in s.of_kind("residual")} == {"identity"}, "option A: subsample and pad, no 1×1"


def test_densenet121_has_4_dense_blocks_of_6_12_24_16_layers():
    s = _structure("densenet121")
    dense = s.of_kind("dense")
    assert [b.layers for b in dense] == [6, 12, 24, 16]
    assert [b.output_text for b in dense] == [f"{64 + 6 * 32}×56×56", f"{128 + 12 * 32}×28×28",
                                              f"{256 + 24 * 32}×14×14", f"{512 + 16 * 32}×7×7"]
    assert dense[0].detail == "6 dense layers, each sees all earlier maps"
    assert [b.output_text for b in s.of_kind("transition")] == ["128×28×28", "256×14×14", "512×7×7"]
    assert s.stages("dense") == {f"features.denseblock{i}": 1 for i in range(1, 5)}
    assert not any(b.shortcut for b in s.blocks), "dense connections concatenate; they are not residual shortcuts"


def test_mobilenet_v2_identity_shortcuts_where_the_shape_is_kept():
    s = _structure("mobilenet_v2")
    blocks = s.of_kind("mbconv")
    assert len(blocks) == 17
    assert [b.name for b in blocks if b.shortcut == "identity"] == [
        f"features.{i}" for i in (3, 5, 6, 8, 9, 10, 12, 13, 15, 16)]
    assert blocks[0].output_text == "16×112×112" and blocks[-1].output_text == "320×7×7"


def test_googlenet_inception_modules_and_their_branches():
    s = _structure("googlenet")
    incep = s.of_kind("inception")
    assert [b.name for b in incep] == [f"inception{m}" for m in ("3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b")]
    assert incep[0].branches == (("branch1", "64×28×28"), ("branch2", "128×28×28"), ("branch3", "32×28×28"),
                                 ("branch4", "32×28×28"))
    assert incep[0].output_text == f"{64 + 128 + 32 + 32}×28×28"


def test_inception_v3_branch_layers_are_grouped_by_branch():
    mixed_5b = _structure("inception_v3").of_kind("inception")[0]
    assert mixed_5b.name == "Mixed_5b"
    assert mixed_5b.branches == (("branch1x1", "64×35×35"), ("branch5x5", "64×35×35"), ("branch3x3dbl", "96×35×35"),
                                 ("branch_pool", "32×35×35"))
    assert mixed_5b.output_text == f"{64 + 64 + 96 + 32}×35×35"


def test_vgg16_and_lenet5_split_after_each_pooling_layer():
    vgg = _structure("vgg16")
    assert [b.name for b in vgg.blocks] == ["features.0 … features.4", "features.5 … features.9",
                                            "features.10 … features.16", "features.17 … features.23",
                                            "features.24 … features.30", "avgpool", "classifier.0 … classifier.6"]
    first = vgg.blocks[0]
    assert first.layers == 5 and first.output_text == "64×112×112"
    assert first.detail == "Conv2d → ReLU → … → MaxPool2d"
    assert first.params == (3 * 9 * 64 + 64) + (64 * 9 * 64 + 64) == 38_720
    assert first.macs == 3 * 9 * 64 * 224 * 224 + 64 * 9 * 64 * 224 * 224
    lenet = _structure("lenet5")
    assert [(b.name, b.output_text, b.params) for b in lenet.blocks] == [
        ("conv1 … subsample1", "6×14×14", 6 * 25 + 6), ("conv2 … subsample2", "16×5×5", 16 * 6 * 25 + 16),
        ("flatten … output", "10", (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10))]


def test_unet_skips_join_levels_of_the_same_size():
    s = _structure("unet")
    names = [b.name for b in s.blocks]
    assert names == ["inc", "pool (shared, used 4×)", "down.0", "down.1", "down.2", "down.3", "up.0", "up.1", "up.2",
                     "up.3", "head"]
    assert s.concat_skips == ((4, 6), (3, 7), (2, 8), (0, 9))
    for enc, dec in s.concat_skips:
        assert s.blocks[enc].output_text.split("×")[1:] == s.blocks[dec].output_text.split("×")[1:]


def test_refusals_name_what_is_expected():
    with pytest.raises(BadInput, match="ModelSummary"):
        arch.block_structure("resnet18")
    with pytest.raises(BadInput, match="Choose one of: .*residual"):
        _structure("resnet18").of_kind("residul")
