"""The classic-CV page's local-feature views: SIFT matching and mosaics, the bag of visual words.

Compute once, display many times, as in ``ui.classic_views``: matches, drawings, mosaics, the vocabulary
and the VGG-16 baseline go through ``ui.results.cached``. A pair of images is cached under a sample's key
only when both images come from samples (or from the sample itself: a synthetic view, a panorama); an
uploaded second photo keeps the pair in its session.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from ui.classic_plots import histogram_figure
from ui.classic_views import LFW, SIFT_SIDE, compute_once, detections, working_copy_of
from ui.common import friendly_errors
from ui.models import is_available, render_missing, require_model
from ui.results import cached
from ui.tray import TrayImage
from vision_core import classic
from vision_core.io.datasets import lfw_faces
from vision_core.io.images import UPLOAD_TYPES, ImageError, load_image
from vision_core.io.samples import SAMPLES, load_sample, sample_names

CNN_LAYER, CNN_SIZE = "block4_pool", 48
"""The Transfer learning page's default view: VGG-16 block 4 at 48×48."""


# ---------------------------------------------------------------------------------------------- SIFT

SECOND = ["Synthetic view", "Panorama", "Another sample", "Upload"]


@dataclass(frozen=True)
class Pair:
    """Two images to match; ``key`` (the photo key the results are cached under: a sample's only if both images
    come from samples) and ``params`` (what made the pair) identify it; ``truth`` is the true homography if known."""

    img1: np.ndarray
    img2: np.ndarray
    key: str
    params: tuple[Hashable, ...]
    truth: np.ndarray | None = None


def _second_image(item: TrayImage) -> Pair | None:
    """Read the second-image widgets and build the pair (None while no second photo is uploaded)."""
    second = st.segmented_control("Second image", SECOND, default="Synthetic view", key="cv_second",
                                  bind="query-params", required=True) or "Synthetic view"
    img1, key1 = working_copy_of(item, SIFT_SIDE)
    if second == "Synthetic view":
        s1, s2, s3, s4, s5 = st.columns(5)
        setting = (s1.slider("Rotation (°)", -180, 180, 20, 5, key="cv_srot", bind="query-params"),
                   s2.slider("Scale", 0.5, 1.5, 0.85, 0.05, key="cv_sscale", bind="query-params"),
                   s3.slider("Perspective", 0.0, 0.2, 0.08, 0.01, key="cv_persp", bind="query-params"),
                   s4.slider("Brightness", 0.3, 1.5, 0.8, 0.05, key="cv_bright", bind="query-params"),
                   int(s5.number_input("Seed", 0, 9999, 0, key="cv_seed", bind="query-params")))
        view, truth = cached("classic.synthetic", item.key, setting, lambda: classic.synthetic_view(img1, *setting))
        return Pair(img1, view, item.key, ("synthetic", key1, *setting), truth)
    if second == "Panorama":
        p1, p2, p3 = st.columns(3)
        setting = (p1.slider("Overlap", 0.2, 0.8, 0.4, 0.05, key="cv_overlap", bind="query-params"),
                   p2.slider("Perspective change", 0.0, 0.15, 0.06, 0.01, key="cv_ppersp", bind="query-params"),
                   int(p3.number_input("Seed", 0, 9999, 0, key="cv_pseed", bind="query-params")))
        left, right, truth = cached("classic.panorama", item.key, setting,
                                    lambda: classic.overlapping_views(img1, *setting))
        return Pair(left, right, item.key, ("panorama", key1, *setting), truth)
    if second == "Another sample":
        names = sample_names()
        other = st.selectbox("Sample", names, index=names.index("astronaut"), key="cv_other",
                             bind="query-params", format_func=lambda n: SAMPLES[n].title)
        img2 = cached("classic.work", f"sample:{other}", (SIFT_SIDE,),
                      lambda: classic.working_copy(load_sample(other), SIFT_SIDE))
        return Pair(img1, img2, item.key, ("sample", key1, other))
    up = st.file_uploader("Second photo", type=list(UPLOAD_TYPES), key="cv_upload2")
    if up is None:
        st.info("Upload a second photo of the same scene (another viewpoint) to match it with the tray photo.")
        return None
    key2 = f"upload:{up.file_id}"
    try:
        img2 = cached("classic.work", key2, (SIFT_SIDE,), lambda: classic.working_copy(load_image(up.getvalue()), SIFT_SIDE))
    except ImageError as exc:
        st.error(str(exc), icon="🚫")
        return None
    return Pair(img1, img2, key2, ("upload", key1, key2))


def sift_view(item: TrayImage) -> None:
    """SIFT keypoints of the tray photo matched with a second image; RANSAC's homography and the mosaic."""
    st.subheader("SIFT keypoints, Lowe's ratio test, RANSAC homography, mosaics")
    st.markdown("1. **Detect** keypoints (extrema of a difference-of-Gaussians pyramid) · 2. **Describe** each by "
                "128 gradient-orientation numbers, relative to its scale and orientation · 3. **Match** nearest "
                "descriptors (Lowe's ratio test drops ambiguous ones) · 4. **Filter** false matches with RANSAC · "
                "5. **Estimate** the projective transform (homography).")
    pair = None
    with friendly_errors():
        pair = _second_image(item)
    r1, r2, r3 = st.columns(3)
    ratio = float(r1.slider("Lowe's ratio", 0.5, 1.0, 0.75, 0.05, key="cv_ratio", bind="query-params",
                            help="Keep a match when the nearest descriptor is closer than ratio × the second nearest."))
    ransac = float(r2.slider("RANSAC threshold (px)", 1.0, 10.0, 3.0, 0.5, key="cv_ransac", bind="query-params"))
    show = r3.segmented_control("Lines", list(classic.MATCH_VIEWS), default="all", key="cv_lines",
                                bind="query-params", required=True) or "all"
    if pair is not None:
        with friendly_errors():
            _matches(pair, ratio, ransac, show)
    st.info("**Where it breaks.** SIFT matches *this* object seen again — rotated, scaled, re-lit, from another "
            "viewpoint of a flat or distant scene. It does not recognise *a* chair: another chair has other "
            "keypoints. Texture-less surfaces give few keypoints and repeated patterns give wrong matches "
            "(try the brick wall).", icon="🧩")


def _matches(pair: Pair, ratio: float, ransac: float, show: str) -> None:
    params = (*pair.params, ratio, ransac)

    def run() -> tuple[classic.Matches, np.ndarray]:
        m = classic.match_features(pair.img1, pair.img2, ratio=ratio, ransac_threshold=ransac)
        return m, classic.draw_keypoints(pair.img1, m.keypoints1, 300)

    matches, keypoints = compute_once("matches", pair.key, params, run, "Finding SIFT keypoints and matching them…")
    lines = cached("classic.match_lines", pair.key, (*params, show),
                   lambda: classic.draw_matches(pair.img1, pair.img2, matches, show))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Keypoints", f"{len(matches.keypoints1):,} / {len(matches.keypoints2):,}")
    m2.metric("Tentative matches", matches.n_tentative)
    m3.metric("RANSAC inliers", f"{matches.n_inliers} ({matches.inlier_fraction:.2%})")
    if pair.truth is not None:
        m4.metric("Mean corner error", f"{classic.corner_error(matches.homography, pair.truth, pair.img1.shape):.2f} px")
    st.caption(f"The lecture's example: 197 tentative matches, 99 (50.25%) inliers. Here: "
               f"{matches.n_tentative} tentative, {matches.n_inliers} ({matches.inlier_fraction:.2%}) inliers.")
    st.image(lines, width="stretch", caption="Green: inliers of the RANSAC homography; red: tentative matches it rejects")
    k1, k2 = st.columns(2)
    k1.image(keypoints, width="stretch", caption="The 300 largest SIFT keypoints: circle = scale, radius = orientation")
    if matches.homography is None:
        k2.warning("Fewer than 4 consistent matches: no homography, no mosaic.", icon="⚠️")
        return
    with friendly_errors():
        mosaic = compute_once("mosaic", pair.key, params, lambda: classic.stitch(pair.img1, pair.img2, matches.homography),
                              "Stitching the mosaic…")
        k2.image(mosaic.image, width="stretch",
                 caption="Mosaic: the second image warped by H⁻¹ into the first, feathered blending")
    h1, h2 = st.columns(2)
    h1.markdown("**Estimated homography** (image 1 → image 2)")
    h1.dataframe(np.round(matches.homography / matches.homography[2, 2], 4), hide_index=True)
    if pair.truth is not None:
        h2.markdown("**True homography**")
        h2.dataframe(np.round(pair.truth / pair.truth[2, 2], 4), hide_index=True)


# ---------------------------------------------------------------------------------------------- bag of words

BOVW_TEXT = ("1. **Build a dictionary** of visual patterns from the training images (k-means on local "
             "descriptors: dense SIFT, 16×16 patches every 8 pixels of a 64×64 image).\n"
             "2. **Train**: each image becomes a histogram of its words (the *bag of words*); a linear "
             "classifier learns from these histograms.\n"
             "3. **Classify**: histogram of a new image, then the classifier.\n\n"
             "Data: scikit-image's `lfw_subset`, 100 faces and 100 non-faces (25×25), 75 % to train, "
             "25 % held out (the split of the Transfer learning page).")


def bovw_view(item: TrayImage) -> None:
    """The vocabulary's most frequent words, the tray photo's histogram and P(face), and VGG-16 features beside."""
    st.subheader("Bag of visual words")
    st.markdown(BOVW_TEXT)
    k = int(st.select_slider("Vocabulary size k", [8, 16, 32, 64, 128], 32, key="cv_k", bind="query-params"))
    bovw = None
    with friendly_errors():
        bovw = compute_once("bovw", LFW, (k, 0), lambda: classic.train_bovw(k=k, seed=0),
                            "Building the visual vocabulary (k-means on dense SIFT)…")
        a1, a2, a3 = st.columns(3)
        a1.metric("Held-out accuracy", f"{bovw.test_accuracy:.1%}", f"{bovw.test_accuracy - bovw.chance:+.1%} vs chance")
        a2.metric("Training accuracy", f"{bovw.train_accuracy:.1%}")
        a3.metric("Chance", f"{bovw.chance:.0%}")
        order = bovw.frequent_words(8)
        w1, w2 = st.columns([2, 3])
        w1.image(classic.word_patch_grid(bovw, order), width="stretch",
                 caption=f"The 8 most frequent words (rows {', '.join(map(str, order))}): training patches nearest "
                         "to each k-means centre")
        faces = detections(item.key, item.image).boxes

        def describe() -> tuple[np.ndarray, float, float | None]:
            hist, p = classic.bovw_histogram(bovw, item.image)
            p_crop = classic.bovw_histogram(bovw, item.image, faces[0])[1] if len(faces) else None
            return hist, p, p_crop

        hist, p_face, p_crop = cached("classic.bovw_photo", item.key, (k, 0), describe)
        w2.plotly_chart(histogram_figure(hist, bovw.coef, photo_key=item.key), width="stretch")
        w2.markdown(f"Word histogram of **{item.label}** squeezed to 64×64 grey. Orange words vote *face*, blue "
                    f"ones *non-face*: P(face) = **{p_face:.2f}**.")
        if p_crop is not None:
            w2.markdown(f"On the face found by Viola–Jones in this photo: P(face) = **{p_crop:.2f}**.")
    st.markdown("**Compared with CNN features** (the transfer-learning idea): the same split, a logistic "
                "regression on VGG-16's pretrained conv features instead of visual words.")
    _cnn_comparison(bovw)
    st.info("**Where it breaks.** A bag of words forgets *where* the words are: a face with the eyes below the "
            "mouth has the same histogram. The dictionary and the classifier are hand-designed stages trained "
            "separately; a CNN learns the features and the classifier together, end to end.", icon="👜")


@dataclass(frozen=True)
class CnnBaseline:
    """VGG-16 features on lfw_subset scored like the bag of words: held-out accuracy, chance, feature size."""

    test_accuracy: float
    chance: float
    n_dims: int
    seconds: float


def _cnn_baseline(net: Any) -> CnnBaseline:
    """The Transfer learning page's default result (``vision_core.transfer``: ``CNN_LAYER`` of the shared
    ``vgg16_features`` model at ``CNN_SIZE`` px, global average pool, standardised logistic regression) on the
    bag of words' data and split (lfw_subset, 25 % held out, seed 0)."""
    from vision_core.transfer import cnn_features, evaluate_features

    ds = lfw_faces()
    t0 = time.perf_counter()
    feats = cnn_features(ds.images, net, CNN_LAYER, CNN_SIZE)
    ev = evaluate_features(feats, ds.labels, 0.25, 0)
    return CnnBaseline(ev.accuracy, ev.chance, int(feats.shape[1]), time.perf_counter() - t0)


def _cnn_comparison(bovw: classic.BovwModel | None) -> None:
    if not is_available("vgg16_features"):
        render_missing("vgg16_features")
        return
    clicked = st.button("Train on VGG-16 features (a few seconds)", key="cv_cnn_go")
    if not (clicked or st.session_state.get("_cv_cnn")):
        return
    net = require_model("vgg16_features")
    if net is None:
        return
    cnn = None
    with friendly_errors():
        cnn = compute_once("cnn", LFW, ("vgg16_features", CNN_LAYER, CNN_SIZE), lambda: _cnn_baseline(net),
                           "VGG-16 features of 200 images…")
        st.session_state["_cv_cnn"] = True
    if cnn is None or bovw is None:
        return
    st.dataframe([
        {"features": f"bag of {bovw.k} visual words (dense SIFT)", "numbers per image": bovw.k,
         "held-out accuracy": f"{bovw.test_accuracy:.1%}"},
        {"features": f"VGG-16 {CNN_LAYER} at {CNN_SIZE}×{CNN_SIZE}, averaged (ImageNet)",
         "numbers per image": cnn.n_dims, "held-out accuracy": f"{cnn.test_accuracy:.1%}"},
    ], hide_index=True)
    st.caption("The VGG-16 row is the Transfer learning page's default view (faces, block4_pool, 48 px); "
               "both rows are scored on the same 50 held-out images.")
