"""The vocabulary: specials first, words sorted, captions encoded with <start>/<end> and padded."""

from __future__ import annotations

import pytest

from vision_core.captioning import Vocabulary
from vision_core.errors import BadInput


def test_vocabulary_from_captions():
    v = Vocabulary.from_captions(["a small 3 above a large 7", "a large 2 left of a small 5"])
    assert v.words == ("<pad>", "<start>", "<end>", "2", "3", "5", "7", "a", "above", "large", "left", "of", "small")
    assert v.encode("a small 3") == [1, 7, 12, 4, 2]
    assert v.decode([7, 12, 4, 2, 9, 9]) == "a small 3"
    batch = v.batch(["a small 3", "a 7"])
    assert batch.tolist() == [[1, 7, 12, 4, 2], [1, 7, 6, 2, 0]]


def test_unknown_word_lists_the_vocabulary():
    v = Vocabulary.from_captions(["a small 3"])
    with pytest.raises(BadInput, match="Words: 3, a, small"):
        v.encode("a big 3")
