"""Before deep learning: Viola–Jones, template matching, SIFT matching and mosaics, bag of visual words."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from ui.classic_plots import (
    cached_adaboost,
    cached_bovw,
    cached_curve,
    cached_match,
    cached_stage_counts,
    degradation_figure,
    error_figure,
    histogram_figure,
    last_canvas_rect,
    stage_figure,
)
from ui.common import friendly_errors, page_header
from ui.models import is_available, render_missing, require_model
from ui.tray import current_image
from vision_core import classic
from vision_core.io.images import ImageError, load_image
from vision_core.io.samples import SAMPLES, load_sample, sample_names

page_header(
    "🧭 Before deep learning",
    "Why image analysis is hard · Some traditional approaches (cascade of classifiers, SIFT, bag of visual words)",
    "Before CNNs, vision pipelines were built by hand: a boosted cascade of Haar features finds faces, "
    "normalised correlation finds a template, SIFT keypoints match two views of the same scene, and a bag "
    "of visual words classifies images. Try each on your photo, and watch where it breaks.",
)

TABS = ["Viola-Jones", "Template matching", "SIFT and mosaics", "Bag of words"]
tabs = st.tabs(TABS, key="cv_tab", bind="query-params")
tray = current_image()

# ---------------------------------------------------------------------------------------------- Viola–Jones
with tabs[0]:
    if tabs[0].open:
        st.subheader("A boosted cascade of Haar features (Viola & Jones, CVPR 2001)")
        c1, c2, c3, c4 = st.columns(4)
        cascade = c1.selectbox("Cascade (OpenCV)", list(classic.CASCADES), key="cv_cascade", bind="query-params")
        scale_factor = c2.slider("scaleFactor", 1.05, 1.5, 1.1, 0.05, key="cv_scale", bind="query-params",
                                 help="Step between pyramid levels: 1.1 = windows 10 % larger each level.")
        neighbors = c3.slider("minNeighbors", 0, 10, 5, key="cv_neighbors", bind="query-params",
                              help="Raw windows that must overlap before a box is kept (0 = every raw window).")
        min_side = c4.slider("Minimum size (px)", 10, 200, 30, 5, key="cv_minsize", bind="query-params")
        det = None
        with friendly_errors():
            det = classic.detect_timed(tray.image, cascade=cascade, scale_factor=scale_factor,
                                       min_neighbors=neighbors, min_size=(min_side, min_side), max_side=1024)
        left, right = st.columns([3, 2])
        if det is not None:
            with left:
                st.image(classic.draw_boxes(tray.image, det.boxes), caption=f"{tray.label}: {len(det.boxes)} "
                         f"detection(s) with {cascade}" + (" (searched on a copy with long side 1024 px)"
                         if max(tray.image.shape[:2]) > 1024 else ""), width="stretch")
            with right:
                m1, m2 = st.columns(2)
                m1.metric("Detections", len(det.boxes))
                m2.metric("Time", f"{det.seconds * 1000:.0f} ms")
                st.markdown(
                    "**AdaBoost, as in the lecture**\n"
                    "1. Give every example a weight: 1/2m for the m negatives, 1/2l for the l positives.\n"
                    "2. Normalise the weights so they sum to 1.\n"
                    "3. Pick the weak classifier h(x, f, p, θ) — one Haar feature f, a polarity p and a threshold "
                    "θ — with the smallest weighted error εₜ = Σ wᵢ |h(xᵢ) − yᵢ|.\n"
                    "4. Multiply the weights of the examples it got right by βₜ = εₜ / (1 − εₜ): the mistakes now "
                    "weigh more. Repeat from 2.\n"
                    "5. Strong classifier: face when Σ αₜ hₜ(x) ≥ ½ Σ αₜ, with αₜ = log 1/βₜ.\n\n"
                    "A **cascade** chains such strong classifiers: a window must pass every stage, and most "
                    "windows are thrown away by the first, cheap ones."
                )

        st.markdown("#### What a Haar feature is")
        if det is not None and len(det.boxes):
            window, crop_note = classic.haar_window(tray.image, det.boxes[0]), "the first detection"
        else:
            window, crop_note = classic.haar_window(tray.image), "the centre of the photo (nothing detected)"
        ii = classic.integral_image(window)
        st.caption(f"The 24×24 window of {crop_note}, as the detector sees it. White cells add their pixels, black "
                   "cells subtract theirs: value = Σ white − Σ black, each rectangle sum read from the integral "
                   "image with 4 look-ups, whatever its size.")
        cols = st.columns(len(classic.HAAR_DEMO) + 1)
        for col, (kind, (fx, fy, fw, fh)) in zip(cols, classic.HAAR_DEMO.items()):
            value = classic.haar_feature_value(ii, kind, fx, fy, fw, fh)
            col.image(classic.draw_haar_feature(window, kind, fx, fy, fw, fh, zoom=6),
                      caption=f"{kind.replace('_', ' ')}: {value:+,.0f}", width="stretch")
        cols[-1].image(classic.integral_image_view(window, 6),
                       caption=f"integral image (bottom-right = Σ all = {int(ii[-1, -1]):,})", width="stretch")

        st.markdown("#### The cascade on this photo: windows surviving each stage")
        stages_ok = classic.upright_stages(cascade)
        if stages_ok == 0:
            st.info(f"{cascade} uses 45° tilted Haar features from its first stage; this stage-by-stage evaluation "
                    "only implements upright ones. Pick a face, eye or cat cascade.")
        else:
            model = classic.load_cascade(cascade)
            n_eval = st.slider("Stages to evaluate", 1, stages_ok, min(stages_ok, 25), key="cv_stages",
                               bind="query-params")
            with friendly_errors():
                counts = cached_stage_counts(tray.key, tray.image, cascade, n_eval)
                st.plotly_chart(stage_figure(counts), width="stretch")
                survive = counts.survivors
                st.markdown(
                    f"{model.n_stages} stages with {', '.join(map(str, model.weak_counts[:4]))} … weak classifiers "
                    f"({sum(model.weak_counts):,} in all) on a {model.window[0]}×{model.window[1]} window. Of "
                    f"**{counts.windows:,}** windows (photo reduced to at most 480 px, windows every 2 px, pyramid "
                    f"step 1.25), stage 1 keeps **{survive[0]:,}** ({survive[0] / max(counts.windows, 1):.1%}); "
                    f"after {n_eval} stages **{survive[-1]:,}** remain. OpenCV then groups overlapping survivors "
                    "(minNeighbors) into the boxes above. Evaluated here from the cascade XML with NumPy, not by "
                    "OpenCV." + ("" if stages_ok == model.n_stages else
                                  f" (Only the first {stages_ok} stages use upright features.)")
                )
                if len(counts.final_boxes):
                    st.image(classic.draw_boxes(tray.image, counts.final_boxes[:200], color=(255, 160, 0), thickness=1),
                             caption=f"The {len(counts.final_boxes)} raw windows that passed all {n_eval} stages",
                             width=420)

        st.markdown("#### A small live AdaBoost on lfw_subset (100 faces, 100 non-faces, 25×25)")
        a1, a2 = st.columns(2)
        rounds = a1.slider("Rounds T", 1, 30, 10, key="cv_rounds", bind="query-params")
        n_feat = a2.select_slider("Random Haar features to choose from", [200, 500, 1500, 3000], 1500,
                                  key="cv_nfeat", bind="query-params")
        with friendly_errors():
            boost = cached_adaboost(int(rounds), int(n_feat), 0)
            b1, b2 = st.columns([3, 2])
            b1.image(classic.weak_classifier_grid(boost, min(6, len(boost.weak)), zoom=6),
                     caption="The first weak classifiers chosen, drawn on the mean face", width="stretch")
            b1.dataframe(
                [{"t": i + 1, "feature": w.kind.replace("_", " "), "x, y, w, h": f"{w.x}, {w.y}, {w.w}, {w.h}",
                  "p": w.polarity, "θ": round(w.threshold, 2), "εₜ": round(w.error, 3), "αₜ": round(w.alpha, 2)}
                 for i, w in enumerate(boost.weak)],
                hide_index=True, height=240,
            )
            b2.plotly_chart(error_figure(boost), width="stretch")
            b2.markdown(f"After {len(boost.weak)} rounds: training error **{boost.train_error[-1]:.1%}**, held-out "
                        f"error **{boost.test_error[-1]:.1%}** ({boost.n_train} training, {boost.n_test} held-out "
                        "images).")
        st.info("**Where it breaks.** A cascade learns one pose of one kind of object: frontal faces, upright, "
                "well lit. Turn the head (try the profile cascade), tilt the photo or look for a chair, and it finds "
                "nothing; every new object needs a new cascade trained on thousands of examples.", icon="🧱")

# ---------------------------------------------------------------------------------------------- template matching
with tabs[1]:
    if tabs[1].open:
        st.subheader("Template matching by normalised correlation")
        work = classic.working_copy(tray.image, 480)
        H, W = work.shape[:2]
        BOX_KEYS = ("cv_tx", "cv_ty", "cv_tw", "cv_th")
        default_box = classic.default_template_box(work)
        if st.session_state.get("_cv_box_for") not in (None, tray.key):
            st.session_state.update(dict(zip(BOX_KEYS, default_box)))
        elif all(k in st.session_state for k in BOX_KEYS):
            current = classic.clamp_box(*(st.session_state[k] for k in BOX_KEYS), work.shape)
            st.session_state.update(dict(zip(BOX_KEYS, current)))
        st.session_state["_cv_box_for"] = tray.key
        left, right = st.columns([3, 2])
        with left:
            try:
                from streamlit_drawable_canvas import st_canvas
            except Exception:  # noqa: BLE001 - the component is optional; the number inputs still work
                st_canvas = None
            if st_canvas is not None:
                st.caption("Draw a rectangle on the photo: it becomes the template.")
                drawn = st_canvas(fill_color="rgba(255, 165, 0, 0.15)", stroke_width=2, stroke_color="#ff8c00",
                                  background_image=Image.fromarray(work), height=H, width=W, drawing_mode="rect",
                                  key=f"cv_canvas_{tray.key}")
                rect = last_canvas_rect(drawn.json_data)
                if rect is not None and st.session_state.get("_cv_last_rect") != rect:
                    st.session_state["_cv_last_rect"] = rect
                    st.session_state.update(dict(zip(BOX_KEYS, classic.clamp_box(*rect, work.shape))))
            else:
                st.info("The drawing canvas (streamlit-drawable-canvas) is not available here: set the template "
                        "box with the numbers below.")
        with right:
            st.caption(f"Template box in the {W}×{H} working copy (drawn rectangles land here too).")
            n1, n2 = st.columns(2)
            tx = n1.number_input("x", 0, W - 8, min(default_box[0], W - 8), key="cv_tx", bind="query-params")
            ty = n2.number_input("y", 0, H - 8, min(default_box[1], H - 8), key="cv_ty", bind="query-params")
            tw = n1.number_input("width", 8, W, default_box[2], key="cv_tw", bind="query-params")
            th = n2.number_input("height", 8, H, default_box[3], key="cv_th", bind="query-params")
            method = st.selectbox("Method (OpenCV matchTemplate)", list(classic.TEMPLATE_METHODS), key="cv_method",
                                  bind="query-params")
            st.markdown("**Change the search image**")
            rotation = st.slider("Rotate (°)", -180, 180, 0, 5, key="cv_rot", bind="query-params")
            t_scale = st.slider("Scale", 0.5, 2.0, 1.0, 0.05, key="cv_tscale", bind="query-params")
            shadow = st.slider("Shadow across the object", 0.0, 1.0, 0.0, 0.05, key="cv_shadow", bind="query-params")
            occlusion = st.slider("Occluded part of the object", 0.0, 1.0, 0.0, 0.05, key="cv_occl", bind="query-params")
        bx, by, bw, bh = classic.clamp_box(int(tx), int(ty), int(tw), int(th), work.shape)
        box = (bx, by, bx + bw, by + bh)
        probe = None
        with friendly_errors():
            probe = classic.probe_template(work, box, method, rotation, t_scale, shadow, occlusion)
        if probe is not None:
            best_box, best_score = probe.top[0]
            shown = classic.draw_boxes(probe.search, np.array([b for b, _ in probe.top[1:]]).reshape(-1, 4),
                                       (255, 160, 0), [f"{s:.2f}" for _, s in probe.top[1:]])
            shown = classic.draw_boxes(shown, np.array([probe.box]), (80, 160, 255))
            shown = classic.draw_boxes(shown, best_box[None], (0, 230, 0), [f"best {best_score:.3f}"])
            i1, i2, i3 = st.columns([2, 2, 1])
            i1.image(shown, caption="Search image: green = best match, orange = next best, blue = the true place",
                     width="stretch")
            i2.image(classic.score_heatmap(probe.scores, method), caption=f"{method} score map (red = best)",
                     width="stretch")
            i3.image(probe.template, caption=f"template {probe.template.shape[1]}×{probe.template.shape[0]}",
                     width="stretch")
            i3.metric("Best score", f"{best_score:.3f}")
            i3.metric("Score at the true place", f"{probe.at_truth:.3f}")
            (i3.success if probe.found else i3.error)("found" if probe.found else "lost: the best match is elsewhere")
            curve_kind = st.segmented_control("Measure the peak against", ["rotation", "scale", "shadow", "occlusion"],
                                              default="rotation", key="cv_curve", bind="query-params",
                                              required=True) or "rotation"
            grids = {"rotation": ((0, 5, 10, 15, 20, 30, 45, 60, 90, 135, 180), "degrees", rotation),
                     "scale": ((0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0), "×", t_scale),
                     "shadow": ((0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), "darkening", shadow),
                     "occlusion": ((0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), "fraction hidden", occlusion)}
            values, unit, now = grids[curve_kind]
            with friendly_errors():
                curve = cached_curve(tray.key, work, box, curve_kind, values, method)
                st.plotly_chart(degradation_figure(curve, unit, now), width="stretch")
        st.info("**Where it breaks.** \"Find the chair in this image\": the output of normalised correlation is "
                "*pretty much garbage*. A template is one rigid pattern of pixels: rotate it, scale it, shade it or "
                "hide part of it and the peak collapses. \"These techniques are inadequate for three-dimensional "
                "scene analysis for many reasons, such as occlusion, changes in viewing angle, and articulation of "
                "parts\" (Nevatia & Binford, 1977).", icon="🪑")

# ---------------------------------------------------------------------------------------------- SIFT
with tabs[2]:
    if tabs[2].open:
        st.subheader("SIFT keypoints, Lowe's ratio test, RANSAC homography, mosaics")
        st.markdown("1. **Detect** keypoints (extrema of a difference-of-Gaussians pyramid) · 2. **Describe** each by "
                    "128 gradient-orientation numbers, relative to its scale and orientation · 3. **Match** nearest "
                    "descriptors (Lowe's ratio test drops ambiguous ones) · 4. **Filter** false matches with RANSAC · "
                    "5. **Estimate** the projective transform (homography).")
        SECOND = ["Synthetic view", "Panorama", "Another sample", "Upload"]
        second = st.segmented_control("Second image", SECOND, default="Synthetic view", key="cv_second",
                                      bind="query-params", required=True) or "Synthetic view"
        img1 = classic.working_copy(tray.image, 640)
        key1 = f"{tray.key}:640"
        img2, key2, H_true = None, "", None
        with friendly_errors():
            if second == "Synthetic view":
                s1, s2, s3, s4, s5 = st.columns(5)
                srot = s1.slider("Rotation (°)", -180, 180, 20, 5, key="cv_srot", bind="query-params")
                sscale = s2.slider("Scale", 0.5, 1.5, 0.85, 0.05, key="cv_sscale", bind="query-params")
                persp = s3.slider("Perspective", 0.0, 0.2, 0.08, 0.01, key="cv_persp", bind="query-params")
                bright = s4.slider("Brightness", 0.3, 1.5, 0.8, 0.05, key="cv_bright", bind="query-params")
                seed = s5.number_input("Seed", 0, 9999, 0, key="cv_seed", bind="query-params")
                img2, H_true = classic.synthetic_view(img1, srot, sscale, persp, bright, int(seed))
                key2 = f"synthetic:{key1}:{srot}:{sscale}:{persp}:{bright}:{seed}"
            elif second == "Panorama":
                p1, p2, p3 = st.columns(3)
                overlap = p1.slider("Overlap", 0.2, 0.8, 0.4, 0.05, key="cv_overlap", bind="query-params")
                ppersp = p2.slider("Perspective change", 0.0, 0.15, 0.06, 0.01, key="cv_ppersp", bind="query-params")
                pseed = p3.number_input("Seed", 0, 9999, 0, key="cv_pseed", bind="query-params")
                full = img1
                img1, img2, H_true = classic.overlapping_views(full, overlap, ppersp, int(pseed))
                key1, key2 = f"pano-left:{key1}:{overlap}", f"pano-right:{key1}:{overlap}:{ppersp}:{pseed}"
            elif second == "Another sample":
                names = sample_names()
                other = st.selectbox("Sample", names, index=names.index("astronaut"), key="cv_other",
                                     bind="query-params", format_func=lambda n: SAMPLES[n].title)
                img2, key2 = classic.working_copy(load_sample(other), 640), f"sample:{other}:640"
            else:
                up = st.file_uploader("Second photo", type=["jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff"],
                                      key="cv_upload2")
                if up is not None:
                    try:
                        img2, key2 = classic.working_copy(load_image(up.getvalue()), 640), f"upload:{up.file_id}"
                    except ImageError as exc:
                        st.error(str(exc), icon="🚫")
                else:
                    st.info("Upload a second photo of the same scene (another viewpoint) to match it with the tray photo.")
        r1, r2, r3 = st.columns(3)
        ratio = r1.slider("Lowe's ratio", 0.5, 1.0, 0.75, 0.05, key="cv_ratio", bind="query-params",
                          help="Keep a match when the nearest descriptor is closer than ratio × the second nearest.")
        ransac = r2.slider("RANSAC threshold (px)", 1.0, 10.0, 3.0, 0.5, key="cv_ransac", bind="query-params")
        show = r3.segmented_control("Lines", ["all", "inliers", "outliers"], default="all", key="cv_lines",
                                    bind="query-params", required=True) or "all"
        if img2 is not None:
            matches = None
            with friendly_errors():
                matches = cached_match(key1, img1, key2, img2, float(ratio), float(ransac))
            if matches is not None:
                m1, m2, m3, m4 = st.columns(4)
                m1.metric("Keypoints", f"{len(matches.keypoints1):,} / {len(matches.keypoints2):,}")
                m2.metric("Tentative matches", matches.n_tentative)
                m3.metric("RANSAC inliers", f"{matches.n_inliers} ({matches.inlier_fraction:.2%})")
                if H_true is not None:
                    m4.metric("Mean corner error", f"{classic.corner_error(matches.homography, H_true, img1.shape):.2f} px")
                st.caption(f"The lecture's example: 197 tentative matches, 99 (50.25%) inliers. Here: "
                           f"{matches.n_tentative} tentative, {matches.n_inliers} ({matches.inlier_fraction:.2%}) inliers.")
                st.image(classic.draw_matches(img1, img2, matches, show), width="stretch",
                         caption="Green: inliers of the RANSAC homography; red: tentative matches it rejects")
                k1, k2 = st.columns(2)
                k1.image(classic.draw_keypoints(img1, matches.keypoints1, 300), width="stretch",
                         caption="The 300 largest SIFT keypoints: circle = scale, radius = orientation")
                if matches.homography is not None:
                    with friendly_errors():
                        mosaic = classic.stitch(img1, img2, matches.homography)
                        k2.image(mosaic.image, width="stretch",
                                 caption="Mosaic: the second image warped by H⁻¹ into the first, feathered blending")
                    h1, h2 = st.columns(2)
                    h1.markdown("**Estimated homography** (image 1 → image 2)")
                    h1.dataframe(np.round(matches.homography / matches.homography[2, 2], 4), hide_index=True)
                    if H_true is not None:
                        h2.markdown("**True homography**")
                        h2.dataframe(np.round(H_true / H_true[2, 2], 4), hide_index=True)
                else:
                    k2.warning("Fewer than 4 consistent matches: no homography, no mosaic.", icon="⚠️")
        st.info("**Where it breaks.** SIFT matches *this* object seen again — rotated, scaled, re-lit, from another "
                "viewpoint of a flat or distant scene. It does not recognise *a* chair: another chair has other "
                "keypoints. Texture-less surfaces give few keypoints and repeated patterns give wrong matches "
                "(try the brick wall).", icon="🧩")

# ---------------------------------------------------------------------------------------------- bag of words
with tabs[3]:
    if tabs[3].open:
        st.subheader("Bag of visual words")
        st.markdown("1. **Build a dictionary** of visual patterns from the training images (k-means on local "
                    "descriptors: dense SIFT, 16×16 patches every 8 pixels of a 64×64 image).\n"
                    "2. **Train**: each image becomes a histogram of its words (the *bag of words*); a linear "
                    "classifier learns from these histograms.\n"
                    "3. **Classify**: histogram of a new image, then the classifier.\n\n"
                    "Data: scikit-image's `lfw_subset`, 100 faces and 100 non-faces (25×25), 75 % to train, "
                    "25 % held out (the split of the Transfer learning page).")
        k = st.select_slider("Vocabulary size k", [8, 16, 32, 64, 128], 32, key="cv_k", bind="query-params")
        with friendly_errors():
            bovw = cached_bovw(int(k), 0)
            a1, a2, a3 = st.columns(3)
            a1.metric("Held-out accuracy", f"{bovw.test_accuracy:.1%}", f"{bovw.test_accuracy - bovw.chance:+.1%} vs chance")
            a2.metric("Training accuracy", f"{bovw.train_accuracy:.1%}")
            a3.metric("Chance", f"{bovw.chance:.0%}")
            order = [int(i) for i in np.argsort(-bovw.word_counts)[:8]]
            w1, w2 = st.columns([2, 3])
            w1.image(classic.word_patch_grid(bovw, order), width="stretch",
                     caption=f"The 8 most frequent words (rows {', '.join(map(str, order))}): training patches nearest "
                             "to each k-means centre")
            hist, p_face = classic.bovw_histogram(bovw, tray.image)
            w2.plotly_chart(histogram_figure(hist, bovw.coef), width="stretch")
            w2.markdown(f"Word histogram of **{tray.label}** squeezed to 64×64 grey. Orange words vote *face*, blue "
                        f"ones *non-face*: P(face) = **{p_face:.2f}**.")
            face_boxes = classic.haar_detect(tray.image)
            if len(face_boxes):
                fx0, fy0, fx1, fy1 = (int(v) for v in face_boxes[0])
                _, p_crop = classic.bovw_histogram(bovw, np.ascontiguousarray(tray.image[fy0:fy1, fx0:fx1]))
                w2.markdown(f"On the face found by Viola–Jones in this photo: P(face) = **{p_crop:.2f}**.")
        st.markdown("**Compared with CNN features** (the transfer-learning idea): the same split, a logistic "
                    "regression on VGG-16's pretrained conv features instead of visual words.")
        if not is_available("vgg16_features"):
            render_missing("vgg16_features")
        elif st.button("Train on VGG-16 features (a few seconds)", key="cv_cnn_go") or "_cv_cnn" in st.session_state:
            if "_cv_cnn" not in st.session_state:
                net = require_model("vgg16_features")
                if net is not None:
                    with st.spinner("VGG-16 features of 200 images…"), friendly_errors():
                        st.session_state["_cv_cnn"] = classic.cnn_feature_accuracy(net)
            cnn = st.session_state.get("_cv_cnn")
            if cnn is not None:
                st.dataframe([
                    {"features": f"bag of {bovw.k} visual words (dense SIFT)", "numbers per image": bovw.k,
                     "held-out accuracy": f"{bovw.test_accuracy:.1%}"},
                    {"features": f"VGG-16 {cnn.layer} at {cnn.size}×{cnn.size}, averaged (ImageNet)",
                     "numbers per image": cnn.n_dims, "held-out accuracy": f"{cnn.test_accuracy:.1%}"},
                ], hide_index=True)
                st.caption("The VGG-16 row is the Transfer learning page's default view (faces, block4_pool, 48 px); "
                           "both rows are scored on the same 50 held-out images.")
        st.info("**Where it breaks.** A bag of words forgets *where* the words are: a face with the eyes below the "
                "mouth has the same histogram. The dictionary and the classifier are hand-designed stages trained "
                "separately; a CNN learns the features and the classifier together, end to end.", icon="👜")
