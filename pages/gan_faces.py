"""GAN face sampler: faces that do not exist, latent walks, arithmetic, truncation and directions.

Faces are drawn once per setting (``ui.gan_ui``); display size and upscaling only change how they are shown."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import gan_ui
from ui.common import page_header
from ui.models import require_model
from vision_core.errors import BadInput
from vision_core.generative import faces as gan

Kept = list[tuple[int, int]]


def objective_view() -> None:
    """The GAN objective and its conditional form, term by term."""
    with st.expander("The objective, term by term", expanded=False):
        st.latex(r"\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_{data}(x)}[\log D(x)] + \mathbb{E}_{z \sim p_z(z)}[\log(1 - D(G(z)))]")
        st.markdown(
            "- $D(x)$: the discriminator's probability that a real photo $x$ is real; $D$ wants it near 1.\n"
            "- $G(z)$: the generator's image from noise $z$; $D(G(z))$ is how real $D$ thinks the fake is.\n"
            "- $\\log(1 - D(G(z)))$: $D$ pushes it up by spotting fakes, $G$ pushes it down by fooling $D$.\n"
            "- $\\max_D$ then $\\min_G$: a two-player game; at equilibrium $D$ outputs ½ everywhere."
        )
        st.markdown("The **conditional** GAN gives both players a label $y$ (e.g. the digit to draw):")
        st.latex(r"\min_G \max_D V(D, G) = \mathbb{E}_{x}[\log D(x \mid y)] + \mathbb{E}_{z}[\log(1 - D(G(z \mid y)))]")


def kept_from_link() -> Kept:
    """The kept faces of this session, read once from the link's ``gan_keep``."""
    if "gan_kept" not in st.session_state:
        try:
            st.session_state["gan_kept"] = gan.parse_kept(st.query_params.get("gan_keep", ""))
        except BadInput as exc:
            st.session_state["gan_kept"] = []
            st.warning(f"The shared link's kept faces were ignored: {exc}")
    return st.session_state["gan_kept"]


def sampler_view(model: Any, kept: Kept) -> str:
    """The seeded grid, the keep picker (written to the link); returns the upscaling filter."""
    c1, c2, c3, c4 = st.columns(4)
    seed = int(c1.number_input("Seed", 0, 2**31 - 1, 42, 1, key="gan_seed", bind="query-params"))
    n = int(c2.slider("Faces", 1, 64, 16, key="gan_n", bind="query-params"))
    trunc = float(c3.slider("Truncation ψ", 0.1, 1.0, 1.0, 0.05, key="gan_trunc", bind="query-params",
                            help="Scales z toward the mean latent: lower = more typical faces, less variety."))
    size = int(c4.select_slider("Display size", [64, 96, 128, 192, 256], 128, key="gan_size", bind="query-params"))
    resample = st.radio("Upscaling", ["nearest", "lanczos"], horizontal=True, key="gan_resample", bind="query-params",
                        help="Nearest shows the true 64×64 pixels; Lanczos smooths them.")
    faces = gan_ui.sampled(n, seed, trunc, model)
    st.image(list(gan.upscale(faces, size, resample)), caption=[f"#{i}" for i in range(n)], width=size)
    st.caption(f"True size: 64×64 pixels each, shown at {size}×{size} ({resample}). Same seed → same faces on any device.")
    pick = st.pills("Keep faces (they persist in this session and in the link)", list(range(n)),
                    selection_mode="multi", format_func=lambda i: f"#{i}", key=f"gan_pick_{seed}_{n}")
    for i in pick or []:
        if (seed, i) not in kept:
            kept.append((seed, i))
    if kept:
        st.query_params["gan_keep"] = gan.format_kept(kept)
    elif "gan_keep" in st.query_params:
        del st.query_params["gan_keep"]
    return resample


def walk_view(model: Any, kept: Kept, labels: list[str], resample: str) -> None:
    """Frames between two kept faces, slerp or linear, and the GIF."""
    if len(kept) < 2:
        st.info("Keep a second face to walk between two faces.")
        return
    w1, w2, w3, w4 = st.columns(4)
    a = w1.selectbox("From", labels, 0, key="gan_walk_a")
    b = w2.selectbox("To", labels, 1, key="gan_walk_b")
    steps = int(w3.slider("Steps", 2, 32, 8, key="gan_walk_steps"))
    method = w4.radio("Path", ["slerp", "linear"], key="gan_walk_method",
                      help="slerp follows the sphere where N(0, I) latents live; linear cuts through the middle.")
    frames = gan_ui.walked(kept[labels.index(a)], kept[labels.index(b)], steps, method, model)
    st.image(list(gan.upscale(frames, 96, resample)), caption=[f"t={k / (steps - 1):.2f}" for k in range(steps)], width=96)
    st.download_button("Download the walk as an animated GIF", gan.interpolation_gif(frames),
                       file_name=f"walk_{a}_{b}_{method}.gif".replace(":", "-"), mime="image/gif")


def arithmetic_view(model: Any, kept: Kept, labels: list[str], resample: str) -> None:
    """a − b + c on three kept faces."""
    if len(kept) < 3:
        st.info("Keep three faces for a − b + c (e.g. smiling woman − neutral woman + neutral man).")
        return
    x1, x2, x3 = st.columns(3)
    picked = [kept[labels.index(col.selectbox(name, labels, i, key=key))]
              for i, (col, name, key) in enumerate(((x1, "a", "gan_ar_a"), (x2, "− b", "gan_ar_b"), (x3, "+ c", "gan_ar_c")))]
    result = gan_ui.arithmetic(*picked, model)
    st.image(list(gan.upscale(gan_ui.kept(picked, model), 128, resample)) + [gan.upscale(result, 128, resample)],
             caption=["a", "b", "c", "a − b + c"], width=128)


def directions_view(model: Any, kept: Kept, labels: list[str], resample: str) -> None:
    """Sliders along the generator's principal latent directions."""
    st.markdown("Principal components of the generator's first-layer features over 2000 random faces, "
                "mapped back to latent directions (GANSpace). Each slider moves the face along one of them.")
    dirs = gan_ui.latent_directions(model)
    base = st.selectbox("Face", labels, 0, key="gan_dir_base")
    cols = st.columns(len(dirs.directions))
    coeffs = [cols[k].slider(f"PC{k + 1} ({dirs.explained[k]:.0%})", -3.0, 3.0, 0.0, 0.25, key=f"gan_pc{k}")
              for k in range(len(dirs.directions))]
    st.image(gan.upscale(gan_ui.steered(kept[labels.index(base)], coeffs, model), 256, resample), width=256)


page_header(
    "🎲 GAN face sampler",
    "GANs — min_G max_D V(D, G); “These faces do not exist” (lecture 000); GAN outline (lecture 002)",
    "A generator network turns 100 random numbers **z** into a face. Pick a seed to draw a grid, keep the faces "
    "you like, then walk between them, do arithmetic on their latents, or turn the truncation knob.",
)
st.caption(f"⚖️ {gan.LICENCE_NOTE} Source: PyPI gan-face-generate 1.1.1 (PyTorch DCGAN tutorial generator).")
objective_view()

model = require_model("dcgan_faces")
if model is None:
    st.stop()
kept = kept_from_link()
resample = sampler_view(model, kept)

st.subheader("Kept faces")
if not kept:
    st.info("Keep at least two faces to walk between them and three to do latent arithmetic.")
    st.stop()
labels = [f"{s}:{i}" for s, i in kept]
st.image(list(gan.upscale(gan_ui.kept(kept, model), 96, resample)), caption=labels, width=96)
if st.button("Forget kept faces", key="gan_forget"):
    st.session_state["gan_kept"] = []
    st.rerun()

walk_tab, arith_tab, dir_tab = st.tabs(["Latent walk", "Latent arithmetic", "Principal directions"])
with walk_tab:
    walk_view(model, kept, labels, resample)
with arith_tab:
    arithmetic_view(model, kept, labels, resample)
with dir_tab:
    directions_view(model, kept, labels, resample)
