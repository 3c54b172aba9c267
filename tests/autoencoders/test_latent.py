"""Codes, decoding, the kNN score of the latent plane (by hand and on the trained encoder), the decoded grid."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.autoencoders import (
    as_codes,
    decode,
    digit_rows,
    encode,
    held_out_digits,
    knn_accuracy,
    latent_map,
    manifold,
    reconstruct,
    reconstructions,
)
from vision_core.errors import BadInput


def test_knn_by_hand():
    train = np.array([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]], float)
    labels = np.array([0, 0, 0, 1, 1, 1])
    test = np.array([[0.2, 0.2], [10.5, 10.5], [5.4, 5.4]])
    # (5.4, 5.4): squared distances 42.32 to (10, 10), 48.52 to (1, 0) and (0, 1), 52.52 to (10, 11) and (11, 10),
    # 58.32 to (0, 0): its 3 nearest vote 1, 0, 0, so it is called 0 though (10, 10) is its nearest point
    assert knn_accuracy(train, labels, test, np.array([0, 1, 0]), k=3) == pytest.approx(1.0)
    assert knn_accuracy(train, labels, test, np.array([0, 1, 1]), k=3) == pytest.approx(2 / 3)
    assert knn_accuracy(train, labels, test, np.array([0, 1, 1]), k=1) == pytest.approx(1.0)


def test_codes_are_checked():
    assert as_codes([1.0, 2.0]).shape == (1, 2)
    for bad in ([1.0, 2.0, 3.0], np.zeros((0, 2)), [[np.nan, 0.0]]):
        with pytest.raises(BadInput):
            as_codes(bad)


def test_latent_plane_separates_the_digits(trained, untrained):
    """Measured (seed 0, 300 steps): 5-NN accuracy on the 2-D codes 42.5 %; chance is 10 %."""
    lm = latent_map(net=trained[0])
    assert lm.codes.shape == (1000, 2) and lm.labels.shape == (1000,)
    assert lm.knn_accuracy > 0.30, lm.knn_accuracy
    x0, x1, y0, y1 = lm.extent
    inside = (lm.codes[:, 0] >= x0) & (lm.codes[:, 0] <= x1) & (lm.codes[:, 1] >= y0) & (lm.codes[:, 1] <= y1)
    assert inside.mean() >= 0.96


def test_reconstructions_are_encode_then_decode(trained):
    twin = trained[0]
    digits, _ = held_out_digits()
    rec = reconstructions(net=twin)
    assert rec.originals.shape == rec.outputs["transposed"].shape == (1000, 28, 28)
    assert np.array_equal(rec.outputs["upsample"][:5], reconstruct(digits[:5], "upsample", net=twin))
    assert np.array_equal(decode(encode(digits[:3], net=twin)[1], net=twin)[0], rec.outputs["transposed"][1])
    mine = np.mean((digits.astype(np.float64) / 255 - rec.outputs["transposed"].astype(np.float64) / 255) ** 2)
    assert rec.mse["transposed"] == pytest.approx(mine)


def test_manifold_and_rows_are_laid_out(trained):
    picture = manifold((-1.0, 1.0, -1.0, 1.0), "upsample", 4, net=trained[0], zoom=1)
    assert picture.shape == (4 * 28 + 3, 4 * 28 + 3, 3)
    digits = held_out_digits()[0][:3]
    assert digit_rows([digits, digits], cell=28, gap=0).shape == (56, 84, 3)
    with pytest.raises(BadInput):
        digit_rows([digits, digits[:2]])
    with pytest.raises(BadInput):
        decode([0.0, 0.0], "bilinear", net=trained[0])
