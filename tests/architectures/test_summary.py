"""summarize: every catalogued network against torchvision's metadata, the lecture's LeNet-5 shapes, the CIFAR
ResNets, stages and blocks, shared and frozen weights, refusals, and summaries beside inference in another thread."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from tests.architectures.helpers import unique_params
from vision_core import architectures as arch
from vision_core.errors import BadInput
from vision_core.models import blocks
from vision_core.models.lenet import LENET5_SHAPES

META_NETS = [n for n in arch.available() if arch.info(n).meta_device]


@pytest.mark.parametrize("name", META_NETS)
def test_every_network_matches_its_parameters_and_torchvision(name):
    s = arch.summarize(name)
    with torch.device("meta"):
        fresh = arch.info(name).build()
    assert s.total_params == unique_params(fresh)
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
    with pytest.raises(BadInput, match="6n\\+2"):
        blocks.cifar_resnet(51)


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
    assert s.total_params == 8 * 8 + 8 + 8 == unique_params(model)
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
    with pytest.raises(BadInput, match="cannot run on a 3×32×32 input"):
        arch.summarize("alexnet", (3, 32, 32))
    with pytest.raises(BadInput, match="Unknown network"):
        arch.summarize("lenet7")
    with pytest.raises(BadInput, match="three positive"):
        arch.summarize("vgg11", (3, 0, 224))
    with pytest.raises(BadInput, match="input size"):
        arch.summarize(nn.Linear(2, 2))


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
