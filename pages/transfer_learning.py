"""Transfer learning: hand-made features versus VGG-16 ImageNet features, and a linear head on your own classes."""

from __future__ import annotations

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.models import require_model
from ui.train_plots import probability_bars, projection_scatter
from ui.train_views import cnn_space, evaluation, handmade_space, photo_feature, projection
from ui.tray import current_image
from vision_core.io.images import UPLOAD_TYPES, ImageError, load_image
from vision_core.transfer import (
    CNN_LAYERS,
    DATASETS,
    classify_photo,
    cnn_features,
    demo_classes,
    experiment_dataset,
    point_labels,
    stack_classes,
    thumbnail,
    train_custom_head,
)

OWN_LAYER, OWN_SIZE = "block5_pool", 128

page_header(
    "🔁 Transfer learning",
    "What networks see · 000 “Transfer learning” (galaxies: morphology features vs a network pretrained on ImageNet)",
    "The lecture classified galaxies twice: with hand-made morphology features (concentration, asymmetry, "
    "smoothness, entropy …) and with features of a network pretrained on ImageNet, a logistic classifier on each. "
    "Here is the same experiment on faces and on digits, then on classes of your own photos.",
)


def experiment():
    """Section 1: the two feature spaces of one data set, their accuracies and their errors; returns VGG-16 (None
    while its file is missing) and what the projection needs: (data set, name, {space: (features, evaluation, key)})."""
    st.subheader("1 · The lecture's experiment: hand-made vs pretrained features")
    c1, c2, c3 = st.columns([2, 1, 1])
    name = c1.selectbox("Data set", list(DATASETS), key="tl_data", bind="query-params",
                        help="; ".join(f"{k}: {v}" for k, v in DATASETS.items())) or "faces"
    layer = c2.selectbox("VGG-16 block (global average pooled)", CNN_LAYERS, index=2, key="tl_layer", bind="query-params")
    size = int(c3.selectbox("Network input size (pixels)", [32, 48, 64, 96], index=1, key="tl_size", bind="query-params",
                            help="The small images are upscaled (bicubic, grey copied to RGB) to this size before VGG-16."))
    data = experiment_dataset(name)
    st.caption(f"{DATASETS[name]} · classes: {', '.join(data.class_names)} · 75 % train / 25 % held out, stratified.")
    vgg = require_model("vgg16_features")
    spaces = {"hand-made": (handmade_space(name), ("hand-made", "", 0))}
    if vgg is None:
        st.warning("Without the VGG-16 file only the hand-made features can be evaluated; fetch it above to compare.")
    else:
        with friendly_errors():
            spaces["CNN"] = (cnn_space(name, layer, size, vgg), ("CNN", layer, size))
    scored = {k: (f, evaluation(name, *key, f), key) for k, (f, key) in spaces.items()}
    cols = st.columns(len(scored) + 1)
    for col, (k, (feats, ev, _)) in zip(cols, scored.items()):
        desc = ("HOG + intensity/colour statistics + concentration, asymmetry, smoothness, entropy"
                if k == "hand-made" else f"VGG-16 {layer} at {size}×{size}, averaged over space")
        col.metric(f"Accuracy, {k} features", f"{ev.accuracy:.1%}", help=desc)
        col.caption(f"{feats.shape[1]} numbers per image · {len(ev.misclassified)} of {len(ev.test_idx)} held-out "
                    f"images wrong · {desc}")
    cols[-1].metric("Chance (majority class)", f"{next(iter(scored.values()))[1].chance:.0%}")
    st.markdown("#### Errors and their 4 nearest neighbours")
    st.caption("As on the lecture's slides: first column, a held-out image the classifier got wrong (true → predicted); "
               "next four, the most similar images in that feature space, labelled with their true class.")
    for tab, (k, (_, ev, _)) in zip(st.tabs([f"{k} features" for k in scored]), scored.items()):
        with tab:
            if len(ev.misclassified) == 0:
                st.success(f"No held-out image is misclassified with the {k} features.")
            for i, predicted, nbrs in ev.errors(limit=5):
                row = st.columns(5)
                row[0].image(thumbnail(data.images[i]), caption=f"{data.class_names[data.labels[i]]} → "
                             f"{data.class_names[predicted]}")
                for c, j in zip(row[1:], nbrs):
                    c.image(thumbnail(data.images[j]), caption=data.class_names[data.labels[j]])
    return vgg, (data, name, scored)


def projection_map(data, name: str, scored) -> None:
    """The 2-D projection of one feature space; a click shows the point's image."""
    st.markdown("#### 2-D projection")
    p1, p2 = st.columns(2)
    space = p1.segmented_control("Feature space", list(scored), default="CNN" if "CNN" in scored else "hand-made",
                                 key="tl_space", bind="query-params", required=True) or "hand-made"
    method = p2.segmented_control("Projection", ["PCA", "t-SNE"], default="PCA", key="tl_proj", bind="query-params",
                                  required=True) or "PCA"
    space = space if space in scored else "hand-made"
    feats, ev, key = scored[space]
    with friendly_errors():
        pts = projection(name, *key, "pca" if method == "PCA" else "tsne", feats)
        if pts is None:
            return
        hover = point_labels(data.labels, data.class_names, ev)
        chart, pick = st.columns([3, 1])
        event = chart.plotly_chart(
            projection_scatter(pts, data.labels, data.class_names, hover, f"{method} of the {space} features",
                               highlight=ev.misclassified),
            key="tl_scatter", on_select="rerun", selection_mode="points",
        )
        points = event.selection.points if event is not None and event.selection else []
        with pick:
            if points and points[0].get("customdata") is not None:
                cd = points[0]["customdata"]
                i = int(cd[0] if isinstance(cd, list) else cd)
                st.image(thumbnail(data.images[i], 168), caption=hover[i])
            else:
                st.caption("Click a point to see its image. Crosses mark the misclassified held-out images.")


def own_photos() -> dict:
    """The photos of each class: the demo set or the student's uploads (never in the link)."""
    if st.checkbox("Use the demo set instead of uploads (6 random crops each of the cat, coffee and rocket photos)",
                   key="tl_demo", bind="query-params"):
        st.caption("Crops of one photo per class are easy to tell apart: a warm-up, not a hard test.")
        return demo_classes(6)
    photos: dict = {}
    n = int(st.number_input("Number of classes", 2, 5, 2, key="tl_nclasses", bind="query-params"))
    for i, col in enumerate(st.columns(n)):
        with col:
            cname = st.text_input(f"Class {i + 1} name", f"class {i + 1}", key=f"tl_name{i}", bind="query-params",
                                  max_chars=40).strip()
            files = st.file_uploader(f"Photos of “{cname or f'class {i + 1}'}”", type=list(UPLOAD_TYPES),
                                     accept_multiple_files=True, key=f"tl_up{i}")
            imgs = []
            for f in files or []:
                try:
                    imgs.append(load_image(f.getvalue()))
                except ImageError as exc:
                    st.warning(f"{f.name}: {exc}")
            st.caption(f"{len(imgs)} photo(s)")
            if cname in photos:
                st.error("Two classes share this name: give each class its own name.")
            else:
                photos[cname] = imgs
    return photos


def own_classes(vgg) -> None:
    """Section 2: a linear head trained on the student's classes, then asked about the tray photo."""
    st.divider()
    st.subheader("2 · Bring your own classes")
    st.markdown(
        f"Upload a handful of photos for 2 to 5 classes. Each photo goes through VGG-16 ({OWN_LAYER} at "
        f"{OWN_SIZE}×{OWN_SIZE}, averaged: 512 numbers); a logistic classifier (the *linear head*) is trained on them "
        "and its accuracy is estimated by k-fold cross-validation. Then it classifies the photo in the tray."
    )
    photos = own_photos()
    if st.button("🧠 Extract features and train the linear head", key="tl_train", type="primary"):
        if vgg is None:
            st.error("VGG-16 is needed for this part; fetch it above.")
        else:
            stack, labels, names = stack_classes(photos)
            bar = st.progress(0.0, text="Extracting features…")
            with friendly_errors():
                if len(stack) < 4:
                    raise ValueError("Add at least 2 photos to each of 2 classes first.")
                feats = cnn_features(stack, vgg, OWN_LAYER, OWN_SIZE, batch=4, progress=lambda f, m: bar.progress(f, text=m))
                bar.progress(1.0, text="Training the logistic head with cross-validation…")
                st.session_state["_tl_head"] = train_custom_head(feats, labels, names)
            bar.empty()
    head = st.session_state.get("_tl_head")
    if head is None:
        return
    st.success(f"Linear head on {head.n_photos} photos, classes {', '.join(head.class_names)}: "
               f"**{head.cv_accuracy:.0%} cross-validated accuracy** ({head.cv_folds}-fold; chance ≈ "
               f"{1 / len(head.class_names):.0%}).")
    tray = current_image()
    q1, q2 = st.columns([1, 2])
    q1.image(tray.image, caption=f"New photo: {tray.label} (change it in the image tray)")
    if vgg is not None:
        with friendly_errors():
            ranked = classify_photo(head, photo_feature(tray, vgg, OWN_LAYER, OWN_SIZE))
            q2.markdown(f"### Looks like **{ranked[0][0]}** ({ranked[0][1]:.0%})")
            q2.plotly_chart(probability_bars([r[0] for r in ranked], [r[1] for r in ranked]), key="tl_own_probs")


vgg_net, experiment_result = experiment()
projection_map(*experiment_result)
own_classes(vgg_net)
