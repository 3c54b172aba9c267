"""Image captioning: a CNN encoder and an LSTM decoder with attention, trained live on scenes the app draws."""

from __future__ import annotations

import streamlit as st

from ui import jobs, training_panel
from ui.captioning_views import (
    attention_pictures,
    composer,
    decoding,
    scene_set,
    scene_vectors,
    steps_table,
    top_words_figure,
    trained_captioner,
    training_figure,
)
from ui.common import friendly_errors, page_header
from ui.models import require_model
from ui.results import cached
from ui.tray import current_image
from vision_core.captioning import ENCODER, CaptionConfig, caption_photo, encoder_preprocessing, top_words, train_captioner

JOB = "cap_train"
TIME_LIMIT = 300.0

page_header(
    "💬 Image captioning",
    "Beyond classification · 000 “Scene description”, “Automatic captioning” · 003 “Image Captioning using RNNs”",
    "The lecture's *architecture for many applications*, once more: a CNN looks at the image and a recurrent "
    "network says what it sees, one word at a time (“The cat is in the grass.”). Here the **encoder** is the "
    "embedded EfficientNet-Lite0 (ImageNet weights, frozen) and the **decoder** an LSTM with soft attention, as "
    "in *Show, Attend and Tell* (Xu et al. 2015): before each word it weighs the regions of the image.\n\n"
    "**This is a toy.** It is trained here, live, on scenes of two handwritten digits that the app draws "
    "itself, and it knows only the words of their captions. It does not caption photos; section 4 does, with "
    "a real captioner, when this machine has one.",
)


def the_scenes() -> None:
    """Section 1: what the training scenes and their template captions look like."""
    st.subheader("1 · The scenes: two MNIST digits and a caption from a template")
    st.markdown("Each scene is 96×96 pixels with two digits, each **small** (18–24 px) or **large** (34–42 px), "
                "side by side or one above the other. The caption follows one template, naming the digits in reading "
                "order: `a {small|large} {0–9} {left of|above} a {small|large} {0–9}`. Held-out scenes use "
                "handwriting (MNIST images) that training never sees.")
    with friendly_errors():
        shown = scene_set("train", 8, 0)
        st.image([shown.images[i] for i in range(8)], caption=list(shown.captions), width=150)


def training_controls(encoder) -> None:
    """Section 2's settings and the Train / Stop buttons (the run is a background job of this session)."""
    st.subheader("2 · Train the decoder (the encoder stays frozen)")
    c1, c2, c3, c4 = st.columns(4)
    n = c1.selectbox("Training scenes", [300, 600, 1000, 1500, 2000], index=3, key="cap_n", bind="query-params")
    steps = c2.slider("Steps (batches of 64)", 20, 1000, 500, 10, key="cap_steps", bind="query-params")
    lam = c3.selectbox("Attention regulariser λ", [0.0, 0.1, 1.0], index=0, key="cap_lambda", bind="query-params",
                       help="Show, Attend and Tell's doubly stochastic term λ·Σᵢ(1 − Σₜ αₜᵢ)²: every region "
                            "should get its share of attention over the caption.")
    seed = c4.number_input("Seed", 0, 9999, 0, key="cap_seed", bind="query-params")
    st.caption(f"Encoder input: {encoder_preprocessing(96).text}; features of block 10: a 6×6 grid of 112 numbers "
               f"per region, computed once per scene. Each run stops by itself after {TIME_LIMIT:.0f} s.")

    def run():
        config = CaptionConfig(train_scenes=int(n), steps=int(steps), doubly_stochastic=float(lam), seed=int(seed))
        return lambda stop: train_captioner(config, net=encoder, should_stop=stop.is_set)

    training_panel.train_buttons(JOB, "cap", run, TIME_LIMIT, disabled=encoder is None)


def live_training(s: jobs.JobSnapshot, r) -> None:
    """Loss, held-out scores and the baseline of this session's run (inside ``training_panel.live``'s fragment)."""
    if r.phase == "encoding":
        st.progress(r.encoded / r.to_encode, text=f"Encoder: {r.encoded} of {r.to_encode} scenes through "
                                                  f"EfficientNet-Lite0 ({s.elapsed:.0f} s)")
        return
    m = st.columns(5)
    m[0].metric("Step", f"{r.step} / {r.total_steps}")
    m[1].metric("Loss", f"{r.loss:.3f}")
    if r.scores is not None:
        m[2].metric("Exact captions", f"{r.scores.exact:.1%}", help=f"{r.scores.n} held-out scenes")
        m[3].metric("Held-out word accuracy", f"{r.scores.word_accuracy:.1%}", f"BLEU-1 {r.scores.bleu1:.2f}",
                    delta_color="off", delta_arrow="off")
    m[4].metric("Time", f"{s.elapsed:.0f} s", help=f"encoding {r.encode_seconds:.0f} s; status: {s.status}")
    b = r.baseline
    st.caption(f"Baseline: always say the most frequent training caption, “{r.baseline_caption}”: "
               f"exact {b.exact:.1%}, word accuracy {b.word_accuracy:.1%}, BLEU-1 {b.bleu1:.2f}.")
    st.plotly_chart(training_figure(r), key="cap_curves")
    if not s.running:
        st.success(f"{training_panel.ended(s.status, TIME_LIMIT)} {r.step} steps in {s.elapsed:.0f} s.")


def pick_scene(record) -> tuple[str, object]:
    """The scene to caption: a held-out scene of the run, or one the student composes."""
    source = st.segmented_control("Scene", ["Held-out scene", "Compose your own"], default="Held-out scene",
                                  key="cap_src", bind="query-params", required=True) or "Held-out scene"
    if source == "Compose your own":
        return composer()
    cfg = record.config
    held = scene_set("held-out", cfg.held_out_scenes, cfg.seed)
    i = int(st.number_input("Held-out scene number", 0, len(held) - 1, 0, key="cap_scene", bind="query-params"))
    return f"held-out:{cfg.held_out_scenes}:{cfg.seed}:{i}", held.scene(i)


def decode_section(encoder) -> None:
    """Section 3: greedy or beam-search decoding, word by word, with probabilities and attention maps."""
    captioner, record, tag = trained_captioner(JOB)
    if not training_panel.weights_section("3 · Decode word by word", captioner, record,
                                          "Train the decoder first (section 2); then watch it caption a scene word "
                                          "by word here."):
        return
    key, scene = pick_scene(record)
    c1, c2 = st.columns([1, 2])
    method = c1.segmented_control("Decoding", ["greedy", "beam search"], default="greedy", key="cap_method",
                                  bind="query-params", required=True) or "greedy"
    width = c2.slider("Beam width", 1, 8, 3, key="cap_width", bind="query-params", disabled=method == "greedy",
                      help="How many partial captions are kept at each step; 1 is greedy decoding.")
    with friendly_errors():
        vectors = scene_vectors(key, scene, encoder)
        decoded = decoding(captioner, tag, key, vectors, method, int(width))
        said_right = decoded.caption == scene.caption
        st.markdown(f"### “{decoded.caption}” {'✅' if said_right else '❌'}")
        st.caption(f"The template's caption: “{scene.caption}”. Log-probability of the caption {decoded.log_prob:.2f}.")
        if method == "beam search":
            st.dataframe([{"caption": c, "log p": round(lp, 3)} for c, lp in decoded.beams], hide_index=True,
                         width="content")
        words = decoded.words
        step = st.select_slider("Word", options=list(range(len(words))), format_func=lambda t: f"{t + 1}: {words[t]}",
                                key="cap_word_" + "_".join(words))
        maps = attention_pictures(tag, key, scene, decoded, captioner.grid, 0.6, 144)
        left, right = st.columns([1, 1])
        right.image(maps.frames[step], width=288,
                    caption=f"Where it looked before saying “{words[step]}” (α over the 6×6 regions, yellow = most)")
        left.plotly_chart(top_words_figure(top_words(decoded, step, captioner.vocab, 5), words[step]), key="cap_top")
        st.image(maps.strip, caption="Every word's attention map, in order: " + " · ".join(words))
        st.dataframe(steps_table(decoded, captioner.vocab.words), hide_index=True, width="content")


def real_captioner() -> None:
    """Section 4: BLIP on the tray photo when this machine has it; otherwise what is missing, and no caption."""
    st.divider()
    st.subheader("4 · A real captioner on your photo")
    st.markdown("BLIP base (Salesforce, 2022: a ViT encoder and a transformer decoder trained on millions of "
                "captioned photos) is an optional extra: it needs the `transformers` package and about 990 MB of "
                "weights from the Hugging Face hub. Without them this section shows no caption at all.")
    blip = require_model("blip_base")
    if blip is None:
        return
    item = current_image()
    beams = st.slider("Beams", 1, 5, 3, key="cap_beams", bind="query-params")
    with friendly_errors():
        said = cached("blip_caption", item.key, (int(beams),), lambda: caption_photo(item.image, net=blip, beams=int(beams)))
        st.image(item.image, caption=item.label, width=360)
        st.markdown(f"### “{said.text}”")
        st.caption(f"BLIP base, beam search with {said.beams} beams, {said.seconds:.1f} s.")


encoder_net = require_model(ENCODER)
the_scenes()
training_controls(encoder_net)
training_panel.live(JOB, live_training, waiting="Press **Train**: the loss and the held-out scores appear here (about a "
                    "minute or two on this CPU).", starting="Starting… (drawing the scenes)")  # after the buttons
if encoder_net is not None:
    decode_section(encoder_net)
real_captioner()
