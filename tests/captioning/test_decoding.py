"""Decoding: attention sums to 1, beam width 1 is greedy, beam search finds the caption greedy misses (by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from vision_core.captioning import AttendTell, DecoderShape, Vocabulary, beam_search, greedy, greedy_batch, top_words
from vision_core.errors import BadInput

pytestmark = pytest.mark.usefixtures("one_thread")

VOCAB = Vocabulary.from_captions(["a small 3 above a large 7", "a large 2 left of a small 5"])


@pytest.fixture(scope="module")
def decoder() -> AttendTell:
    torch.manual_seed(0)
    net = AttendTell(DecoderShape(len(VOCAB), 16, embed=8, hidden=16, attention=8))
    return net.eval()


@pytest.fixture(scope="module")
def vectors() -> torch.Tensor:
    return torch.randn(5, 36, 16, generator=torch.Generator().manual_seed(1))


def test_attention_sums_to_one_over_the_regions(decoder, vectors):
    for d in (greedy(decoder, vectors[0], VOCAB), beam_search(decoder, vectors[0], VOCAB, 3)):
        assert d.alphas.shape == (d.steps, 36)
        np.testing.assert_allclose(d.alphas.sum(1), 1.0, atol=1e-5)
        assert (d.alphas >= 0).all()
        np.testing.assert_allclose(d.probs.sum(1), 1.0, atol=1e-5)


def test_beam_width_one_is_greedy(decoder, vectors):
    for v in vectors:
        g, b = greedy(decoder, v, VOCAB), beam_search(decoder, v, VOCAB, 1)
        assert g.words == b.words
        np.testing.assert_allclose(g.probs, b.probs, atol=1e-6)
        np.testing.assert_allclose(g.alphas, b.alphas, atol=1e-6)
        assert g.log_prob == pytest.approx(b.log_prob, abs=1e-5)


def test_greedy_batch_says_what_greedy_says(decoder, vectors):
    assert greedy_batch(decoder, vectors, VOCAB) == [greedy(decoder, v, VOCAB).caption for v in vectors]


def test_greedy_log_prob_is_the_sum_of_the_chosen_words(decoder, vectors):
    d = greedy(decoder, vectors[2], VOCAB)
    chosen = [d.probs[t, VOCAB.index(w)] for t, w in enumerate(d.words)]
    assert d.log_prob == pytest.approx(float(np.log(chosen).sum()), abs=1e-4)
    assert top_words(d, 0, VOCAB, 1)[0] == (d.words[0], pytest.approx(float(d.probs[0].max())))


class _Table:
    """A stand-in decoder whose next-word probabilities depend only on the previous word (hand-made)."""

    def __init__(self, vocab: Vocabulary, table: dict[str, dict[str, float]]) -> None:
        self.shape = DecoderShape(len(vocab), 4)
        self.vocab = vocab
        self.logits = {}
        for prev, nxt in table.items():
            p = torch.full((len(vocab),), 1e-12)
            for w, q in nxt.items():
                p[vocab.index(w)] = q
            self.logits[vocab.index(prev)] = torch.log(p)

    def prepare(self, vectors):
        n = vectors.shape[0]
        return vectors, vectors, torch.zeros(n, 1), torch.zeros(n, 1)

    def step(self, word, h, c, a, keys):
        logits = torch.stack([self.logits[int(w)] for w in word])
        return logits, torch.full((len(word), a.shape[1]), 1 / a.shape[1]), h, c


def test_beam_search_finds_the_better_caption_greedy_misses():
    vocab = Vocabulary(("<pad>", "<start>", "<end>", "x", "y"))
    # greedy: x (0.6) then <end> (0.5) → 0.30;  y (0.4) then <end> (0.9) → 0.36 is more probable
    table = _Table(vocab, {"<start>": {"x": 0.6, "y": 0.4}, "x": {"<end>": 0.5, "x": 0.25, "y": 0.25},
                           "y": {"<end>": 0.9, "x": 0.05, "y": 0.05}})
    v = torch.zeros(3, 4)
    g = greedy(table, v, vocab)
    b = beam_search(table, v, vocab, 2)
    assert g.caption == "x" and g.log_prob == pytest.approx(math.log(0.30), abs=1e-5)
    assert b.caption == "y" and b.log_prob == pytest.approx(math.log(0.36), abs=1e-5)
    assert [c for c, _ in b.beams] == ["y", "x"]
    assert b.words == ("y", "<end>")
    np.testing.assert_allclose(b.probs[1][[2, 3, 4]], [0.9, 0.05, 0.05], atol=1e-6)


def test_bad_features_are_refused(decoder):
    with pytest.raises(BadInput, match=r"\(L, 16\)"):
        greedy(decoder, torch.zeros(36, 8), VOCAB)
    with pytest.raises(BadInput, match="beam width"):
        beam_search(decoder, torch.zeros(36, 16), VOCAB, 0)
