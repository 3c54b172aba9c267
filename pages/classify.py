"""Classify a photo: top-k ImageNet classes with real pretrained networks, the preprocessing shown, two models compared."""

from __future__ import annotations

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.models import require_model, say_strongest, strongest_index
from ui.see_plots import probabilities, steps, topk_figure
from ui.tray import current_image
from vision_core.classify import CLASSIFIERS, top_classes
from vision_core.models import Task, get_spec

page_header(
    "🏷️ Classify a photo",
    "Tasks in computer vision — classification; CNNs for classification (ImageNet)",
    "A classifier turns an image into one probability per class, like the lecture's "
    "*Lincoln 0.8 · Washington 0.1 · Jefferson 0.05 · Obama 0.05* — here over the 1000 ImageNet classes. "
    "Pick a photo in the tray, see the top classes, how the photo is prepared for the network, "
    "and compare two networks on the same photo.",
)

DEFAULT = "efficientnet_lite0"
NAMES = list(CLASSIFIERS)

tray = current_image()
c1, c2, c3 = st.columns([2, 1, 2])
model = c1.selectbox(
    "Network", NAMES, index=strongest_index(Task.CLASSIFICATION, NAMES, DEFAULT), key="cls_model", bind="query-params",
    help="efficientnet_lite0 ships with the app; the torchvision networks are downloaded on demand.",
) or DEFAULT
top_k = int(c2.slider("Top k", 1, 10, 5, key="cls_topk", bind="query-params"))
compare = c3.toggle("Compare with a second network", key="cls_compare", bind="query-params")


def load(name: str):  # noqa: ANN201 - a torch module or None
    """The shared network, or None after showing what is missing (download button, offline message)."""
    return require_model(name)


def show_topk(name: str, net, colour: str) -> list[tuple[str, float]] | None:  # noqa: ANN001
    """Classify the tray photo with ``net`` and draw the bar chart; None after a friendly error."""
    with friendly_errors("Cannot classify this photo: "):
        preds = top_classes(probabilities(tray.key, tray.image, name, net), top_k)
        st.plotly_chart(topk_figure(preds, f"{get_spec(name).title}: top {top_k}", colour), key=f"cls_chart_{name}_{colour}")
        label, prob = preds[0]
        rest = 1.0 - sum(p for _, p in preds)
        st.caption(
            f"Top-1: **{label}** with probability {prob:.3f}. The other {1000 - top_k} classes share "
            f"the remaining {rest:.3f} (softmax probabilities sum to 1)."
        )
        return preds
    return None


net = load(model)
shown = model
if net is None and model != DEFAULT:
    st.warning(f"{get_spec(model).title} is not available here, so the embedded EfficientNet-Lite0 is shown instead.")
    shown, net = DEFAULT, load(DEFAULT)
say_strongest(shown, Task.CLASSIFICATION)

if net is None:
    st.error("No classifier can run on this machine: the embedded EfficientNet-Lite0 file is missing (see above).")
else:
    if compare:
        left, right = st.columns(2)
        with left:
            first = show_topk(shown, net, "#1f77b4")
        with right:
            others = [n for n in NAMES if n != shown]
            second_name = st.selectbox("Second network", others, key="cls_model2", bind="query-params") or others[0]
            net2 = load(second_name)
            second = show_topk(second_name, net2, "#ff7f0e") if net2 is not None else None
            if net2 is None:
                st.caption("Offline, only the embedded EfficientNet-Lite0 runs; the comparison appears once the weights are here.")
        if first and second:
            common = {label for label, _ in first} & {label for label, _ in second}
            st.markdown(
                f"**Agreement:** {len(common)} of the top {top_k} classes are shared"
                + (f" ({', '.join(sorted(common))})." if common else ".")
                + (" Both put the same class first." if first[0][0] == second[0][0] else " They disagree on the top class.")
            )
    else:
        show_topk(shown, net, "#1f77b4")

    st.subheader("What the network actually sees")
    st.markdown(f"Preprocessing for **{get_spec(shown).title}**: {get_spec(shown).preprocessing_text}.")
    with friendly_errors():
        cols = st.columns([1.3, 1.3, 1, 2.2])
        for col, step in zip(cols, steps(tray.key, tray.image, shown)):
            col.image(step.image, caption=f"{step.title}: {step.caption}", width="stretch")
        st.caption(
            "The network never sees the parts outside the centre crop. Normalised values are shown as grey: "
            "mid-grey is the channel mean, white/black the largest positive/negative value."
        )
