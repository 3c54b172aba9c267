"""vision_core.transfer.custom: a linear head on VGG-16 features of a few photos recognises the cat; bad class
sets are refused with the reason; photos and labels are stacked in class order."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.io.samples import load_sample
from vision_core.transfer import classify_photo, cnn_features, demo_classes, stack_classes, train_custom_head


def test_own_classes_head_classifies_the_cat(vgg):
    classes = demo_classes(5)
    names = list(classes)
    stack = [img for k in names for img in classes[k]]
    labels = np.repeat(np.arange(len(names)), 5)
    feats = cnn_features(stack, vgg, "block5_pool", 128)
    head = train_custom_head(feats, labels, names)
    assert head.cv_folds == 5 and head.cv_accuracy >= 0.8, head.cv_accuracy
    ranked = classify_photo(head, cnn_features([load_sample("chelsea")], vgg, "block5_pool", 128)[0])
    assert ranked[0][0] == "cat" and abs(sum(p for _, p in ranked) - 1) < 1e-6
    with pytest.raises(ValueError, match="at least 2 photos"):
        train_custom_head(feats[:6], np.array([0, 0, 0, 0, 0, 1]), ["a", "b"])
    with pytest.raises(ValueError, match="2 to 5"):
        train_custom_head(feats[:4], np.zeros(4, np.int64), ["a"])
    with pytest.raises(ValueError, match="names must differ"):
        train_custom_head(feats[:4], np.array([0, 0, 1, 1]), ["a", "a"])


def test_stack_classes_keeps_class_order():
    a, b, c = (np.full((8, 8, 3), v, np.uint8) for v in (1, 2, 3))
    stack, labels, names = stack_classes({"cat": [a, b], "mug": [c]})
    assert names == ["cat", "mug"] and labels.tolist() == [0, 0, 1] and labels.dtype == np.int64
    assert [int(s[0, 0, 0]) for s in stack] == [1, 2, 3]
    demo = demo_classes(2, seed=3)
    assert list(demo) == ["cat", "coffee", "rocket"] and all(len(v) == 2 for v in demo.values())
