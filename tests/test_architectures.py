"""Architecture summaries against torchvision's published metadata and the lecture's figures; the inception
bottleneck calculator; the what-if editor (shapes, errors at the offending layer, receptive fields, diff, export)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from torch import nn

from vision_core import architectures as arch
from vision_core.models.lenet import LENET5_SHAPES

META_NETS = [n for n in arch.available() if arch.info(n).meta_device]


def _unique_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", META_NETS)
def test_every_network_matches_its_parameters_and_torchvision(name):
    s = arch.summarize(name)
    with torch.device("meta"):
        fresh = arch.info(name).build()
    assert s.total_params == _unique_params(fresh)
    assert s.total_params == sum(r.params for r in s.layers if r.depth == 1)
    assert s.total_macs == sum(m for _, _, m in arch.stage_totals(s))
    assert s.total_params == sum(p for _, p, _ in arch.stage_totals(s))
    ref = arch.reference(name)
    if ref.num_params is not None:
        assert s.total_params == ref.num_params
    if ref.gmacs is not None:
        assert s.total_macs / 1e9 == pytest.approx(ref.gmacs, rel=0.01)
        assert abs(s.total_macs / 1e9 - ref.gmacs) < 6e-4, "torchvision rounds its GFLOPS to 3 decimals"


def test_detection_model_runs_on_cpu_and_matches_metadata():
    s = arch.summarize("fasterrcnn_resnet50_fpn")
    ref = arch.reference("fasterrcnn_resnet50_fpn")
    assert s.device == "cpu"
    assert s.total_params == ref.num_params == 41_755_286
    assert round(s.total_macs / 1e9, 3) == ref.gmacs == 134.38, "the box head on the RPN's 1000 proposals"
    assert arch.summarize("fasterrcnn_resnet50_fpn").total_macs == s.total_macs
    # torchvision freezes conv1 and layer1 of the backbone (trainable_backbone_layers=3).
    assert s.frozen_params == s.row("backbone.body.conv1").params + s.row("backbone.body.layer1").params == 222_400
    assert s.trainable_params == s.total_params - s.frozen_params


def test_lenet5_shapes_exactly_as_the_lecture():
    s = arch.summarize("lenet5")
    by_name = {r.name: r for r in s.layers}
    for name, shape in LENET5_SHAPES[1:]:
        assert by_name[name].output_shape == (1, *shape), name
    assert by_name["conv1"].output_text == "6×28×28" and by_name["subsample2"].output_text == "16×5×5"
    assert by_name["conv1"].params == 6 * (5 * 5 * 1) + 6
    assert by_name["conv1"].macs == 5 * 5 * 1 * 28 * 28 * 6
    assert by_name["fc1"].macs == 400 * 120
    assert s.total_params == 61_706
    keras = arch.summarize("lenet5_keras")
    assert keras.row("conv1").output_text == "6×30×30" and keras.row("fc1").params == 576 * 120 + 120


def test_cifar_resnets_follow_6n_plus_2_and_the_lecture():
    for depth, lecture in ((56, 0.85e6), (110, 1.7e6)):
        s = arch.summarize(f"resnet{depth}_cifar")
        weighted = sum(1 for r in s.leaves if r.type in ("Conv2d", "Linear"))
        assert weighted == depth
        assert s.total_params == {56: 853_018, 110: 1_727_962}[depth]
        assert s.total_params == pytest.approx(lecture, rel=0.02)
        assert s.row("layer3").output_text == "64×8×8"
    with pytest.raises(ValueError, match="6n\\+2"):
        arch.arch_zoo.cifar_resnet(51)


def test_lecture_claims_against_measured_counts():
    vgg19 = arch.summarize("vgg19").total_params
    vgg16 = arch.summarize("vgg16").total_params
    assert round(vgg19 / 1e6) == 144 and round(vgg16 / 1e6) == 138
    assert round(arch.summarize("alexnet").total_params / 1e6) == 61
    assert round(arch.summarize("resnet50").total_params / 1e5) / 10 == 25.6
    claims = {c.value for c in arch.reference("googlenet").claims}
    assert claims == {7e6, 4e6, 5e6}
    aux = arch.summarize("googlenet_aux")
    assert aux.total_params - arch.summarize("googlenet").total_params == 6_379_984
    assert aux.row("aux1").output_shape == (1, 1000)


def test_blocks_are_grouped():
    r50 = arch.summarize("resnet50")
    assert sum(1 for r in arch.block_rows(r50) if r.block_kind == "residual") == 16
    assert r50.row("layer2.0.conv1").block == "layer2.0" and r50.row("layer2.0.conv1").block_kind == "residual"
    d121 = arch.summarize("densenet121")
    kinds = [r.block_kind for r in arch.block_rows(d121) if r.block_kind]
    assert kinds.count("dense") == 4 and kinds.count("transition") == 3
    g = arch.summarize("googlenet")
    assert sum(1 for r in arch.block_rows(g) if r.block_kind == "inception") == 9
    assert g.row("inception3a").output_text == "256×28×28"
    assert [g.row(f"inception3a.branch{i}").output_text for i in range(1, 5)] == ["64×28×28", "128×28×28", "32×28×28", "32×28×28"]
    v16 = [s for s, _, _ in arch.stage_totals(arch.summarize("vgg16"))]
    assert v16[:5] == ["features.0…features.4", "features.5…features.9", "features.10…features.16",
                       "features.17…features.23", "features.24…features.30"]


def test_shared_weights_count_once_but_compute_twice():
    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(8, 8)
            self.other = nn.Linear(8, 8)
            self.other.weight = self.fc.weight

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.other(self.fc(self.fc(x.flatten(1))))

    model = Tied()
    s = arch.summarize(model, (2, 2, 2))
    assert s.total_params == 8 * 8 + 8 + 8 == _unique_params(model)
    assert s.row("fc").calls == 2
    assert s.total_macs == 3 * 64
    assert s.row("fc").macs == 2 * 64


def test_frozen_parameters_are_reported_and_mode_restored():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))
    for p in model[0].parameters():
        p.requires_grad_(False)
    model.train()
    s = arch.summarize(model, (3, 8, 8))
    assert s.frozen_params == 3 * 4 * 9 + 4
    assert s.trainable_params == 8 + 144 * 2 + 2
    assert model.training
    assert s.row("0").activation_bytes == 4 * 6 * 6 * 4


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="cannot run on a 3×32×32 input"):
        arch.summarize("alexnet", (3, 32, 32))
    with pytest.raises(ValueError, match="Unknown network"):
        arch.summarize("lenet7")
    with pytest.raises(ValueError, match="three positive"):
        arch.summarize("vgg11", (3, 0, 224))
    with pytest.raises(ValueError, match="input size"):
        arch.summarize(nn.Linear(2, 2))


def test_inception_bottleneck_is_the_lecture_example():
    r = arch.inception_bottleneck()
    assert r.direct_macs == 5 * 5 * 192 * 28 * 28 * 32 == 120_422_400
    assert r.reduce_macs == 1 * 1 * 192 * 28 * 28 * 16 == 2_408_448
    assert r.conv_macs == 5 * 5 * 16 * 28 * 28 * 32 == 10_035_200
    assert r.reduced_macs == 12_443_648
    assert round(r.direct_macs / 1e6) == 120 and round(r.reduced_macs / 1e5) / 10 == 12.4
    assert round(r.reduce_macs / 1e5) / 10 == 2.4 and round(r.conv_macs / 1e6) == 10
    assert r.saving == pytest.approx(9.68, abs=0.01)
    assert arch.inception_bottleneck(reduce_to=32).reduced_macs == 192 * 784 * 32 + 25 * 32 * 784 * 32
    with pytest.raises(ValueError, match="odd kernel"):
        arch.inception_bottleneck(kernel=4)
    with pytest.raises(ValueError, match="positive"):
        arch.inception_bottleneck(channels=0)


def test_accuracy_table_from_metadata():
    rows = {r["name"]: r for r in arch.accuracy_table()}
    assert rows["resnet50"]["top1"] == pytest.approx(80.858) and rows["resnet50"]["top5"] == pytest.approx(95.434)
    assert rows["alexnet"]["params"] == 61_100_840 and rows["vgg19"]["gmacs"] == pytest.approx(19.632)
    assert "fcn_resnet50" not in rows and len(rows) == 23


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16_bn", "resnet18", "resnet50", "densenet121", "resnet56_cifar"])
def test_editor_presets_rebuild_the_real_networks(name):
    size, layers = arch.preset(name)
    res = arch.evaluate(layers, size, adapt=False)
    assert res.ok, res.error
    s = arch.summarize(name)
    assert res.summary.total_params == s.total_params
    assert res.summary.total_macs == s.total_macs
    assert res.summary.output_text == s.output_text


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
    with pytest.raises(ValueError, match="K must be"):
        arch.lecture_pattern(k=-1)


def test_lecture_pattern_shapes_and_parameters():
    layers = arch.lecture_pattern(n=2, m=2, k=1, conv_width=32, fc_width=128)
    res = arch.evaluate(layers, (3, 32, 32))
    assert [r.out_shape for r in res.rows if r.kind == "maxpool"] == [(32, 16, 16), (64, 8, 8)]
    expected = (3 * 9 * 32 + 32) + (32 * 9 * 32 + 32) + (32 * 9 * 64 + 64) + (64 * 9 * 64 + 64) + (4096 * 128 + 128) + (128 * 10 + 10)
    assert res.summary.total_params == expected


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


def test_diff_and_export():
    size, lenet = arch.preset("lenet5")
    edited = [*lenet[:6], arch.EditLayer("conv", 32, 3, 1, 1), arch.EditLayer("relu"), *lenet[6:]]
    edited[0] = replace(edited[0], kernel=3)
    a, b = arch.evaluate(lenet, size), arch.evaluate(edited, size)
    rows = arch.diff(a, b, lenet, edited)
    assert [r.status for r in rows].count("added") == 2
    conv1 = next(r for r in rows if r.original == "conv1")
    assert conv1.status == "changed" and conv1.params_delta == -96
    assert sum(r.params_delta for r in rows) == b.summary.total_params - a.summary.total_params
    assert sum(r.macs_delta for r in rows) == b.summary.total_macs - a.summary.total_macs

    for layers, in_size in ((edited, size), (arch.preset("resnet56_cifar")[1], (3, 32, 32)),
                            (arch.preset("densenet121")[1][:6] + [arch.EditLayer("adaptiveavg", 1), arch.EditLayer("flatten"),
                                                                 arch.EditLayer("fc", 10)], (3, 64, 64))):
        code = arch.export_code(layers, in_size)
        namespace: dict = {"__name__": "exported"}
        exec(compile(code, "exported.py", "exec"), namespace)
        model = namespace["model"]
        out = model(torch.zeros(1, *in_size))
        res = arch.evaluate(layers, in_size)
        assert tuple(out.shape[1:]) == res.rows[-1].out_shape
        assert _unique_params(model) == res.summary.total_params
    with pytest.raises(ValueError, match="add a Flatten"):
        arch.export_code([e for e in lenet if e.kind != "flatten"], size)


def test_summaries_beside_inference_in_another_thread():
    """FlopCounterMode's module tracker hooks every module's forward process-wide while a summary runs; another
    session's inference at the same time must still give its own result, and every summary its exact totals."""
    import threading
    import time

    import torchvision

    expected = arch.summarize("resnet18")
    torch.manual_seed(0)
    net = torchvision.models.resnet18(weights=None).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.inference_mode():
        reference = net(x)
    problems: list[str] = []
    counts = {"summaries": 0, "inferences": 0}
    stop = time.monotonic() + 4.0

    def infer() -> None:
        while time.monotonic() < stop:
            with torch.inference_mode():
                out = net(x)
            if not torch.equal(out, reference):
                problems.append("inference result changed")
            counts["inferences"] += 1

    def summarise() -> None:
        while time.monotonic() < stop:
            s = arch.summarize("resnet18")
            if (s.total_macs, s.total_params) != (expected.total_macs, expected.total_params):
                problems.append(f"summary {s.total_macs} MACs, {s.total_params} params")
            counts["summaries"] += 1

    def guarded(fn):
        def run() -> None:
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - reported by the test thread
                problems.append(f"{fn.__name__}: {exc!r}")
        return run

    threads = [threading.Thread(target=guarded(infer)), threading.Thread(target=guarded(summarise))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counts["summaries"] >= 3 and counts["inferences"] >= 3, counts
    assert not problems, problems[:5]


# GoogLeNet, Szegedy et al. 2014, Table 1: "ops" (millions of multiply-adds) per inception module. 5a is printed as
# 54M there, but its own widths give 832·(256+160+32+128)·49 + 160·320·9·49 + 32·128·25·49 = 51.1M.
PAPER_OPS_M = {"3a": 128, "3b": 304, "4a": 73, "4b": 88, "4c": 100, "4d": 119, "4e": 170, "5b": 71}


def _inception_weights(cin: int, c1: int, r3: int, c3: int, r5: int, c5: int, pp: int) -> int:
    return cin * (c1 + r3 + r5 + pp) + 9 * r3 * c3 + 25 * r5 * c5


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
        weights = _inception_weights(row.in_shape[0], *widths)
        assert params == weights + widths[0] + widths[1] + widths[2] + widths[3] + widths[4] + widths[5]
        assert macs == weights * row.in_shape[1] * row.in_shape[2]
        if label in PAPER_OPS_M:
            assert macs / 1e6 == pytest.approx(PAPER_OPS_M[label], abs=0.7), label
    assert res.summary.total_params == 6_998_552, "the lecture's 'about 7M parameters'"
    assert res.summary.output_text == "1000"
    assert incep[0].rf == 59 and res.rows[-1].rf is None
    torchvision_googlenet = arch.summarize("googlenet").total_params
    assert torchvision_googlenet == 6_624_904 and torchvision_googlenet != res.summary.total_params


def test_inception_layer_is_explained_built_and_exported():
    layer = arch.EditLayer("inception", branches=(64, 96, 128, 16, 32, 32))
    size = (192, 28, 28)
    code = arch.export_code([layer], size)
    assert "InceptionBlock(192, 64, 96, 128, 16, 32, 32)" in code
    namespace: dict = {"__name__": "exported"}
    exec(compile(code, "exported.py", "exec"), namespace)
    out = namespace["model"](torch.zeros(1, *size))
    assert tuple(out.shape) == (1, 256, 28, 28)
    assert _unique_params(namespace["model"]) == _inception_weights(192, *layer.branches) + 368
    bad = arch.evaluate([arch.EditLayer("inception", branches=(64, 96, 128))], size)
    assert not bad.ok and "six widths" in bad.error and "64,96,128" in bad.error
    zero = arch.evaluate([replace(layer, branches=(64, 0, 128, 16, 32, 32))], size)
    assert not zero.ok and "at least 1" in zero.error
    strict = arch.evaluate([replace(layer, in_=256)], size, adapt=False)
    assert not strict.ok and "written for 256 input channels but receives 192" in strict.error


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


@pytest.mark.parametrize("name", list(arch.EDIT_PRESETS))
def test_layer_list_text_round_trips(name):
    _, layers = arch.preset(name)
    text = arch.edit_to_text(layers)
    assert arch.edit_from_text(text) == layers
    assert len(text) < 2000 and all(c.isalnum() or c in "._-" for c in text)


def test_layer_list_text_examples_and_refusals():
    assert arch.edit_to_text(arch.preset("lenet5")[1]).startswith("conv.6.5.1.0.0.0.1.1_relu_avgpool.0.2.2_")
    layers = arch.edit_from_text("conv.8.3.1.1_relu_inception.0.0.1.0.0.0.1.0.4.4.8.2.4.4_adaptiveavg.1_flatten_fc.10")
    assert layers[0] == arch.EditLayer("conv", 8, 3, 1, 1)
    assert layers[2].branches == (4, 4, 8, 2, 4, 4) and layers[-1] == arch.EditLayer("fc", 10)
    res = arch.evaluate(layers, (3, 16, 16))
    assert res.ok and res.rows[2].out_shape == (20, 16, 16)
    for bad, message in (("", "empty"), ("conv.8.x", "not a whole number"), ("convolution.8", "unknown kind"),
                         ("relu_" * 5000, "too long"), ("relu_" * 1200 + "relu", "at most 1000")):
        with pytest.raises(ValueError, match=message):
            arch.edit_from_text(bad)
