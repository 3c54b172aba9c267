"""The segmentation page's views, one function each (no maths here: values come from vision_core.segmentation).

Networks run through ``ui.seg_plots`` (once per photo, model and the settings the model uses); opacity, the
overlay / mask / probability view and the class choice only paint the cached result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from ui.agreement_plots import class_map_agreement, iou_bars, mask_agreement
from ui.common import friendly_errors
from ui.models import is_available, require_model, say_strongest, strongest_index
from ui.seg_plots import (
    BoxSet,
    blazepose_boxes,
    grabcut_for,
    mask_rcnn_for,
    segment_for,
    share_bars,
    split_for,
    work_bars,
    yolo_boxes,
)
from ui.tray import TrayImage
from vision_core.io.images import to_png_bytes
from vision_core.models import Task, get_spec
from vision_core.segmentation import (
    BOX_SOURCES,
    SEMANTIC_MODELS,
    InstanceResult,
    SegmentationResult,
    class_colours,
    class_shares,
    colour_mask,
    fcn_shapes,
    instance_overlay,
    overlay_mask,
    probability_image,
    mask_agreement_picture,
    sliding_window_cost,
    union_mask,
    unet_shapes,
)

METHODS = ("Boxes + GrabCut (offline substitute)", "Selfie mask split by boxes (offline substitute)", "Mask R-CNN")
T = TypeVar("T")


def _explained(compute: Callable[[], T]) -> T | None:
    """What ``compute()`` returns, or None after an error box saying why it could not (``friendly_errors``)."""
    with friendly_errors():
        return compute()
    return None


def run_segment(item: TrayImage, name: str) -> SegmentationResult | None:
    """The segmentation with model ``name`` (computed once), or None after explaining what is missing."""
    net = require_model(name)
    return None if net is None else _explained(lambda: segment_for(item, name, net))


def semantic_view(item: TrayImage) -> None:
    """One class per pixel: the model, the overlay / mask / probability view, opacity, shares per class."""
    H, W = item.image.shape[:2]
    st.subheader("Semantic segmentation: one class per pixel")
    c1, c2, c3 = st.columns([2, 1, 1])
    model = c1.selectbox(
        "Model", SEMANTIC_MODELS, index=strongest_index(Task.SEGMENTATION, SEMANTIC_MODELS, "selfie"), key="seg_model",
        bind="query-params",
        help="selfie / selfie_landscape: MediaPipe, person vs background, embedded. deeplabv3, fcn_resnet50, lraspp: "
        "torchvision, 21 Pascal VOC classes, downloaded on demand.",
    )
    view = c2.radio("Show", ["overlay", "mask", "probability"], horizontal=False, key="seg_view", bind="query-params")
    alpha = c3.slider("Opacity", 0.0, 1.0, 0.55, 0.05, key="seg_alpha", bind="query-params")
    st.caption(f"**{get_spec(model).title}** · {get_spec(model).preprocessing_text}")
    result = run_segment(item, model)
    if result is None and not model.startswith("selfie"):
        st.info("Meanwhile, the embedded MediaPipe selfie model (person / background) runs on your photo.", icon="↩️")
        result = run_segment(item, "selfie")
    if result is None:
        return
    say_strongest(result.model, Task.SEGMENTATION)
    shares = class_shares(result)
    left, right = st.columns(2)
    left.image(item.image, caption=f"{item.label} · {W}×{H}", width="stretch")
    with friendly_errors():
        if view == "overlay":
            right.image(overlay_mask(item.image, result, alpha), caption=f"{result.model}: classes painted over the photo",
                        width="stretch")
        elif view == "mask":
            right.image(colour_mask(result), caption=f"{result.model}: class map, one colour per class", width="stretch")
        else:
            present = [n for n in shares if n != "background"] or ["background"]
            which = right.selectbox("Probability of", present, key="seg_prob_class")
            right.image(probability_image(result, which), caption=f"P({which}) per pixel: black 0, white 1",
                        width="stretch")
    m1, m2, m3 = st.columns(3)
    top = next((n for n in shares if n != "background"), "background")
    m1.metric("Classes present", len(shares))
    m2.metric(f"{top} pixels", f"{100 * shares[top]:.1f} %")
    m3.metric("Time for the whole call", f"{1000 * result.seconds:.0f} ms")
    colours = class_colours(result)
    names = list(shares)
    st.plotly_chart(share_bars(names, [shares[n] for n in names],
                               [tuple(colours[result.class_names.index(n)]) for n in names]), key="seg_shares")
    st.download_button("Download the overlay (PNG)", lambda: to_png_bytes(overlay_mask(item.image, result, alpha)),
                       file_name=f"segmentation-{result.model}.png", mime="image/png", key="seg_dl")


def substitute_boxes(item: TrayImage, source: str) -> BoxSet | None:
    """Boxes for the offline substitutes from BlazePose or YOLOv3-tiny (both cached), or None after a sentence."""
    net = require_model("blazepose" if source == "BlazePose" else "yolov3_tiny")
    if net is None:
        return None
    with friendly_errors():
        boxes = blazepose_boxes(item, net) if source == "BlazePose" else yolo_boxes(item, net)
        if len(boxes) == 0:
            st.warning(f"{source} found no {'person' if source == 'BlazePose' else 'object'} in this photo, "
                       "so there is nothing to cut out. Try the astronaut, or the other box source.", icon="🔍")
            return None
        return boxes
    return None


def instances(item: TrayImage, method: str, source: str, iterations: int) -> InstanceResult | None:
    """The instances of ``method`` (each part cached), or None after explaining why there are none."""
    if method == "Mask R-CNN":
        net = require_model("maskrcnn")
        if net is None:
            st.info("Mask R-CNN is not on this machine; pick an offline substitute above to see instances now.",
                    icon="↩️")
            return None
        say_strongest("maskrcnn", Task.INSTANCE_SEGMENTATION)
        return _explained(lambda: mask_rcnn_for(item, net))
    boxes = substitute_boxes(item, source)
    if boxes is None:
        return None
    if method.startswith("Boxes"):
        return _explained(lambda: grabcut_for(item, boxes, iterations))
    person = run_segment(item, "selfie")
    return None if person is None else _explained(lambda: split_for(item, person, boxes))


def instances_view(item: TrayImage) -> None:
    """One mask per object: Mask R-CNN or an offline substitute, the masks over the photo and a table."""
    st.subheader("Instance segmentation: one mask per object")
    i1, i2, i3 = st.columns([2, 1, 1])
    method = i1.radio(
        "Method", METHODS, index=METHODS.index("Mask R-CNN") if is_available("maskrcnn") else 0, key="seg_inst",
        bind="query-params",
        help="Mask R-CNN (He et al. 2017) adds a mask branch to Faster R-CNN; it is a download. The two substitutes "
        "run offline and are not Mask R-CNN: a detector's boxes, then a classic algorithm draws the mask.",
    )
    source = i2.radio("Boxes from", BOX_SOURCES, key="seg_boxes", bind="query-params",
                      help="BlazePose: a box around each person's landmarks. YOLOv3-tiny: every object of the "
                      "detection page.")
    iters = i3.slider("GrabCut iterations", 1, 8, 3, key="seg_iters", bind="query-params")
    inst = instances(item, method, source, int(iters))
    if inst is None:
        return
    a, b = st.columns([3, 2])
    a.image(instance_overlay(item.image, inst, 0.5), caption=f"{len(inst)} instance(s) · {inst.method}", width="stretch")
    if inst.substitute:
        b.warning("**Offline substitute, not Mask R-CNN.** The boxes come from a detector; the masks from "
                  + ("GrabCut (a graph cut on colour models, Rother et al. 2004)" if "GrabCut" in inst.method
                     else "the selfie model's person mask, split between the boxes") + ".", icon="🧩")
    b.dataframe(
        [{"#": i + 1, "label": lab, "score": round(float(s), 3), "mask pixels": int(m.sum()),
          "box (x0, y0, x1, y1)": ", ".join(f"{v:.0f}" for v in box)}
         for i, (lab, s, m, box) in enumerate(zip(inst.labels, inst.scores, inst.masks, inst.boxes))],
        hide_index=True,
    )


def sliding_view(item: TrayImage) -> None:
    """How many CNN runs and pixel reads a per-pixel sliding window costs on this photo."""
    H, W = item.image.shape[:2]
    st.subheader("Why not classify every pixel with a sliding window?")
    patch = st.slider("Window (patch) size around each pixel", 8, 224, 64, 8, key="seg_patch", bind="query-params")
    with friendly_errors():
        cost = sliding_window_cost(H, W, patch)
        s1, s2, s3 = st.columns(3)
        s1.metric("CNN runs (one per pixel)", f"{cost.windows:,}")
        s2.metric("Pixel reads", f"{cost.pixel_reads:,}")
        s3.metric("Each pixel read", f"{cost.redundancy:,} times")
        st.plotly_chart(work_bars(["sliding window: pixel reads", "fully convolutional: pixel reads"],
                                  [cost.pixel_reads, cost.windows], f"Work for this {W}×{H} photo (log scale)"),
                        key="seg_work")
        st.markdown(
            f"The lecture's point: a {patch}×{patch} window centred on each of the {W}×{H} = {cost.windows:,} pixels "
            "means as many CNN runs, and neighbouring windows overlap almost entirely, so the same features are "
            "computed again and again (*\"muito ineficiente\"*). A **fully convolutional** network computes the "
            "features once for the whole photo and predicts all pixels in one pass — with **downsampling** inside "
            "(pooling, strided convolution) to stay affordable, and **upsampling** back to H×W."
        )


def shapes_view(item: TrayImage) -> None:
    """FCN-32s's shapes for this photo and U-Net's for a chosen input side."""
    H, W = item.image.shape[:2]
    st.subheader("FCN and U-Net, with the shapes for your photo")
    f1, f2 = st.columns(2)
    with f1, friendly_errors():
        st.markdown("**FCN-32s** (Long, Shelhamer & Darrell 2015) on VGG-16: the fully connected layers become "
                    "convolutions (fc6 = 7×7 conv, fc7 = 1×1 conv), then one ×32 upsampling.")
        st.dataframe([{"stage": r.stage, "C × H × W": f"{r.channels} × {r.height} × {r.width}"}
                      for r in fcn_shapes(H, W)], hide_index=True)
    with f2, friendly_errors():
        unet_in = st.select_slider("U-Net input side", [188, 252, 380, 572], value=572, key="seg_unet",
                                   bind="query-params",
                                   help="Unpadded 3×3 convolutions only fit some sizes; 572 is the paper's figure.")
        st.markdown("**U-Net** (Ronneberger et al. 2015): an encoder–decoder; each up step **concatenates** the "
                    "encoder map of the same level (the skip connection, cropped because the convolutions are "
                    "unpadded).")
        st.dataframe([{"stage": r.stage, "C × H × W": f"{r.channels} × {r.height} × {r.width}", "skip from": r.skip}
                      for r in unet_shapes(int(unet_in), int(unet_in))], hide_index=True)


SEG_PAIRS = ("selfie vs GrabCut (offline)", "DeepLabV3 vs FCN (VOC, downloads)")
"""The two segmenter pairs the agreement view compares (the ``seg_pair`` link values)."""


def _person_agreement(item: TrayImage, alpha: float) -> None:
    """MediaPipe selfie's person mask against GrabCut inside BlazePose's person boxes (both embedded, both cached)."""
    iterations = int(st.session_state.get("seg_iters", 3))
    person = run_segment(item, "selfie")
    boxes = substitute_boxes(item, "BlazePose")
    if person is None or boxes is None:
        return
    with friendly_errors():
        cut = grabcut_for(item, boxes, iterations)
        a, b = person.mask("person"), union_mask(cut.masks, item.image.shape[:2])
        agree = mask_agreement(item.key, ("selfie", "grabcut", boxes.key, iterations), a, b)
        left, right = st.columns([3, 2])
        left.image(mask_agreement_picture(item.image, a, b, alpha), width="stretch",
                   caption="Person: green both, blue only the selfie model, orange only GrabCut")
        right.metric("IoU (person)", "n/a" if agree.union == 0 else f"{agree.iou:.3f}")
        right.markdown(
            f"- both: {agree.intersection:,} px\n- only selfie: {agree.only_a:,} px\n- only GrabCut: {agree.only_b:,} px"
            f"\n\nIoU = |A ∩ B| / |A ∪ B| = {agree.intersection:,} / {agree.union:,}"
            + ("" if agree.union == 0 else f" = **{agree.iou:.3f}**"))
        right.caption(f"A: MediaPipe selfie segmentation (person probability > 0.5). B: GrabCut ({iterations} "
                      f"iterations, the setting above) inside {len(boxes)} BlazePose person box(es), the offline "
                      "substitute of the instances view. Two different ideas: a trained network against a graph cut "
                      "on colour models.")


def _voc_agreement(item: TrayImage, alpha: float) -> None:
    """DeepLabV3 against FCN over the 21 VOC classes: per-class IoU, mean IoU, pixel agreement (downloads)."""
    names = ("deeplabv3", "fcn_resnet50")
    nets = [require_model(n) for n in names]
    if any(net is None for net in nets):
        st.info("DeepLabV3 and FCN are downloads (what is missing is listed above). Offline, the other pair "
                "compares two embedded segmenters.", icon="↩️")
        return
    with friendly_errors():
        a, b = (segment_for(item, n, net) for n, net in zip(names, nets))
        agree = class_map_agreement(item.key, names, a, b)
        m1, m2, m3 = st.columns(3)
        m1.metric("Mean IoU", "n/a" if math.isnan(agree.mean_iou) else f"{agree.mean_iou:.3f}",
                  help="the mean of the per-class IoU over the classes either model finds (background included)")
        m2.metric("Pixels with the same class", f"{agree.pixel_agreement:.1%}")
        m3.metric("Classes found (either)", len(agree.names))
        shown = [n for n in agree.names if n != "background"] or list(agree.names)
        which = st.selectbox("Class to show", shown, key="seg_pair_class")
        left, right = st.columns([3, 2])
        left.image(mask_agreement_picture(item.image, a.mask(which), b.mask(which), alpha), width="stretch",
                   caption=f"{which}: green both, blue only {get_spec(names[0]).title}, orange only "
                           f"{get_spec(names[1]).title}")
        right.plotly_chart(iou_bars(agree.names, [m.iou for m in agree.per_class], "IoU per class",
                                    photo_key=item.key), key="seg_pair_ious")
        st.dataframe(agree.table(), hide_index=True)


def agreement_view(item: TrayImage) -> None:
    """Two segmenters on the same photo: where their masks agree, the IoU (per class and mean for the VOC models)."""
    st.subheader("Do two segmenters agree?")
    c1, c2 = st.columns([3, 1])
    pair = c1.segmented_control("Pair", SEG_PAIRS, default=SEG_PAIRS[0], key="seg_pair", bind="query-params",
                                required=True) or SEG_PAIRS[0]
    alpha = float(c2.slider("Opacity", 0.0, 1.0, 0.55, 0.05, key="seg_pair_alpha", bind="query-params"))
    st.caption("IoU = |A ∩ B| / |A ∪ B|: the pixels both call the class, over the pixels either does "
               "(1 = the same mask, 0 = nothing in common).")
    if pair == SEG_PAIRS[0]:
        _person_agreement(item, alpha)
    else:
        _voc_agreement(item, alpha)
