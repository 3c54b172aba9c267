"""The decoder: an LSTM with soft attention over the encoder's regions (Xu et al. 2015, "Show, Attend and Tell").

At step ``t``, with the LSTM's previous state ``h_{t-1}`` and the annotation vectors ``a_1 … a_L``
(``(N, L, D)``, standardised with the training set's per-channel mean and std):

- scores ``e_ti = v · tanh(W_a a_i + W_h h_{t-1})``, attention ``α_t = softmax(e_t)`` over the L regions;
- context ``z_t = β_t · Σ_i α_ti a_i`` with the gate ``β_t = σ(w_β · h_{t-1})``;
- ``h_t, c_t = LSTM([E y_{t-1}, z_t], (h_{t-1}, c_{t-1}))`` where ``E y_{t-1}`` embeds the previous word;
- word probabilities ``softmax(W_o (E y_{t-1} + L_h h_t + L_z z_t))`` (the paper's deep output).

``h_0, c_0`` come from the mean annotation vector. ``forward`` runs teacher forcing over a batch of
captions; ``step`` is one step, for greedy and beam-search decoding. ``caption_loss`` is the
cross-entropy of the next word (``<pad>`` ignored) plus, optionally, the paper's doubly stochastic
attention term ``λ Σ_i (1 − Σ_t α_ti)²``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from vision_core.checks import check_int, check_range

__all__ = ["AttendTell", "DecoderShape", "caption_loss"]


@dataclass(frozen=True)
class DecoderShape:
    """Sizes: ``vocab`` words, ``feature_dim`` D of an annotation vector, word ``embed``, LSTM ``hidden``,
    ``attention`` (the hidden size of the scoring MLP); ``dropout`` before the output layer while training."""

    vocab: int
    feature_dim: int
    embed: int = 32
    hidden: int = 128
    attention: int = 64
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for value, low, high, what in ((self.vocab, 4, 100_000, "The vocabulary size"),
                                       (self.feature_dim, 1, 8192, "The feature size"),
                                       (self.embed, 1, 8192, "The embedding size"), (self.hidden, 1, 8192, "The LSTM size"),
                                       (self.attention, 1, 8192, "The attention size")):
            check_int(value, low, high, what)
        check_range(self.dropout, 0.0, 0.9, "Dropout")


class AttendTell(nn.Module):
    """The attention LSTM of the module docstring; ``feat_mean``/``feat_std`` ``(D,)`` are buffers (saved with it)."""

    def __init__(self, shape: DecoderShape) -> None:
        super().__init__()
        self.shape = shape
        d, e, h, a = shape.feature_dim, shape.embed, shape.hidden, shape.attention
        self.register_buffer("feat_mean", torch.zeros(d))
        self.register_buffer("feat_std", torch.ones(d))
        self.embed = nn.Embedding(shape.vocab, e, padding_idx=0)
        self.init_h = nn.Linear(d, h)
        self.init_c = nn.Linear(d, h)
        self.att_a = nn.Linear(d, a)
        self.att_h = nn.Linear(h, a)
        self.att_v = nn.Linear(a, 1)
        self.gate = nn.Linear(h, 1)
        self.lstm = nn.LSTMCell(e + d, h)
        self.out_h = nn.Linear(h, e)
        self.out_z = nn.Linear(d, e)
        self.out = nn.Linear(e, shape.vocab)
        self.drop = nn.Dropout(shape.dropout)

    def set_feature_stats(self, vectors: torch.Tensor) -> None:
        """Standardise annotation vectors with the per-channel mean and std of ``vectors`` ``(N, L, D)``."""
        flat = vectors.reshape(-1, vectors.shape[-1]).float()
        self.feat_mean.copy_(flat.mean(0))
        self.feat_std.copy_(flat.std(0).clamp_min(1e-3))

    def prepare(self, vectors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(N, L, D)`` annotation vectors → (standardised ``a``, attention keys ``W_a a`` ``(N, L, A)``, h0, c0)."""
        a = (vectors - self.feat_mean) / self.feat_std
        mean = a.mean(1)
        return a, self.att_a(a), torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))

    def step(self, word: torch.Tensor, h: torch.Tensor, c: torch.Tensor, a: torch.Tensor,
             keys: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """One word: previous words ``(N,)``, state ``(N, H)`` twice → (logits ``(N, V)``, α ``(N, L)``, h, c)."""
        scores = self.att_v(torch.tanh(keys + self.att_h(h)[:, None, :])).squeeze(-1)
        alpha = torch.softmax(scores, dim=1)
        z = torch.sigmoid(self.gate(h)) * torch.einsum("nl,nld->nd", alpha, a)
        emb = self.embed(word)
        h, c = self.lstm(torch.cat([emb, z], dim=1), (h, c))
        logits = self.out(self.drop(emb + self.out_h(h) + self.out_z(z)))
        return logits, alpha, h, c

    def forward(self, vectors: torch.Tensor, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher forcing: ``tokens`` ``(N, T)`` from ``<start>`` → logits ``(N, T−1, V)`` predicting
        ``tokens[:, 1:]`` and the attention ``(N, T−1, L)`` of each step."""
        a, keys, h, c = self.prepare(vectors)
        logits, alphas = [], []
        for t in range(tokens.shape[1] - 1):
            out, alpha, h, c = self.step(tokens[:, t], h, c, a, keys)
            logits.append(out)
            alphas.append(alpha)
        return torch.stack(logits, 1), torch.stack(alphas, 1)


def caption_loss(logits: torch.Tensor, alphas: torch.Tensor, tokens: torch.Tensor, doubly_stochastic: float = 0.0,
                 pad: int = 0) -> torch.Tensor:
    """Mean cross-entropy of the next word over the non-``<pad>`` targets ``tokens[:, 1:]``, plus
    ``doubly_stochastic`` × mean over captions of ``Σ_i (1 − Σ_t α_ti)²`` (steps of real words only)."""
    targets = tokens[:, 1:]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad)
    if doubly_stochastic:
        mask = (targets != pad).float()[..., None]
        coverage = (alphas * mask).sum(1)
        loss = loss + doubly_stochastic * ((1.0 - coverage) ** 2).sum(1).mean()
    return loss
