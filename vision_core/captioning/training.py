"""Train the captioner live: generated scenes → frozen encoder (once per scene) → the attention LSTM, with progress.

``train_captioner(config, net=...)`` is a generator for ``ui.jobs``: it draws the training and
held-out scenes (``scenes.make_scenes``), runs the frozen EfficientNet-Lite0 once over every scene
(features kept for the whole run; an ``"encoding"`` record after each chunk), then trains the
decoder with Adam on teacher-forced captions, yielding a ``"training"`` record after every step
(that step's loss) and, every ``eval_every`` steps and at the end, the held-out scores of greedy
captions. Seeded: the same config gives the same scenes, weights and numbers. It runs on
``threads`` torch threads (``limited_threads``) and stops early when ``should_stop()``. The settings, the
batches, Adam and its schedule are ``models.fit``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch

from vision_core.captioning.decoder import AttendTell, DecoderShape, caption_loss
from vision_core.captioning.decoding import greedy_batch
from vision_core.captioning.encoder import ENCODER_LAYER, Features, encode_scenes
from vision_core.captioning.metrics import CaptionScores, most_frequent_caption, score_captions
from vision_core.captioning.scenes import make_scenes
from vision_core.captioning.vocab import Vocabulary
from vision_core.checks import check_int, check_range
from vision_core.models.device import limited_threads
from vision_core.models.fit import RunSettings, adam_cosine, descend, seeded, shuffled_batches, weights_copy

__all__ = ["CaptionConfig", "CaptionProgress", "Captioner", "captioner_from", "train_captioner"]

_CHUNK = 100


@dataclass(frozen=True)
class CaptionConfig(RunSettings):
    """One training run: ``RunSettings`` (here 500 Adam steps of 64, learning rate 0.004 with cosine decay to 0,
    seed 0, held-out scores every 50 steps, one thread), the scene counts, the doubly stochastic attention
    weight λ and the LSTM size."""

    steps: int = 500
    lr: float = 4e-3
    train_scenes: int = 1500
    held_out_scenes: int = 200
    doubly_stochastic: float = 0.0
    hidden: int = 128

    def __post_init__(self) -> None:
        check_int(self.train_scenes, 50, 10000, "The number of training scenes")
        check_int(self.held_out_scenes, 10, 2000, "The number of held-out scenes")
        self.check_run(min_batch=1, min_lr=1e-5)
        check_range(self.doubly_stochastic, 0.0, 10.0, "The attention regulariser λ")
        check_int(self.hidden, 8, 1024, "The LSTM size")


@dataclass(frozen=True)
class CaptionProgress:
    """One progress record. ``phase`` is ``"encoding"`` (``encoded`` of ``to_encode`` scenes through the
    encoder) or ``"training"`` (``step`` of ``total_steps`` done, ``loss`` of that step). ``scores`` are the
    latest held-out scores (None before the first), ``baseline`` the most-frequent-caption baseline's;
    ``curve`` is ``(step, loss)`` of every step so far, ``evals`` ``(step, exact, word accuracy, BLEU-1)``;
    ``state`` the decoder's weights at this step (a copy), with ``shape`` and ``vocab`` to rebuild it;
    ``config`` is the run's."""

    phase: str
    step: int
    total_steps: int
    loss: float
    encoded: int
    to_encode: int
    scores: CaptionScores | None
    baseline: CaptionScores
    baseline_caption: str
    elapsed: float
    encode_seconds: float
    curve: tuple[tuple[int, float], ...] = field(repr=False)
    evals: tuple[tuple[int, float, float, float], ...] = field(repr=False)
    state: dict[str, torch.Tensor] | None = field(repr=False, compare=False)
    shape: DecoderShape | None = field(repr=False)
    vocab: Vocabulary | None = field(repr=False)
    grid: tuple[int, int] = (0, 0)
    config: CaptionConfig | None = None


@dataclass(frozen=True)
class Captioner:
    """A trained decoder in eval mode with its vocabulary and the encoder grid it was trained on."""

    decoder: AttendTell
    vocab: Vocabulary
    grid: tuple[int, int]
    layer: str = ENCODER_LAYER


def captioner_from(record: CaptionProgress) -> Captioner:
    """The captioner a ``"training"`` record's weights describe (a new module, eval mode)."""
    if record.state is None or record.shape is None or record.vocab is None:
        from vision_core.errors import BadInput

        raise BadInput("This record holds no trained weights yet (the run is still encoding scenes).")
    decoder = AttendTell(record.shape)
    decoder.load_state_dict(record.state)
    return Captioner(decoder.eval(), record.vocab, record.grid)


def _encode(images, net, chunk_done: Callable[[int], None]) -> Iterator[Features]:
    for start in range(0, len(images), _CHUNK):
        feats = encode_scenes(images[start : start + _CHUNK], net=net)
        chunk_done(start + len(feats.vectors))
        yield feats


def train_captioner(config: CaptionConfig = CaptionConfig(), *, net: torch.nn.Module,
                    should_stop: Callable[[], bool] | None = None) -> Iterator[CaptionProgress]:
    """Train a fresh attention LSTM on generated scenes (see the module docstring). ``net`` is the registry's
    ``efficientnet_lite0``, used frozen."""
    t0 = time.perf_counter()
    stop = should_stop or (lambda: False)
    train = make_scenes(config.train_scenes, "train", config.seed)
    held = make_scenes(config.held_out_scenes, "held-out", config.seed)
    vocab = Vocabulary.from_captions(train.captions)
    guess = most_frequent_caption(train.captions)
    baseline = score_captions([guess] * len(held), held.captions)
    total = len(train) + len(held)
    chunks: list[Features] = []

    def record(phase: str, **kw) -> CaptionProgress:
        base = dict(phase=phase, step=0, total_steps=config.steps, loss=float("nan"), encoded=total, to_encode=total,
                    scores=None, baseline=baseline, baseline_caption=guess, elapsed=time.perf_counter() - t0,
                    encode_seconds=0.0, curve=(), evals=(), state=None, shape=None, vocab=vocab, grid=(0, 0),
                    config=config)
        return CaptionProgress(**{**base, **kw})

    with limited_threads(config.threads):
        both = np.concatenate([train.images, held.images])
        done = [0]
        for feats in _encode(both, net, lambda n: done.__setitem__(0, n)):
            chunks.append(feats)
            yield record("encoding", encoded=done[0])
            if stop():
                return
    vectors = torch.cat([f.vectors for f in chunks])
    grid = chunks[0].grid
    x_train, x_held = vectors[: len(train)], vectors[len(train) :]
    encode_seconds = time.perf_counter() - t0
    tokens = vocab.batch(train.captions)

    shape = DecoderShape(len(vocab), int(vectors.shape[-1]), hidden=config.hidden)
    decoder = seeded(config.seed, lambda: AttendTell(shape))
    decoder.set_feature_stats(x_train)
    opt, schedule = adam_cosine(decoder.parameters(), config.lr, config.steps)
    batches = shuffled_batches(len(train), config.batch_size, torch.Generator().manual_seed(config.seed))
    curve: list[tuple[int, float]] = []
    evals: list[tuple[int, float, float, float]] = []
    scores: CaptionScores | None = None
    for step in range(1, config.steps + 1):
        idx = next(batches)
        batch = tokens[idx]
        width = int((batch != vocab.pad).sum(1).max())
        batch = batch[:, :width]
        with limited_threads(config.threads), torch.enable_grad():
            decoder.train()
            logits, alphas = decoder(x_train[idx], batch)
            loss = caption_loss(logits, alphas, batch, config.doubly_stochastic, vocab.pad)
            descend(opt, loss, clip=5.0)
            schedule.step()
        curve.append((step, float(loss.detach())))
        halt = stop()
        if step % config.eval_every == 0 or step == config.steps or halt:
            decoder.eval()
            with limited_threads(config.threads):
                said = greedy_batch(decoder, x_held, vocab)
            scores = score_captions(said, held.captions)
            evals.append((step, scores.exact, scores.word_accuracy, scores.bleu1))
        yield record("training", step=step, loss=curve[-1][1], scores=scores, encode_seconds=encode_seconds,
                     curve=tuple(curve), evals=tuple(evals), shape=shape, grid=grid,
                     state=weights_copy(decoder))
        if halt:
            return
