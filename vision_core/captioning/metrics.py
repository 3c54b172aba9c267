"""How good the captions are: exact match, word accuracy, BLEU-1, and the most-frequent-caption baseline.

Captions are strings of space-separated words; ``candidates[i]`` is scored against the one
reference ``references[i]``.

- **exact match**: the share of captions equal to their reference, word for word;
- **word accuracy**: words equal to the reference's word at the same position, over all positions
  of the longer of the two (a missing or extra word counts as wrong);
- **BLEU-1** (Papineni et al. 2002, corpus level, one reference): clipped unigram precision
  ``Σ min(count in candidate, count in reference) / Σ candidate length`` times the brevity penalty
  ``exp(1 − r/c)`` when the candidates are shorter in total (``c``) than the references (``r``).

The baseline says the training set's most frequent caption for every scene, whatever it shows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from vision_core.errors import BadInput

__all__ = ["CaptionScores", "bleu1", "exact_match", "most_frequent_caption", "score_captions", "word_accuracy"]


def _pairs(candidates: Sequence[str], references: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    if len(candidates) != len(references) or not references:
        raise BadInput(f"Need as many captions as references (at least one), got {len(candidates)} and {len(references)}.")
    return [(c.split(), r.split()) for c, r in zip(candidates, references)]


def exact_match(candidates: Sequence[str], references: Sequence[str]) -> float:
    """The share of candidates equal to their reference word for word."""
    pairs = _pairs(candidates, references)
    return sum(c == r for c, r in pairs) / len(pairs)


def word_accuracy(candidates: Sequence[str], references: Sequence[str]) -> float:
    """Position-wise word matches over the positions of the longer caption of each pair."""
    pairs = _pairs(candidates, references)
    hits = sum(sum(a == b for a, b in zip(c, r)) for c, r in pairs)
    total = sum(max(len(c), len(r)) for c, r in pairs)
    return hits / total if total else 1.0


def bleu1(candidates: Sequence[str], references: Sequence[str]) -> float:
    """Corpus BLEU-1 with one reference per candidate (clipped unigram precision × brevity penalty)."""
    pairs = _pairs(candidates, references)
    clipped = sum(sum((Counter(c) & Counter(r)).values()) for c, r in pairs)
    c_len = sum(len(c) for c, _ in pairs)
    r_len = sum(len(r) for _, r in pairs)
    if c_len == 0:
        return 0.0
    penalty = 1.0 if c_len > r_len else math.exp(1.0 - r_len / c_len)
    return clipped / c_len * penalty


@dataclass(frozen=True)
class CaptionScores:
    """Scores of ``n`` captions against their references, each between 0 and 1."""

    exact: float
    word_accuracy: float
    bleu1: float
    n: int


def score_captions(candidates: Sequence[str], references: Sequence[str]) -> CaptionScores:
    """All three scores at once."""
    return CaptionScores(exact_match(candidates, references), word_accuracy(candidates, references),
                         bleu1(candidates, references), len(references))


def most_frequent_caption(captions: Sequence[str]) -> str:
    """The caption said most often in ``captions`` (ties: the alphabetically first)."""
    if not captions:
        raise BadInput("Need at least one caption.")
    counts = Counter(captions)
    top = max(counts.values())
    return min(c for c, n in counts.items() if n == top)
