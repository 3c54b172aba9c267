"""Offline data sets: shapes, label balance, pixel conventions."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.io.datasets import lfw_faces, mnist_5k, sklearn_digits, train_test_split_stratified


def test_mnist_5k():
    d = mnist_5k()
    assert d.images.shape == (5000, 28, 28) and d.images.dtype == np.uint8
    assert np.bincount(d.labels).tolist() == [500] * 10
    assert d.images[:, 0, 0].max() == 0 and d.images.max() == 255, "white digits on black"


def test_digits_and_lfw():
    dg = sklearn_digits()
    assert dg.images.shape == (1797, 8, 8) and dg.images.max() == 255
    lfw = lfw_faces()
    assert lfw.images.shape == (200, 25, 25) and lfw.labels.sum() == 100


def test_stratified_split():
    labels = np.repeat(np.arange(3), 50)
    tr, te = train_test_split_stratified(labels, 0.2, seed=1)
    assert len(te) == 30 and len(set(tr) & set(te)) == 0
    assert np.bincount(labels[te]).tolist() == [10, 10, 10]
    tr2, te2 = train_test_split_stratified(labels, 0.2, seed=1)
    assert (te == te2).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        train_test_split_stratified(labels, 1.5)
