"""The captions' vocabulary: words ↔ indices, with the three special tokens ``<pad>``, ``<start>``, ``<end>``.

Index 0 is ``<pad>`` (fills short captions in a batch and is ignored by the loss), 1 is ``<start>``
(the decoder's first input), 2 is ``<end>`` (the decoder says it has finished). A caption is a string
of words separated by single spaces; ``encode`` gives ``[<start>, w1 … wn, <end>]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import torch

from vision_core.errors import BadInput

__all__ = ["END", "PAD", "SPECIALS", "START", "Vocabulary"]

PAD, START, END = "<pad>", "<start>", "<end>"
SPECIALS: tuple[str, str, str] = (PAD, START, END)


@dataclass(frozen=True)
class Vocabulary:
    """``words[i]`` is the word of index ``i``; the first three are ``SPECIALS``."""

    words: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.words[:3] != SPECIALS or len(set(self.words)) != len(self.words):
            raise BadInput(f"A vocabulary starts with {', '.join(SPECIALS)} and lists each word once.")
        object.__setattr__(self, "_index", {w: i for i, w in enumerate(self.words)})

    @classmethod
    def from_captions(cls, captions: Iterable[str]) -> Vocabulary:
        """The specials, then every word of ``captions`` once, sorted (the same captions give the same indices)."""
        seen = sorted({w for c in captions for w in c.split()} - set(SPECIALS))
        return cls((*SPECIALS, *seen))

    def __len__(self) -> int:
        return len(self.words)

    @property
    def pad(self) -> int:
        return 0

    @property
    def start(self) -> int:
        return 1

    @property
    def end(self) -> int:
        return 2

    def index(self, word: str) -> int:
        """The index of ``word``; ``BadInput`` listing the vocabulary for a word it does not have."""
        if word not in self._index:
            known = ", ".join(w for w in self.words if w not in SPECIALS)
            raise BadInput(f"The word {word!r} is not in the vocabulary. Words: {known}.")
        return self._index[word]

    def encode(self, caption: str) -> list[int]:
        """``[<start>, w1 … wn, <end>]`` as indices."""
        return [self.start, *(self.index(w) for w in caption.split()), self.end]

    def decode(self, ids: Sequence[int]) -> str:
        """The words of ``ids`` up to the first ``<end>``, specials left out."""
        out: list[str] = []
        for i in ids:
            i = int(i)
            if i == self.end:
                break
            if i >= 3:
                out.append(self.words[i])
        return " ".join(out)

    def batch(self, captions: Sequence[str]) -> torch.Tensor:
        """``(N, T)`` int64: each caption encoded, padded with ``<pad>`` to the longest (T = its length + 2)."""
        encoded = [self.encode(c) for c in captions]
        width = max(len(e) for e in encoded)
        out = torch.full((len(encoded), width), self.pad, dtype=torch.int64)
        for row, e in enumerate(encoded):
            out[row, : len(e)] = torch.tensor(e)
        return out
