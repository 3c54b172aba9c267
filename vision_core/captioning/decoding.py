"""Decoding a caption word by word: greedy, beam search, and greedy for a whole batch (the held-out score).

Every decoder here takes a trained ``AttendTell`` in eval mode (never changed) and the annotation
vectors of one scene ``(L, D)`` (``greedy``, ``beam_search``) or of many ``(N, L, D)``
(``greedy_batch``). ``Decoded`` keeps, for every step ``t`` of the chosen caption, the word, the
whole distribution ``probs[t]`` ``(V,)`` it was picked from, and the attention ``alphas[t]`` ``(L,)``
(sums to 1 over the regions). The last step is ``<end>`` when the decoder stopped by itself.

Beam search keeps the ``width`` most probable partial captions (sum of log-probabilities); a
caption that ends leaves the beam, which narrows by one, until none is left or ``max_len`` words
were said; the most probable finished caption wins. With ``width = 1`` it is greedy decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from vision_core.captioning.decoder import AttendTell
from vision_core.captioning.vocab import END, Vocabulary
from vision_core.checks import check_int
from vision_core.errors import BadInput

__all__ = ["MAX_LEN", "Decoded", "beam_search", "greedy", "greedy_batch", "top_words"]

MAX_LEN = 12
"""The most words a decoder says before it is cut off (the template's captions have 7 or 8)."""


@dataclass(frozen=True)
class Decoded:
    """One decoded caption: ``words`` per step (``<end>`` last if reached), ``probs`` ``(T, V)`` float32,
    ``alphas`` ``(T, L)`` float32, the total ``log_prob``, how it was decoded, and every beam's
    ``(caption, log_prob)`` best first (one entry for greedy)."""

    words: tuple[str, ...]
    probs: np.ndarray
    alphas: np.ndarray
    log_prob: float
    method: str
    width: int
    beams: tuple[tuple[str, float], ...]

    @property
    def caption(self) -> str:
        return " ".join(w for w in self.words if w != END)

    @property
    def steps(self) -> int:
        return len(self.words)


def _check_vectors(vectors: torch.Tensor, decoder: AttendTell) -> torch.Tensor:
    if not isinstance(vectors, torch.Tensor) or vectors.ndim != 2 or vectors.shape[1] != decoder.shape.feature_dim:
        shape = tuple(vectors.shape) if isinstance(vectors, torch.Tensor) else type(vectors).__name__
        raise BadInput(f"One scene's features must be (L, {decoder.shape.feature_dim}), got {shape}.")
    return vectors.float()


def greedy(decoder: AttendTell, vectors: torch.Tensor, vocab: Vocabulary, max_len: int = MAX_LEN) -> Decoded:
    """At each step the single most probable word, fed back as the next input."""
    vectors = _check_vectors(vectors, decoder)
    max_len = check_int(max_len, 1, 64, "The caption length")
    words, probs, alphas, log_prob = [], [], [], 0.0
    with torch.no_grad():
        a, keys, h, c = decoder.prepare(vectors[None])
        word = torch.tensor([vocab.start])
        for _ in range(max_len):
            logits, alpha, h, c = decoder.step(word, h, c, a, keys)
            p = torch.softmax(logits[0], 0)
            w = int(p.argmax())
            log_prob += float(torch.log_softmax(logits[0], 0)[w])
            words.append(vocab.words[w])
            probs.append(p.numpy())
            alphas.append(alpha[0].numpy())
            if w == vocab.end:
                break
            word = torch.tensor([w])
    caption = " ".join(w for w in words if w != END)
    return Decoded(tuple(words), np.stack(probs), np.stack(alphas), log_prob, "greedy", 1, ((caption, log_prob),))


@dataclass
class _Hyp:
    tokens: tuple[int, ...]
    log_prob: float
    h: torch.Tensor
    c: torch.Tensor
    probs: tuple[np.ndarray, ...]
    alphas: tuple[np.ndarray, ...]


def beam_search(decoder: AttendTell, vectors: torch.Tensor, vocab: Vocabulary, width: int = 3,
                max_len: int = MAX_LEN) -> Decoded:
    """The ``width`` most probable partial captions at each step (see the module docstring)."""
    vectors = _check_vectors(vectors, decoder)
    width = check_int(width, 1, 20, "The beam width")
    max_len = check_int(max_len, 1, 64, "The caption length")
    finished: list[_Hyp] = []
    with torch.no_grad():
        a, keys, h0, c0 = decoder.prepare(vectors[None])
        live = [_Hyp((), 0.0, h0, c0, (), ())]
        for _ in range(max_len):
            k = len(live)
            words = torch.tensor([hyp.tokens[-1] if hyp.tokens else vocab.start for hyp in live])
            logits, alpha, h, c = decoder.step(words, torch.cat([x.h for x in live]), torch.cat([x.c for x in live]),
                                               a.expand(k, -1, -1), keys.expand(k, -1, -1))
            logp = torch.log_softmax(logits, 1)
            total = torch.tensor([x.log_prob for x in live])[:, None] + logp
            top = total.flatten().topk(min(width - len(finished), total.numel()))
            grown = []
            for score, flat in zip(top.values.tolist(), top.indices.tolist()):
                b, w = divmod(flat, logp.shape[1])
                parent = live[b]
                grown.append(_Hyp(parent.tokens + (w,), score, h[b : b + 1], c[b : b + 1],
                                  parent.probs + (torch.softmax(logits[b], 0).numpy(),),
                                  parent.alphas + (alpha[b].numpy(),)))
            finished += [x for x in grown if x.tokens[-1] == vocab.end]
            live = [x for x in grown if x.tokens[-1] != vocab.end]
            if not live or len(finished) >= width:
                break
    ranked = sorted(finished or live, key=lambda x: -x.log_prob) + (sorted(live, key=lambda x: -x.log_prob) if finished else [])
    best = ranked[0]
    beams = tuple((vocab.decode(x.tokens), x.log_prob) for x in ranked)
    return Decoded(tuple(vocab.words[t] for t in best.tokens), np.stack(best.probs), np.stack(best.alphas),
                   best.log_prob, "beam search", width, beams)


def greedy_batch(decoder: AttendTell, vectors: torch.Tensor, vocab: Vocabulary, max_len: int = MAX_LEN) -> list[str]:
    """Greedy captions of ``N`` scenes at once (``vectors`` ``(N, L, D)``), as strings."""
    if not isinstance(vectors, torch.Tensor) or vectors.ndim != 3:
        raise BadInput("Features of several scenes must be an (N, L, D) tensor.")
    n = len(vectors)
    out = torch.full((n, max_len), vocab.end, dtype=torch.int64)
    with torch.no_grad():
        a, keys, h, c = decoder.prepare(vectors.float())
        word = torch.full((n,), vocab.start, dtype=torch.int64)
        done = torch.zeros(n, dtype=torch.bool)
        for t in range(max_len):
            logits, _, h, c = decoder.step(word, h, c, a, keys)
            word = logits.argmax(1)
            out[:, t] = torch.where(done, vocab.end, word)
            done |= word == vocab.end
            if bool(done.all()):
                break
    return [vocab.decode(row.tolist()) for row in out]


def top_words(decoded: Decoded, step: int, vocab: Vocabulary, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable words at ``step`` of ``decoded`` with their probabilities, most probable first."""
    step = check_int(step, 0, decoded.steps - 1, "The step")
    k = check_int(k, 1, len(vocab), "The number of words")
    p = decoded.probs[step]
    order = np.argsort(-p, kind="stable")[:k]
    return [(vocab.words[i], float(p[i])) for i in order]
