"""The captioning page's cached computations, figures and multi-widget views (no maths here).

Compute once, display many times: the generated scene sets per (split, count, seed) and each scene's
encoder features per scene are shared by every session (the app draws them itself, so their keys
start with ``sample:``); this session's trained decoder is rebuilt only when the job reports new
weights; a decoding is kept per (weights, scene, method, beam width) and its attention overlays per
(weights, scene, method, width, opacity), so choosing which word to look at recomputes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui import jobs
from ui.results import cached
from vision_core.captioning import (
    LAYOUTS,
    SIZES,
    CaptionProgress,
    Captioner,
    Decoded,
    Scene,
    SceneSet,
    attention_strip,
    beam_search,
    captioner_from,
    compose_scene,
    encode_scenes,
    greedy,
    make_scenes,
)

_MODEL = "_cap_model"


def scene_set(split: str, n: int, seed: int) -> SceneSet:
    """The ``n`` generated scenes of ``split`` for ``seed`` (drawn once per process)."""
    return cached("caption_scenes", f"sample:caption-{split}", (n, seed), lambda: make_scenes(n, split, seed))


def scene_vectors(scene_key: str, scene: Scene, net: Any):
    """The encoder's ``(L, D)`` feature grid of one generated scene, once per scene (shared: the app drew it)."""
    return cached("caption_features", f"sample:caption-scene:{scene_key}", (),
                  lambda: encode_scenes(scene.image[None], net=net).vectors[0])


def trained_captioner(job: str) -> tuple[Captioner | None, CaptionProgress | None, tuple | None]:
    """This session's latest trained captioner (rebuilt only when the job has new weights), its record and a tag
    naming those weights; (None, record, None) while the run is still encoding, (None, None, None) before."""
    s = jobs.snapshot(job)
    if s is None or s.latest is None:
        return None, None, None
    record: CaptionProgress = s.latest
    if record.state is None:
        return None, record, None
    tag = (s.started, record.step)
    hit = st.session_state.get(_MODEL)
    if hit is None or hit[0] != tag:
        hit = (tag, captioner_from(record))
        st.session_state[_MODEL] = hit
    return hit[1], record, tag


def decoding(captioner: Captioner, tag: tuple, scene_key: str, vectors: Any, method: str, width: int) -> Decoded:
    """Greedy or beam-search decoding of one scene, once per (weights, scene, method, width), in this session."""
    def run() -> Decoded:
        if method == "greedy":
            return greedy(captioner.decoder, vectors, captioner.vocab)
        return beam_search(captioner.decoder, vectors, captioner.vocab, width)

    return cached("caption_decode", f"captioner:{tag}:{scene_key}", (method, width if method != "greedy" else 1), run)


@dataclass(frozen=True)
class AttentionPictures:
    """Each word's attention overlay ``frames[t]`` (``cell`` pixels square) and all of them in one row ``strip``."""

    frames: tuple[Any, ...]
    strip: Any


def attention_pictures(tag: tuple, scene_key: str, scene: Scene, decoded: Decoded, grid: tuple[int, int],
                       opacity: float, cell: int) -> AttentionPictures:
    """Every word's attention overlaid on the scene, once per decoding, opacity and size."""
    def draw() -> AttentionPictures:
        strip = attention_strip(scene.image, decoded.alphas, grid, cols=decoded.steps, cell=cell, opacity=opacity)
        step = strip.cell + strip.gap
        frames = tuple(strip.image[:, t * step : t * step + strip.cell] for t in range(decoded.steps))
        return AttentionPictures(frames, strip.image)

    return cached("caption_attention", f"captioner:{tag}:{scene_key}", (decoded.method, decoded.width, opacity, cell), draw)


def composer() -> tuple[str, Scene]:
    """The student's own scene: two digits, their sizes, the layout, which handwriting and placement."""
    c1, c2, c3, c4, c5 = st.columns([1, 1, 1.4, 1, 1])
    d1 = c1.selectbox("First digit", list(range(10)), index=3, key="cap_d1", bind="query-params")
    s1 = c2.selectbox("its size", list(SIZES), index=0, key="cap_s1", bind="query-params")
    layout = c3.selectbox("Layout", list(LAYOUTS), index=1, key="cap_layout", bind="query-params",
                          help="The caption names the digits in reading order: the left one, or the upper one, first.")
    d2 = c4.selectbox("Second digit", list(range(10)), index=7, key="cap_d2", bind="query-params")
    s2 = c5.selectbox("its size ", list(SIZES), index=1, key="cap_s2", bind="query-params")
    h1, h2 = st.columns(2)
    hand = h1.slider("Handwriting (which held-out MNIST images)", 0, 40, 0, key="cap_hand", bind="query-params")
    place = h2.slider("Placement (sizes and positions)", 0, 40, 0, key="cap_place", bind="query-params")
    key = f"own:{d1}:{s1}:{layout}:{d2}:{s2}:{hand}:{place}"
    scene = cached("caption_composed", f"sample:caption-{key}", (),
                   lambda: compose_scene((int(d1), int(d2)), (str(s1), str(s2)), str(layout), int(hand), int(place)))
    return key, scene


def steps_table(decoded: Decoded, words: Sequence[str]) -> list[dict[str, Any]]:
    """One row per step: the word said, its probability, and the runner-up with its probability."""
    rows = []
    for t, word in enumerate(decoded.words):
        p = decoded.probs[t]
        ranked = sorted(range(len(p)), key=lambda i: -float(p[i]))
        said = words.index(word)
        other = next(i for i in ranked if i != said)
        rows.append({"step": t + 1, "word": word, "p(word)": float(p[said]), "runner-up": words[other],
                     "p(runner-up)": float(p[other])})
    return rows


def training_figure(record: CaptionProgress) -> go.Figure:
    """Loss per step (left) and the held-out scores of greedy captions against the baseline's (right)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Cross-entropy of the next word (per step)",
                                                        "Held-out scenes, greedy captions (%)"))
    if record.curve:
        steps, loss = zip(*record.curve)
        fig.add_trace(go.Scatter(x=steps, y=loss, mode="lines", name="loss"), 1, 1)
    if record.evals:
        at, exact, word, bleu = zip(*record.evals)
        for values, name in ((exact, "exact caption"), (word, "word accuracy"), (bleu, "BLEU-1")):
            fig.add_trace(go.Scatter(x=at, y=[100 * v for v in values], mode="lines+markers", name=name), 1, 2)
    b = record.baseline
    fig.add_hline(y=100 * b.word_accuracy, line_dash="dot", line_color="grey", row=1, col=2,
                  annotation_text=f"baseline word accuracy {b.word_accuracy:.0%}")
    fig.update_xaxes(title_text="step (mini-batch)", range=[0, record.total_steps * 1.02])
    fig.update_yaxes(range=[0, 101], row=1, col=2)
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def top_words_figure(pairs: Sequence[tuple[str, float]], chosen: str) -> go.Figure:
    """The most probable next words at one step, the one said in orange."""
    words, probs = [w for w, _ in pairs][::-1], [p for _, p in pairs][::-1]
    colours = ["#ff7f0e" if w == chosen else "#1f77b4" for w in words]
    fig = go.Figure(go.Bar(x=probs, y=words, orientation="h", marker_color=colours,
                           text=[f"{p:.1%}" for p in probs], textposition="auto"))
    fig.update_layout(height=max(180, 30 * len(words) + 60), xaxis=dict(range=[0, 1], tickformat=".0%"),
                      yaxis=dict(type="category"), margin=dict(l=10, r=10, t=10, b=10))
    return fig
