"""reference and accuracy_table: the lecture's claims beside the measured counts, torchvision's accuracy metadata."""

from __future__ import annotations

import pytest

from vision_core import architectures as arch

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


def test_accuracy_table_from_metadata():
    rows = {r["name"]: r for r in arch.accuracy_table()}
    assert rows["resnet50"]["top1"] == pytest.approx(80.858) and rows["resnet50"]["top5"] == pytest.approx(95.434)
    assert rows["alexnet"]["params"] == 61_100_840 and rows["vgg19"]["gmacs"] == pytest.approx(19.632)
    assert "fcn_resnet50" not in rows and len(rows) == 23
