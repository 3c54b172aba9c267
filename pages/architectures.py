"""Architecture explorer: LeNet-5 to DenseNet layer by layer, comparisons, the inception bottleneck, a what-if editor.

One function per view; the what-if editor and the cached computations are in ``ui.arch_views``, figures and tables
in ``ui.arch_plots``, every count in ``vision_core.architectures``."""

from __future__ import annotations

import streamlit as st

from ui import arch_plots as ap
from ui import arch_views as av
from ui.common import friendly_errors, page_header
from vision_core import architectures as arch

page_header(
    "🏛️ Architecture explorer",
    "CNN architectures (LeNet-5, AlexNet, VGG, GoogLeNet, ResNet, DenseNet)",
    "Open any classic network and read it layer by layer: the output shape of every layer, its parameters and its "
    "multiply-adds, measured by running the real PyTorch model. Compare networks, check the lecture's figures, "
    "redo the inception 1×1 bottleneck calculation, and edit a network to see everything recompute.",
)

VIEWS = ("Network", "Compare", "Accuracy", "Bottleneck", "What-if")
view = st.segmented_control("View", VIEWS, default="Network", key="arch_view", bind="query-params", required=True) or "Network"
NAMES = arch.available()
SIZES = ("default", "32", "64", "96", "128", "160", "224", "256", "299", "384", "512")
CONVENTION = (
    "Counted by running the model once on a blank input under `torch.utils.flop_counter.FlopCounterMode` on PyTorch's "
    "*meta* device (no weights allocated, so even VGG-19 is instant). **1 MAC = one multiply-add = 2 FLOPs**; "
    "torchvision's published \"GFLOPS\" are these multiply-adds. Element-wise work (ReLU, batch norm, additions, "
    "pooling) is not counted. Shared weights count once. Activation memory = float32 bytes of each layer's output, batch 1."
)


def _size(name: str, size_choice: str) -> tuple[int, int, int] | None:
    """The input size of the "Input H×W" choice (the network's own channels), ``None`` for its default."""
    return None if size_choice == "default" else (arch.info(name).input_size[0], int(size_choice), int(size_choice))


def _summary(name: str, size: tuple[int, int, int] | None = None) -> arch.ModelSummary | None:
    """The cached summary, or ``None`` after explaining why the network cannot run on that input."""
    try:
        return av.cached_summary(name, size)
    except ValueError as exc:
        st.error(f"{exc} Choose a larger input size or the network's default.", icon="⚠️")
        return None


def network_view() -> None:
    """One network: metrics, published figures, the lecture's ideas; layer table, per-stage charts, block diagram."""
    c1, c2, c3 = st.columns([3, 1, 2])
    name = c1.selectbox("Network", NAMES, index=NAMES.index("lenet5"), key="arch_net", bind="query-params")
    size_choice = c2.selectbox("Input H×W", SIZES, key="arch_hw", bind="query-params")
    level = c3.segmented_control("Rows", ("blocks", "layers", "all"), default="blocks", key="arch_rows",
                                 bind="query-params", required=True) or "blocks"
    net = arch.info(name)
    size = _size(name, size_choice)
    s = _summary(name, size)
    if s is None:
        return
    ref = av.cached_reference(name)
    st.subheader(s.title)
    if net.note:
        st.caption(net.note)
    av.summary_metrics(s, ref)
    st.caption(CONVENTION)
    if net.family == "LeNet":
        _lenet_side_by_side()
    st.markdown("**Published figures.** torchvision ships its weights' metadata offline; the lecture's claims beside them.")
    st.dataframe(ap.reference_frame(s, ref), hide_index=True, width="stretch",
                 column_config={"note": st.column_config.TextColumn("note", width="large")})
    for claim in ref.claims:
        if claim.note:
            st.caption(f"“{claim.text}” ({claim.source}): {claim.note}")
    if ref.ideas:
        st.markdown(f"**Ideas the lecture lists for {net.family}:**\n" + "\n".join(f"- {i}" for i in ref.ideas))
    tab_table, tab_charts, tab_diagram = st.tabs(["Layer table", "Per stage", "Block diagram"])
    with tab_table:
        blocks = [r.name for r in arch.block_rows(s) if r.block_kind]
        block = None
        if blocks:
            block = st.selectbox("Open one block (its layers)", ["(none)", *blocks], key="arch_block", bind="query-params")
            block = None if block == "(none)" else block
        frame = ap.layers_frame(s, level, block)
        st.dataframe(frame, hide_index=True, width="stretch", height=min(38 * (len(frame) + 1), 640),
                     column_config={"MACs": st.column_config.NumberColumn(format="localized"),
                                    "params (trainable)": st.column_config.NumberColumn(format="localized"),
                                    "params (frozen)": st.column_config.NumberColumn(format="localized")})
    with tab_charts:
        st.plotly_chart(av.stage_chart(name, size), width="stretch")
    with tab_diagram:
        st.caption("Shapes flowing between blocks (C×H×W). Green arcs: residual connections (+x identity, 1×1 projection); "
                   "inception branches side by side; dotted: U-Net skip concatenations.")
        st.plotly_chart(av.block_diagram(name, size), width="stretch")


def _lenet_side_by_side() -> None:
    """LeNet-5 as in the lecture beside its Keras variant, layer by layer."""
    st.markdown("**LeNet-5 as drawn in the lecture (5×5) beside the lecture's Keras variant (3×3, average pooling):**")
    cols = st.columns(2)
    for col, name in zip(cols, ("lenet5", "lenet5_keras"), strict=True):
        s = av.cached_summary(name, None)
        with col:
            st.caption(s.title)
            st.dataframe(ap.layers_frame(s, "layers")[["layer", "type", "output C×H×W", "params (trainable)", "MACs"]],
                         hide_index=True, width="stretch")


def compare_view() -> None:
    """Two networks side by side: metrics, block-level tables and a log-scale bar chart."""
    c1, c2 = st.columns(2)
    a = c1.selectbox("Network A", NAMES, index=NAMES.index("vgg16"), key="arch_a", bind="query-params")
    b = c2.selectbox("Network B", NAMES, index=NAMES.index("resnet50"), key="arch_b", bind="query-params")
    sa, sb = _summary(a), _summary(b)
    if sa is None or sb is None:
        return
    for col, s in ((c1, sa), (c2, sb)):
        with col:
            st.subheader(s.title)
            av.summary_metrics(s, av.cached_reference(s.name))
            st.dataframe(ap.layers_frame(s, "blocks")[["layer", "output C×H×W", "params (trainable)", "MACs"]],
                         hide_index=True, width="stretch", height=420)
    st.plotly_chart(av.compare_chart(a, b), width="stretch")
    st.caption(CONVENTION)


def accuracy_view() -> None:
    """ImageNet top-1 against parameters or GMACs for every classifier with torchvision metadata."""
    x = st.segmented_control("Plot accuracy against", ("parameters", "GMACs"), default="parameters", key="arch_x",
                             bind="query-params", required=True) or "parameters"
    rows = av.cached_accuracy()
    st.plotly_chart(av.accuracy_scatter(x), width="stretch")
    st.caption("ImageNet-1K top-1/top-5 of torchvision's default weights, with their published parameter counts and "
               "multiply-adds (`torchvision.models.get_model_weights(name).DEFAULT.meta`, shipped offline). "
               "The explorer's own measurements equal these figures for every network.")
    st.dataframe(rows, hide_index=True, width="stretch")


def bottleneck_view() -> None:
    """The inception 1×1 bottleneck calculator (the lecture's 28×28×192 example, every size editable)."""
    st.markdown("The lecture's example: a **28×28×192** input and **32 filters of 5×5** ('same' padding), directly or after "
                "a **1×1 reduction to 16 channels**. Change any size.")
    h, w, c, f, k, r = av.number_row(
        ("H", 1, 1024, 28, "arch_bn_h"), ("W", 1, 1024, 28, "arch_bn_w"),
        ("input channels", 1, 4096, 192, "arch_bn_c"), ("filters", 1, 4096, 32, "arch_bn_f"),
        ("kernel", 1, 15, 5, "arch_bn_k"), ("1×1 reduces to", 1, 4096, 16, "arch_bn_r"),
    )
    with friendly_errors():
        res = arch.inception_bottleneck(h, w, c, f, k, r)
        m1, m2, m3 = st.columns(3)
        m1.metric("Direct: multiplications", f"{res.direct_macs / 1e6:.1f} M", help=f"{res.direct_macs:,}")
        m2.metric("With the 1×1 reduction", f"{res.reduced_macs / 1e6:.1f} M", help=f"{res.reduced_macs:,}")
        m3.metric("Saving", f"{res.saving:.1f}× fewer")
        st.markdown(
            f"- Direct {k}×{k} convolution: each of the {h}×{w}×{f} outputs needs {k}×{k}×{c} multiplications → "
            f"{k}·{k}·{c}·{h}·{w}·{f} = **{res.direct_macs:,}** ({res.direct_params:,} weights)\n"
            f"- 1×1 reduction to {h}×{w}×{r}: 1·1·{c}·{h}·{w}·{r} = **{res.reduce_macs:,}**\n"
            f"- then {k}×{k} on {r} channels: {k}·{k}·{r}·{h}·{w}·{f} = **{res.conv_macs:,}**\n"
            f"- total with the bottleneck = **{res.reduced_macs:,}** ({res.reduced_params:,} weights)"
        )
        st.caption("Counted by FlopCounterMode on the convolutions themselves (no bias), so they agree with the formula.")


{"Network": network_view, "Compare": compare_view, "Accuracy": accuracy_view, "Bottleneck": bottleneck_view,
 "What-if": av.whatif_view}[view]()
