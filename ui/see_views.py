"""The views of "Inside the network": filters, feature maps, attributions (occlusion, Grad-CAM, saliency) and what
one neuron wants. Each function draws one view for the tray photo; results come from ``ui.see_plots`` (computed
once per photo and setting) and long work from the job queue."""

from __future__ import annotations

import math

import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from ui import challenge_panel
from ui.agreement_plots import map_agreement, matrix_figure
from ui.common import friendly_errors
from ui.models import require_model
from ui.see_plots import (
    activation_curve,
    attribution,
    dream,
    filters,
    maps,
    neuron_patches,
    neuron_reconstruction,
    occluded,
)
from ui.tray import TrayImage
from vision_core.classify import CLASSIFIERS
from vision_core.models import get_spec
from vision_core.see import (
    CLASS_OPTIONS,
    VISUAL_MODELS,
    channel_count,
    channel_image,
    feature_grid,
    feature_layers,
    neuron_layers,
    occlusion_passes,
    option_target,
    overlay_heatmap,
    overlap_picture,
    patch_grid,
)


def filters_view(tray: TrayImage) -> None:
    """The first-layer filters of both embedded networks."""
    st.markdown(
        "Each tile is one 3×3 filter of the **first** convolution, its three input channels shown as R, G, B "
        "(each filter scaled on its own: grey = 0). Like the lecture's VGG filters, they are colour blobs and "
        "little edge detectors: what the first layer looks for everywhere in the photo."
    )
    cols = st.columns(2)
    for col, name in zip(cols, VISUAL_MODELS):
        with col:
            st.markdown(f"**{VISUAL_MODELS[name]}**")
            net = require_model(name)
            if net is None:
                continue
            with friendly_errors():
                grid = filters(name, net)
                n, _, k, _ = grid.weights.shape
                st.image(grid.grid.image, caption=f"{grid.layer}: {n} filters of {k}×{k}×3", width="stretch")


def feature_maps_view(tray: TrayImage) -> None:
    """Any layer's feature maps for the tray photo; click a tile to enlarge a channel."""
    c1, c2 = st.columns([1, 2])
    net_name = c1.selectbox("Network", list(VISUAL_MODELS), key="ins_net", bind="query-params") or "efficientnet_lite0"
    layers = feature_layers(net_name)
    keys = [layer.key for layer in layers]
    layer_key = c2.select_slider("Layer (input → output)", keys, value=keys[0], key="ins_layer", bind="query-params")
    if layer_key not in keys:
        layer_key = keys[0]
    net = require_model(net_name)
    if net is not None:
        with friendly_errors():
            fm = maps(tray.key, tray.image, net_name, layer_key, net)
            order = [int(c) for c in fm.ranked()[:32]]
            grid = feature_grid(fm, order)
            st.caption(
                f"**{layer_key}** — {fm.layer.description}. {len(fm.maps)} channels; the {len(order)} most active "
                "are shown, strongest first, each on its own colour scale (dark = low, yellow = high). "
                "Low layers respond to edges and colours, deeper ones to larger parts."
            )
            left, right = st.columns([3, 2])
            with left:
                click = streamlit_image_coordinates(grid.image, key="ins_grid_click", width="stretch")
                st.caption("Click a tile to enlarge it.")
            if click and click != st.session_state.get("_ins_last_click"):
                st.session_state["_ins_last_click"] = click
                scale = grid.image.shape[1] / max(float(click.get("width") or grid.image.shape[1]), 1.0)
                hit = grid.index_at(click["x"] * scale, click["y"] * scale)
                if hit is not None:
                    st.session_state["ins_ch"] = order[hit]
            if int(st.session_state.get("ins_ch", order[0])) >= len(fm.maps):
                st.session_state["ins_ch"] = order[0]
            with right:
                ch = int(st.number_input("Channel", 0, len(fm.maps) - 1, order[0], key="ins_ch", bind="query-params"))
                st.image(channel_image(fm, ch), caption=f"{layer_key}, channel {ch}: "
                         f"min {fm.maps[ch].min():.2f}, max {fm.maps[ch].max():.2f}, size {fm.maps.shape[2]}×{fm.maps.shape[1]}",
                         width="stretch")
                st.image(fm.crop, caption="The 224×224 crop the network saw", width=200)


def attribution_view(tray: TrayImage, view: str) -> None:
    """Occlusion, Grad-CAM or saliency for a chosen class, and one grey square placed by hand."""
    method = {"Occlusion": "occlusion", "Grad-CAM": "grad-cam", "Saliency": "saliency"}[view]
    c1, c2, c3 = st.columns([2, 3, 2])
    model = c1.selectbox("Classifier", list(CLASSIFIERS), key="ins_model", bind="query-params") or "efficientnet_lite0"
    option = c2.selectbox("Class to explain", CLASS_OPTIONS, key="ins_class", bind="query-params") or CLASS_OPTIONS[0]
    opacity = float(c3.slider("Overlay opacity", 0.0, 1.0, 0.5, 0.05, key="ins_alpha", bind="query-params"))
    patch = stride = 0
    if method == "occlusion":
        p1, p2 = st.columns(2)
        patch = int(p1.slider("Grey patch size (pixels)", 8, 112, 32, 8, key="ins_patch", bind="query-params"))
        stride = int(p2.slider("Stride (pixels)", 8, 64, 16, 8, key="ins_stride", bind="query-params"))
    net = require_model(model)
    if net is None and model != "efficientnet_lite0":
        st.warning(f"{get_spec(model).title} is not available here, so the embedded EfficientNet-Lite0 is used.")
        model, net = "efficientnet_lite0", require_model("efficientnet_lite0")
    attr = None
    if net is not None:
        with friendly_errors():
            target = option_target(option)
            if method == "occlusion":
                if stride > patch:
                    raise ValueError(f"The stride ({stride}) is larger than the patch ({patch}): some pixels would never be covered.")
                st.caption(f"{occlusion_passes(patch, stride)} positions of the grey patch = as many forward passes.")
            attr = attribution(method, tray.key, tray.image, model, target, patch, stride, net)
    if net is not None and attr is not None:
        with friendly_errors():
            left, right = st.columns(2)
            left.image(attr.crop, caption="What the network saw (224×224 centre crop)", width="stretch")
            right.image(overlay_heatmap(attr.crop, attr.heat, opacity), caption=f"{view} for '{attr.label}'", width="stretch")
            x, y = attr.peak()
            explain = {
                "occlusion": "Yellow = covering this spot with the grey patch lowers the probability the most "
                f"(largest drop {attr.heat.max():.3f}). In the lecture's Zeiler & Fergus figure the same map is drawn "
                "the other way round: blue where the score falls.",
                "grad-cam": "Yellow = the last conv layer's activations whose gradients push this class up "
                "(Grad-CAM on the 7×7 map, upsampled).",
                "saliency": "Bright = pixels whose tiny change moves the class score the most (|gradient|).",
            }[method]
            st.markdown(
                f"Class **{attr.label}** (ImageNet #{attr.target}), probability {attr.prob:.3f} on this crop. "
                f"Peak at ({x}, {y}) in the crop. {explain}"
            )
    if net is not None and method == "occlusion":
        st.subheader("Cover it yourself")
        st.caption("One grey square (the mean colour) on the crop: does the network change its mind?")
        s1, s2, s3 = st.columns(3)
        side = int(s1.slider("Square side (pixels)", 4, 224, 48, 4, key="ins_oside", bind="query-params"))
        if side < 224:
            ox = int(s2.slider("Left edge", 0, 224 - side, min(88, 224 - side), 4, key="ins_ox", bind="query-params"))
            oy = int(s3.slider("Top edge", 0, 224 - side, min(88, 224 - side), 4, key="ins_oy", bind="query-params"))
        else:
            ox = oy = 0
            s2.caption("The square covers the whole crop.")
        with friendly_errors():
            cover = occluded(tray.key, tray.image, model, net, ox, oy, side)
            a, b = st.columns([1, 2])
            a.image(cover.crop, caption=f"{side}×{side} grey square at ({ox}, {oy})", width="stretch")
            (before, p0), (after, p1) = cover.before, cover.after
            b.markdown(f"Without the square: **{before}** ({p0:.3f}). With it: **{after}** ({p1:.3f}).")
            b.markdown("🔁 **The top-1 class changed.**" if cover.flipped else "The top-1 class did not change.")
            challenge_panel.score("inside_network", {"occluder_side": side, "top1_before": before, "top1_after": after})


def neuron_view(tray: TrayImage) -> None:
    """What one VGG-16 channel wants: its top-9 patches, a reconstruction on the photo, activation maximisation."""
    st.markdown(
        "Which elements of the image activate a neuron? Pick one channel of a VGG-16 layer. Below: the 9 patches of "
        "the bundled photos and yours that excite it most (each patch is what one unit of the layer sees), the "
        "lecture's reconstruction (pass your photo through, keep only the strongest unit of this channel, send its "
        "value back to the pixels) and an image optimised from noise to excite it as much as possible."
    )
    net = require_model("vgg16_features")
    if net is None:
        return
    c1, c2, c3 = st.columns([3, 1, 2])
    layers = list(neuron_layers())
    layer = c1.select_slider("Layer", layers, value="block3_conv1", key="ins_nlayer", bind="query-params")
    if layer not in layers:
        layer = "block3_conv1"
    width = channel_count(net, layer)
    channel = int(c2.number_input("Channel", 0, width - 1, min(17, width - 1), key="ins_nch", bind="query-params"))
    method = c3.segmented_control("Reconstruction", ["guided backprop", "deconvnet"], default="guided backprop",
                                  key="ins_nmethod", bind="query-params", required=True) or "guided backprop"
    with friendly_errors():
        patches = neuron_patches(tray, layer, channel, net)
        grid = patch_grid(patches)
        st.image(grid.image, caption=f"Top {len(patches)} patches for {layer} channel {channel}: "
                 + ", ".join(f"{p.source} {p.activation:.0f}" for p in patches), width="stretch")
        rec = neuron_reconstruction(tray, layer, channel, "guided" if method == "guided backprop" else "deconv", net)
        a, b = st.columns(2)
        a.image(rec.crop, caption="Your photo as the network sees it (224×224)", width="stretch")
        b.image(rec.image, caption=f"{method}: the strongest unit ({rec.row}, {rec.col}), activation {rec.activation:.0f}, "
                "sent back to the pixels (grey = 0)", width="stretch")
    st.markdown("**What it wants.** Start from noise, change the image to make this channel fire as much as possible "
                "(jitter, blur and natural colours keep it from turning into noise).")
    if st.toggle("Optimise an image for this channel", key="ins_dream", bind="query-params"):
        steps = dream(layer, channel, net)
        if steps:
            x, y = st.columns([1, 1])
            x.image(steps[-1].image, caption=f"After {steps[-1].step} steps: mean activation {steps[-1].activation:.0f}",
                    width="stretch")
            y.plotly_chart(activation_curve(steps), key="ins_dream_curve")


AGREEMENT_PAIRS = ("Grad-CAM · occlusion", "Grad-CAM · saliency", "occlusion · saliency")
"""The pairs the agreement view shows side by side (the ``ins_pair`` link values)."""


def agreement_view(tray: TrayImage) -> None:
    """Grad-CAM, occlusion and saliency of one class compared on a 14×14 grid: Spearman's ρ, the top-k % overlap,
    and one pair side by side. The three maps are the other views' cached results (occlusion: the queued job)."""
    st.markdown(
        "Three answers to *where is the evidence?* Do they agree? Each map is averaged to **14×14 cells** (16 pixels "
        "of the crop each); **Spearman's ρ** compares the order of the cells (1 = same order, 0 = unrelated, −1 = "
        "reversed) and the **top-k % overlap** is the share of the k % most important cells the two maps have in "
        "common (1 = the same cells)."
    )
    c1, c2, c3 = st.columns([2, 3, 2])
    model = c1.selectbox("Classifier", list(CLASSIFIERS), key="ins_model", bind="query-params") or "efficientnet_lite0"
    option = c2.selectbox("Class to explain", CLASS_OPTIONS, key="ins_class", bind="query-params") or CLASS_OPTIONS[0]
    opacity = float(c3.slider("Overlay opacity", 0.0, 1.0, 0.5, 0.05, key="ins_alpha", bind="query-params"))
    p1, p2, p3 = st.columns(3)
    patch = int(p1.slider("Grey patch size (pixels)", 8, 112, 32, 8, key="ins_patch", bind="query-params"))
    stride = int(p2.slider("Stride (pixels)", 8, 64, 16, 8, key="ins_stride", bind="query-params"))
    percent = int(p3.slider("Top-k (% of the cells)", 5, 50, 10, 5, key="ins_topk", bind="query-params"))
    pair = st.segmented_control("Pair", AGREEMENT_PAIRS, default=AGREEMENT_PAIRS[0], key="ins_pair",
                                bind="query-params", required=True) or AGREEMENT_PAIRS[0]
    net = require_model(model)
    if net is None and model != "efficientnet_lite0":
        st.warning(f"{get_spec(model).title} is not available here, so the embedded EfficientNet-Lite0 is used.")
        model, net = "efficientnet_lite0", require_model("efficientnet_lite0")
    if net is None:
        return
    maps = None
    with friendly_errors():
        target = option_target(option)
        if stride > patch:
            raise ValueError(f"The stride ({stride}) is larger than the patch ({patch}): some pixels would never be covered.")
        found = {"Grad-CAM": attribution("grad-cam", tray.key, tray.image, model, target, 0, 0, net),
                 "saliency": attribution("saliency", tray.key, tray.image, model, target, 0, 0, net)}
        st.caption(f"Occlusion: {occlusion_passes(patch, stride)} positions of the grey patch = as many forward passes.")
        found["occlusion"] = attribution("occlusion", tray.key, tray.image, model, target, patch, stride, net)
        if found["occlusion"] is None:
            st.caption("The numbers appear when the occlusion map is done (Grad-CAM and saliency are ready).")
        else:
            maps = {n: found[n] for n in ("Grad-CAM", "occlusion", "saliency")}
    if maps is None:
        return
    with friendly_errors():
        agree = map_agreement(tray.key, (model, target, patch, stride), {n: a.heat for n, a in maps.items()}, 14, percent)
        m1, m2 = st.columns(2)
        m1.plotly_chart(matrix_figure(agree.spearman, agree.names, "Spearman ρ (cell ranks)", photo_key=tray.key),
                        key="ins_agree_rho")
        m2.plotly_chart(matrix_figure(agree.overlap, agree.names, f"Top-{percent} % overlap", zmin=0.0, zmax=1.0,
                                      colorscale="Greens", photo_key=tray.key), key="ins_agree_top")
        a, b = pair.split(" · ")
        rho, overlap = agree.pair(a, b)
        crop = maps[a].crop
        pooled = dict(zip(agree.names, agree.pooled))
        left, mid, right = st.columns(3)
        left.image(overlay_heatmap(crop, maps[a].heat, opacity), caption=a, width="stretch")
        mid.image(overlay_heatmap(crop, maps[b].heat, opacity), caption=b, width="stretch")
        right.image(overlap_picture(crop, pooled[a], pooled[b], percent, opacity), width="stretch",
                    caption=f"Top {percent} % cells: green both, blue {a} only, orange {b} only")
        rho_text = "undefined (a constant map)" if math.isnan(rho) else f"{rho:.2f}"
        st.markdown(f"**{a} vs {b}** for '{maps[a].label}': Spearman ρ = **{rho_text}**, top-{percent} % overlap = "
                    f"**{overlap:.0%}** of the cells.")
        st.caption("Grad-CAM and occlusion look at the whole object at a coarse scale; saliency is a per-pixel "
                   "gradient, speckled and often on edges, so it tends to agree least. A high ρ with a low overlap "
                   "means the maps agree on the broad layout but not on the few strongest cells.")
