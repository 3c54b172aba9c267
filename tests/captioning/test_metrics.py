"""Caption scores computed by hand: exact match, word accuracy, BLEU-1 with its brevity penalty, the baseline."""

from __future__ import annotations

import math

import pytest

from vision_core.captioning import bleu1, exact_match, most_frequent_caption, score_captions, word_accuracy
from vision_core.errors import BadInput

REF = ["a small 3 above a large 7", "a large 2 left of a small 5"]


def test_exact_and_word_accuracy():
    cand = ["a small 3 above a large 7", "a large 2 left of a large 5"]
    assert exact_match(cand, REF) == 0.5
    assert word_accuracy(cand, REF) == pytest.approx((7 + 7) / (7 + 8))
    # a missing word shifts nothing before it and counts as wrong: 3 of 7 positions
    assert word_accuracy(["a small 3"], REF[:1]) == pytest.approx(3 / 7)


def test_bleu1_by_hand():
    assert bleu1(REF, REF) == 1.0
    # 3 words, all in the reference: precision 1, brevity penalty exp(1 − 7/3)
    assert bleu1(["a small 3"], REF[:1]) == pytest.approx(math.exp(1 - 7 / 3))
    # "a a a a a a a": "a" appears twice in the reference, so only 2 of 7 count
    assert bleu1(["a a a a a a a"], REF[:1]) == pytest.approx(2 / 7)
    s = score_captions(["a a a a a a a"], REF[:1])
    assert (s.exact, s.n) == (0.0, 1)


def test_most_frequent_caption_and_ties():
    assert most_frequent_caption(["b", "a", "b"]) == "b"
    assert most_frequent_caption(["b", "a"]) == "a"
    with pytest.raises(BadInput):
        exact_match(["a"], [])
