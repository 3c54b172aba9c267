"""vision_core.classify: EfficientNet-Lite0 from the embedded weights on bundled photos, input errors explained,
and the preprocessing shown step by step."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vision_core.classify import classify, classify_prepared, prepare, preprocessing_steps
from vision_core.errors import BadInput
from vision_core.models import get_model

CATS = {"tabby", "tiger cat", "Egyptian cat"}


@pytest.fixture(scope="module")
def lite0() -> torch.nn.Module:
    return get_model("efficientnet_lite0", "cpu")


def test_chelsea_is_a_cat(chelsea, lite0):
    top5 = classify(chelsea, net=lite0)
    labels = [label for label, _ in top5]
    assert CATS & set(labels[:3]), top5
    probs = [p for _, p in top5]
    assert probs == sorted(probs, reverse=True) and 0.9 < sum(probs) <= 1.0 + 1e-6


def test_coffee_is_espresso(coffee, lite0):
    top5 = classify(coffee, net=lite0)
    assert {"espresso", "cup"} & {label for label, _ in top5}
    assert top5[0][0] == "espresso" and top5[0][1] > 0.9  # ASSETS.md: espresso 0.95


def test_classify_needs_the_network():
    with pytest.raises(TypeError, match="net"):
        classify(np.zeros((32, 32, 3), np.uint8))  # the model is passed in; vision_core keeps no model cache


def test_bad_arguments_are_explained(chelsea, lite0):
    with pytest.raises(ValueError, match="top_k"):
        classify(chelsea, top_k=0, net=lite0)
    with pytest.raises(BadInput, match="Unknown classifier 'alexnet'. Choose one of: efficientnet_lite0, resnet50"):
        classify(chelsea, model="alexnet", net=lite0)
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        classify(np.zeros((10, 10), np.uint8), net=lite0)


def test_preprocessing_steps_are_images(chelsea):
    steps = preprocessing_steps(chelsea)
    assert [s.title for s in steps] == ["Your photo", "Resize", "Centre crop", "Normalise"]
    assert [s.image.shape for s in steps] == [(300, 451, 3), (256, 384, 3), (224, 224, 3), (224, 3 * 224 + 12, 3)]
    assert all(s.image.dtype == np.uint8 for s in steps)
    assert "384×256" in steps[1].caption and "(1, 3, 224, 224)" in steps[3].caption


def test_classify_prepared_matches_manual_softmax(coffee, lite0):
    p = prepare(coffee)
    with torch.no_grad():
        probs = torch.softmax(lite0(p.tensor), 1)[0]
    top = classify_prepared(p, lite0, 2)
    assert top[0] == ("espresso", pytest.approx(float(probs[967]), abs=1e-6))

