"""The style transfer page's three views: Gatys (a background run you watch), fast style and arbitrary style.

Each view reads its widgets, calls vision_core.style through the cached calls in ``ui.style_plots`` and
renders. Widget keys are the page's URL parameters (``nst_…``).
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import streamlit as st

from ui import challenge_panel, jobs
from ui.common import friendly_errors
from ui.models import is_available, render_missing, require_model
from ui.style_plots import arbitrary, fast, gram_figure, latest_image, layer_view, loss_figure, offline_style, thumbnails
from ui.tray import TrayImage
from vision_core.errors import BadInput, ImageError
from vision_core.io.images import UPLOAD_TYPES, load_image, to_png_bytes
from vision_core.style import DEFAULT_CONTENT_LAYER, NETWORKS, NUM_STYLES, STYLE_CHOICES, blend_weights, gatys, vgg_layer_names

JOB = "nst_gatys"
UPLOAD = "Upload your own"
FALLBACK_STYLE = "hubble_deep_field"
RATIOS = ["1e-8", "1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2"]
SIZES = [64, 96, 128, 192, 256, 384, 512]
TIME_LIMIT = 300.0


def choose_style(sess26: Any) -> tuple[np.ndarray, str, str]:
    """The style image (offline choice or upload, never written to disk), its label and its results key."""
    c1, c2 = st.columns([2, 3])
    name = c1.selectbox(
        "Style image S", [*STYLE_CHOICES, UPLOAD], index=0, key="nst_style", bind="query-params",
        help="scikit-image textures, the coffee sample painted by a fast style (painted_N), or your own painting.",
    )
    if name == UPLOAD:
        up = c2.file_uploader("Your style image (stays in this session)", type=list(UPLOAD_TYPES), key="nst_style_upload")
        if up is not None and st.session_state.get("_nst_upload_id") != up.file_id:
            try:
                st.session_state["_nst_upload"] = (load_image(up.getvalue(), max_side=1024), up.name, up.file_id)
                st.session_state["_nst_upload_id"] = up.file_id
            except ImageError as exc:
                c2.error(str(exc), icon="🚫")
        stored = st.session_state.get("_nst_upload")
        if stored is None:
            c2.info("Upload a painting to use it as the style; meanwhile the Hubble deep field is used.")
            return offline_style(FALLBACK_STYLE, sess26), FALLBACK_STYLE, f"sample:style:{FALLBACK_STYLE}"
        return stored[0], stored[1], f"upload:style:{stored[2]}"
    if name.startswith("painted_") and sess26 is None:
        c2.warning("The fast style network is missing, so painted styles are unavailable; using the Hubble deep field.")
        name = FALLBACK_STYLE
    with friendly_errors():
        image = offline_style(name, sess26)
        c2.image(image, caption=f"S: {name}", width=220)
        return image, name, f"sample:style:{name}"
    return offline_style(FALLBACK_STYLE, None), FALLBACK_STYLE, f"sample:style:{FALLBACK_STYLE}"


def _feature_network(column: Any) -> tuple[str, Any]:
    """The chosen feature network (VGG-16 meanwhile when VGG-19 is not downloaded) and the loaded model."""
    network = column.selectbox("Feature network", list(NETWORKS), key="nst_net", bind="query-params",
                               help="VGG-16 ships with the app; VGG-19 (Gatys' choice) is a torchvision download.")
    if network == "vgg19" and not is_available(NETWORKS["vgg19"]):
        with column:
            render_missing(NETWORKS["vgg19"])
        st.info("VGG-19 is not on this machine, so the embedded VGG-16 is used meanwhile.", icon="ℹ️")
        network = "vgg16"
    return network, require_model(NETWORKS[network])


def gatys_view(tray: TrayImage, sess26: Any) -> None:
    """Settings, start/stop, the live run and, once it has finished, what the loss compares."""
    style, style_label, _ = choose_style(sess26)
    snap = jobs.snapshot(JOB)
    running = snap is not None and snap.running
    st.markdown(
        "G starts from noise (or C, or S) and gradient descent changes its **pixels** to lower "
        r"$J(G) = \alpha J_{content}(C, G) + \beta J_{style}(S, G)$ on VGG features: $J_{content}$ compares "
        r"one layer's activations $a^{[l]}(C)$ and $a^{[l]}(G)$; $J_{style}$ compares the Gram matrices "
        r"$M^{[l]}$ (channel correlations) of several layers, weighted by $\lambda^{[l]}$."
    )
    c1, c2, c3, c4 = st.columns(4)
    network, model = _feature_network(c1)
    convs = list(vgg_layer_names(network))
    ratio = c2.select_slider("Style/content ratio β/α", RATIOS, value="1e-5", key="nst_ratio", bind="query-params",
                             help="α = 1; larger β paints more style, smaller keeps more content.")
    content_layer = c3.selectbox("Content layer l", convs, index=convs.index(DEFAULT_CONTENT_LAYER),
                                 key="nst_content_layer", bind="query-params")
    init = c4.radio("Initialise G with", ["noise", "content", "style"], key="nst_init", bind="query-params",
                    horizontal=True)
    st.caption("Style layers and their weights λ (0 leaves a layer out):")
    lcols = st.columns(5)
    lambdas = {f"block{b}_conv1": lcols[b - 1].slider(f"λ block{b}_conv1", 0.0, 1.0, 0.2, 0.05, key=f"nst_l{b}",
                                                       bind="query-params") for b in range(1, 6)}
    d1, d2, d3, d4 = st.columns(4)
    optimizer = d1.radio("Optimiser", ["adam", "lbfgs"], key="nst_opt", bind="query-params", horizontal=True)
    steps = d2.slider("Iterations", 10, 500, 100, 10, key="nst_steps", bind="query-params")
    size = d3.select_slider("Output size (long side, px)", SIZES, value=128, key="nst_size", bind="query-params",
                            help="On a CPU, 128 px takes about 0.1 s per iteration, 256 px about 0.4 s.")
    every = d4.slider("Show the image every k iterations", 1, 50, 10, key="nst_every", bind="query-params")
    alpha, beta = 1.0, float(ratio)

    b1, b2, b3 = st.columns([1, 1, 4])
    if b1.button("▶ Start", type="primary", disabled=running or model is None, key="nst_start"):
        try:
            run_gen = gatys(tray.image, style, net=model, steps=steps, size=size, alpha=alpha, beta=beta,
                            content_layer=content_layer, style_layers=lambdas, init=init, optimizer=optimizer,
                            every=every, network=network, threads=1)
            jobs.start(JOB, lambda stop, g=run_gen: g, time_limit=TIME_LIMIT)
            st.session_state["_nst_run"] = {"alpha": alpha, "beta": beta, "style": style, "content": tray.image,
                                            "network": network, "label": f"{tray.label} × {style_label}",
                                            "steps": steps, "id": uuid.uuid4().hex}
            running = True
        except (ValueError, jobs.JobRefused) as exc:
            st.error(str(exc), icon="⚠️")
    if b2.button("■ Stop", disabled=not running, key="nst_stop"):
        jobs.stop(JOB)
    b3.caption(f"One run per session, stopped after {TIME_LIMIT:.0f} s. Other pages stay usable meanwhile.")
    live_view(running)
    result_view()


def live_view(running: bool) -> None:
    """The run as it goes, refreshed every 1.5 s only while it is alive; the page reruns once when it ends."""

    @st.fragment(run_every=1.5 if running else None)
    def live() -> None:
        snap = jobs.snapshot(JOB)
        run = st.session_state.get("_nst_run")
        if snap is None or run is None:
            st.info("Press **Start** to watch G change. Try noise init with Adam first, then L-BFGS.", icon="👆")
            return
        if snap.status == "queued":
            st.info(jobs.describe(snap), icon="⏳")
            return
        history = snap.history
        shown = latest_image(history)
        last = history[-1] if history else None
        left, right = st.columns([2, 3])
        with left:
            if shown is not None:
                st.image(shown.image, caption=f"G at iteration {shown.step} · {run['label']}", width="stretch")
            rate = (last.step / snap.elapsed) if last is not None and snap.elapsed > 0 else 0.0
            st.caption(f"Status: **{snap.status}** · iteration {last.step if last else 0} of {run['steps']} · "
                       f"{snap.elapsed:.1f} s · {rate:.2f} iterations/s")
            if snap.error:
                st.error(snap.error, icon="⚠️")
        with right:
            if len(history) > 1:
                st.plotly_chart(loss_figure(history, run["alpha"], run["beta"]), key="nst_loss_chart")
            if last is not None:
                st.caption(f"J_content = {last.losses.content:.4g}, J_style = {last.losses.style:.4g}, "
                           f"J(G) = {last.losses.total:.4g}")
        if last is not None and len(history) > 1:
            challenge_panel.score("style_transfer", {"style_losses": [h.losses.style for h in history],
                                                      "steps": int(last.step)}, inline=True)
        if running and not snap.running:
            st.rerun()

    live()


def result_view() -> None:
    """The finished G to download, and the Gram matrices and feature maps at a chosen layer."""
    snap = jobs.snapshot(JOB)
    run = st.session_state.get("_nst_run")
    if snap is None or snap.running or run is None:
        return
    final = latest_image(snap.history)
    if final is None:
        return
    st.download_button("⬇ Download G (PNG)", to_png_bytes(final.image), file_name="style_transfer.png",
                       mime="image/png", key="nst_download")
    st.subheader("What the loss compares")
    layer = st.selectbox("Layer", list(vgg_layer_names(run["network"])), index=0, key="nst_gram_layer",
                         bind="query-params")
    net = require_model(NETWORKS[run["network"]])
    if net is None:
        return
    with friendly_errors():
        view = layer_view(run, final.image, layer, net)
        st.plotly_chart(gram_figure(view), key="nst_gram_chart")
        st.caption(f"{layer}: {view.shape[0]} channels of {view.shape[1]}×{view.shape[2]}; the first "
                   f"{view.gram_style.shape[0]} are shown. Style distance ¼·mean((M(S) − M(G))²) = "
                   f"{view.style_distance:.4g}.")
        st.markdown("**Feature maps the content loss compares** (most active channels on C; top: C, "
                    f"bottom: G; content distance {view.content_distance:.4g})")
        caps = [f"channel {c}" for c in view.channels_shown]
        st.image(list(view.maps_content), caption=caps, width=110, clamp=True)
        st.image(list(view.maps_generated), caption=caps, width=110, clamp=True)


def _mix_picker() -> np.ndarray | None:
    """Up to three styles and weights → the normalised 26-weight mix, or None (with a sentence) when empty."""
    options = ["none", *[str(i) for i in range(NUM_STYLES)]]
    chosen: dict[int, float] = {}
    defaults = (("3", 1.0), ("none", 0.5), ("none", 0.5))
    for n, (col, (d_style, d_weight)) in enumerate(zip(st.columns(3), defaults), start=1):
        s = col.selectbox(f"Style {n}", options, index=options.index(d_style), key=f"nst_fs{n}", bind="query-params")
        w = col.slider(f"Weight {n}", 0.0, 1.0, d_weight, 0.05, key=f"nst_fw{n}", bind="query-params")
        if s != "none":
            chosen[int(s)] = chosen.get(int(s), 0.0) + w
    try:
        mix = blend_weights(chosen) if chosen else None
    except BadInput as exc:
        st.warning(str(exc))
        mix = None
    if mix is None:
        st.info("Pick at least one style with a weight above zero.")
    return mix


def fast_view(tray: TrayImage, sess26: Any) -> None:
    """The 26 styles as thumbnails, a blend of up to three, the photo painted in one pass."""
    st.markdown(
        "**Johnson et al.** train one feed-forward network per style with a perceptual (VGG) loss, so a "
        "photo is painted in one pass. **Conditional instance norm** (Dumoulin et al.) keeps one network "
        "for many styles: only the per-style scale and shift of each normalisation layer change, so styles "
        "can be blended. **Arbitrary style** (Ghiasi et al.) predicts those scales and shifts from any "
        "style image."
    )
    if sess26 is None:
        st.warning("The fast style network is not on this machine; fetch it above.")
        return
    thumbs = thumbnails(sess26)
    for row in range(2):
        for j, col in enumerate(st.columns(13)):
            col.image(thumbs[row * 13 + j], caption=f"style {row * 13 + j}", width="stretch")
    st.caption("Each thumbnail is the chelsea sample painted with that style. Blend up to three:")
    mix = _mix_picker()
    if mix is not None:
        with friendly_errors():
            result = fast(tray.key, tray.image, tuple(float(v) for v in mix), sess26)
            a, b = st.columns(2)
            a.image(tray.image, caption=f"C: {tray.label}", width="stretch")
            blend_text = " + ".join(f"{mix[i]:.2f}·style {i}" for i in range(NUM_STYLES) if mix[i] > 0)
            b.image(result.image, caption=blend_text, width="stretch")
            h, w = result.image.shape[:2]
            st.metric("Time per image", f"{result.seconds * 1000:.0f} ms", help=f"{w}×{h} px on {result.provider}")
            st.download_button("⬇ Download (PNG)", to_png_bytes(result.image), file_name="fast_style.png",
                               mime="image/png", key="nst_fast_download")
    st.caption("Real time on camera shots: choose **Camera** in the tray and take a photo.")


def arbitrary_view(tray: TrayImage, sess26: Any) -> None:
    """Any style image through the predictor and the transformer, with a strength slider."""
    st.markdown(
        "A style **predictor** (a MobileNet) turns any style image into 100 numbers; the **transformer** "
        "paints the photo with them. Strength interpolates between the photo's own style vector (0) and "
        "the style image's (1)."
    )
    style, style_label, style_key = choose_style(sess26)
    strength = st.slider("Style strength", 0.0, 1.0, 1.0, 0.05, key="nst_strength", bind="query-params")
    pred = require_model("style_arbitrary_predict")
    trans = require_model("style_arbitrary_transform")
    if pred is None or trans is None:
        return
    with friendly_errors():
        result = arbitrary(tray.key, style_key, tray.image, style, float(strength), pred, trans)
        a, b, c = st.columns(3)
        a.image(tray.image, caption=f"C: {tray.label}", width="stretch")
        b.image(style, caption=f"S: {style_label}", width="stretch")
        c.image(result.image, caption=f"G, strength {strength:.2f}", width="stretch")
        st.metric("Time per image (both networks)", f"{result.seconds * 1000:.0f} ms",
                  help=f"on {result.provider}; the transformer works at 384 px")
        st.download_button("⬇ Download (PNG)", to_png_bytes(result.image), file_name="arbitrary_style.png",
                           mime="image/png", key="nst_arb_download")
