"""Architecture explorer: LeNet-5 to DenseNet layer by layer, comparisons, the inception bottleneck, a what-if editor."""

from __future__ import annotations

import streamlit as st

from ui import arch_plots as ap
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


def _summary(name: str, size_choice: str, channels: int | None = None) -> arch.ModelSummary | None:
    size = None
    if size_choice != "default":
        c = channels or arch.info(name).input_size[0]
        size = (c, int(size_choice), int(size_choice))
    try:
        return ap.cached_summary(name, size)
    except ValueError as exc:
        st.error(f"{exc} Choose a larger input size or the network's default.", icon="⚠️")
        return None


def _metrics(s: arch.ModelSummary, ref: arch.Reference) -> None:
    cols = st.columns(5)
    cols[0].metric("Parameters", ap.human(s.total_params), help=f"{s.total_params:,} (trainable {s.trainable_params:,}, "
                   f"frozen {s.frozen_params:,})")
    cols[1].metric("Multiply-adds", ap.human(s.total_macs), help=f"{s.total_macs:,} MACs = {s.total_flops:,} FLOPs")
    cols[2].metric("Activation memory", f"{s.activation_bytes / 2**20:.1f} MiB", help="float32 outputs of every layer, batch 1")
    cols[3].metric("Layers with weights", f"{sum(1 for r in s.leaves if r.params)}",
                   help="Leaf modules that hold parameters (convolutions, fully connected, batch norm)")
    st.caption(f"Input {'×'.join(map(str, s.input_size))} → output {s.output_text} · computed on the {s.device} device")
    if ref.metrics:
        first, second = list(ref.metrics.items())[:2] if len(ref.metrics) > 1 else (list(ref.metrics.items())[0], None)
        cols[4].metric(f"{first[0]} ({ref.dataset})", f"{first[1]:.2f}",
                       help=(f"{second[0]}: {second[1]:.2f}" if second else None))


def network_view() -> None:
    c1, c2, c3 = st.columns([3, 1, 2])
    name = c1.selectbox("Network", NAMES, index=NAMES.index("lenet5"), key="arch_net", bind="query-params")
    size_choice = c2.selectbox("Input H×W", SIZES, key="arch_hw", bind="query-params")
    level = c3.segmented_control("Rows", ("blocks", "layers", "all"), default="blocks", key="arch_rows",
                                 bind="query-params", required=True) or "blocks"
    net = arch.info(name)
    s = _summary(name, size_choice)
    if s is None:
        return
    ref = ap.cached_reference(name)
    st.subheader(s.title)
    if net.note:
        st.caption(net.note)
    _metrics(s, ref)
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
        st.plotly_chart(ap.stage_chart(s), width="stretch")
    with tab_diagram:
        st.caption("Shapes flowing between blocks (C×H×W). Green arcs: residual connections (+x identity, 1×1 projection); "
                   "inception branches side by side; dotted: U-Net skip concatenations.")
        st.plotly_chart(ap.block_diagram(s), width="stretch")


def _lenet_side_by_side() -> None:
    st.markdown("**LeNet-5 as drawn in the lecture (5×5) beside the lecture's Keras variant (3×3, average pooling):**")
    cols = st.columns(2)
    for col, name in zip(cols, ("lenet5", "lenet5_keras"), strict=True):
        s = ap.cached_summary(name, None)
        with col:
            st.caption(s.title)
            st.dataframe(ap.layers_frame(s, "layers")[["layer", "type", "output C×H×W", "params (trainable)", "MACs"]],
                         hide_index=True, width="stretch")


def compare_view() -> None:
    c1, c2 = st.columns(2)
    a = c1.selectbox("Network A", NAMES, index=NAMES.index("vgg16"), key="arch_a", bind="query-params")
    b = c2.selectbox("Network B", NAMES, index=NAMES.index("resnet50"), key="arch_b", bind="query-params")
    sa, sb = _summary(a, "default"), _summary(b, "default")
    if sa is None or sb is None:
        return
    for col, s in ((c1, sa), (c2, sb)):
        with col:
            st.subheader(s.title)
            _metrics(s, ap.cached_reference(s.name))
            st.dataframe(ap.layers_frame(s, "blocks")[["layer", "output C×H×W", "params (trainable)", "MACs"]],
                         hide_index=True, width="stretch", height=420)
    st.plotly_chart(ap.compare_chart(sa, sb), width="stretch")
    st.caption(CONVENTION)


def accuracy_view() -> None:
    x = st.segmented_control("Plot accuracy against", ("parameters", "GMACs"), default="parameters", key="arch_x",
                             bind="query-params", required=True) or "parameters"
    rows = arch.accuracy_table()
    st.plotly_chart(ap.accuracy_scatter(rows, x), width="stretch")
    st.caption("ImageNet-1K top-1/top-5 of torchvision's default weights, with their published parameter counts and "
               "multiply-adds (`torchvision.models.get_model_weights(name).DEFAULT.meta`, shipped offline). "
               "The explorer's own measurements equal these figures for every network.")
    st.dataframe(rows, hide_index=True, width="stretch")


def bottleneck_view() -> None:
    st.markdown("The lecture's example: a **28×28×192** input and **32 filters of 5×5** ('same' padding), directly or after "
                "a **1×1 reduction to 16 channels**. Change any size.")
    cols = st.columns(6)
    h = cols[0].number_input("H", 1, 1024, 28, key="arch_bn_h", bind="query-params")
    w = cols[1].number_input("W", 1, 1024, 28, key="arch_bn_w", bind="query-params")
    c = cols[2].number_input("input channels", 1, 4096, 192, key="arch_bn_c", bind="query-params")
    f = cols[3].number_input("filters", 1, 4096, 32, key="arch_bn_f", bind="query-params")
    k = cols[4].number_input("kernel", 1, 15, 5, key="arch_bn_k", bind="query-params")
    r = cols[5].number_input("1×1 reduces to", 1, 4096, 16, key="arch_bn_r", bind="query-params")
    with friendly_errors():
        res = arch.inception_bottleneck(int(h), int(w), int(c), int(f), int(k), int(r))
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


def whatif_view() -> None:
    bases = ("pattern", *arch.EDIT_PRESETS)
    c1, c2 = st.columns([2, 3])
    base = c1.selectbox("Start from", bases, index=bases.index("lenet5"), key="arch_edit_base", bind="query-params",
                        help="'pattern' is the lecture's INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC")
    adapt = c2.checkbox("Let each layer adapt to what reaches it", value=True, key="arch_adapt", bind="query-params",
                        help="Off: conv/FC layers keep the input sizes they were written for, like hand-written "
                             "PyTorch code, so an edit upstream can break them.")
    if base == "pattern":
        cols = st.columns(7)
        n = cols[0].number_input("N (conv per group)", 1, 6, 2, key="arch_pn", bind="query-params")
        m = cols[1].number_input("M (groups)", 1, 8, 2, key="arch_pm", bind="query-params")
        k = cols[2].number_input("K (hidden FC)", 0, 4, 1, key="arch_pk", bind="query-params")
        cw = cols[3].number_input("conv width", 1, 512, 32, key="arch_pcw", bind="query-params")
        fw = cols[4].number_input("FC width", 1, 8192, 128, key="arch_pfw", bind="query-params")
        side = cols[5].number_input("input H=W", 4, 512, 32, key="arch_pin", bind="query-params")
        ch = cols[6].number_input("input channels", 1, 4, 3, key="arch_pch", bind="query-params")
        pool = st.checkbox("POOL after each group (2×2 max)", value=True, key="arch_ppool", bind="query-params")
        try:
            original = arch.lecture_pattern(int(n), int(m), int(k), int(cw), int(fw), pool)
        except ValueError as exc:
            st.error(str(exc), icon="⚠️")
            return
        size = (int(ch), int(side), int(side))
        editor_key = f"arch_edit_pattern_{n}_{m}_{k}_{cw}_{fw}_{side}_{ch}_{pool}"
    else:
        size, original = arch.preset(base)
        editor_key = f"arch_edit_{base}"
    start = original
    shared = st.session_state.setdefault("_arch_shared", (editor_key, st.query_params.get("arch_layers", "")))
    if shared[1] and shared[0] == editor_key:
        try:
            start = arch.edit_from_text(shared[1])
            editor_key += "_shared"
        except ValueError as exc:
            st.warning(f"{exc} Starting from {base} instead.", icon="🔗")
            st.session_state["_arch_shared"] = (editor_key, "")
    st.caption(f"Input {'×'.join(map(str, size))}. Edit cells, add rows at the bottom or delete rows; kinds: "
               + ", ".join(arch.EDIT_KINDS) + ". `out` = channels (conv, residual, bottleneck, transition), features (fc) "
               "or side (adaptiveavg); `branches` = an inception module's #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, "
               "pool proj; `in_` = the input the layer was written for (0 = adapt).")
    frame = st.data_editor(
        ap.layers_to_frame(start), key=editor_key, num_rows="dynamic", hide_index=False, width="stretch",
        column_config={
            "kind": st.column_config.SelectboxColumn("kind", options=list(arch.EDIT_KINDS), required=True),
            "out": st.column_config.NumberColumn("out", min_value=0, max_value=arch.EDIT_LIMITS["out"], step=1),
            "kernel": st.column_config.NumberColumn("kernel", min_value=0, max_value=arch.EDIT_LIMITS["kernel"], step=1),
            "stride": st.column_config.NumberColumn("stride", min_value=0, max_value=arch.EDIT_LIMITS["stride"], step=1),
            "padding": st.column_config.NumberColumn("padding", min_value=0, max_value=arch.EDIT_LIMITS["padding"], step=1),
            "layers": st.column_config.NumberColumn("layers", min_value=0, max_value=arch.EDIT_LIMITS["layers"], step=1, help="dense block layers"),
            "growth": st.column_config.NumberColumn("growth", min_value=0, max_value=arch.EDIT_LIMITS["growth"], step=1, help="dense block growth rate k"),
            "branches": st.column_config.TextColumn(
                "branches", width="medium", help="inception: six widths, e.g. GoogLeNet's 3a = 64,96,128,16,32,32"),
            "bias": st.column_config.CheckboxColumn("bias"),
            "in_": st.column_config.NumberColumn("in (0 = adapt)", min_value=0, step=1),
        },
    )
    edited = ap.frame_to_layers(frame)
    if edited != original:
        st.query_params["arch_layers"] = arch.edit_to_text(edited)
        st.caption(f"🔗 The address bar now holds this edited network ({len(edited)} layers): copy it to share it.")
    elif "arch_layers" in st.query_params:
        del st.query_params["arch_layers"]
    orig_res = ap.edit(original, size, adapt)
    res = ap.edit(edited, size, adapt)
    if not res.ok:
        where = f"layer {res.error_index + 1} " if res.error_index is not None else ""
        st.error(f"This network cannot run — {where}{res.error}", icon="⚠️")
    elif res.summary is not None:
        c = st.columns(3)
        base_p = orig_res.summary.total_params if orig_res.summary else None
        base_m = orig_res.summary.total_macs if orig_res.summary else None
        c[0].metric("Parameters", ap.human(res.summary.total_params),
                    delta=None if not base_p or base_p == res.summary.total_params else f"{res.summary.total_params - base_p:+,}", delta_color="off")
        c[1].metric("Multiply-adds", ap.human(res.summary.total_macs),
                    delta=None if not base_m or base_m == res.summary.total_macs else f"{res.summary.total_macs - base_m:+,}", delta_color="off")
        c[2].metric("Output", res.summary.output_text)
    table = ap.edit_frame(res, edited)
    st.dataframe(table, hide_index=True, width="stretch", height=min(36 * (len(table) + 1) + 4, 720),
                 column_config={"MACs": st.column_config.NumberColumn(format="localized"),
                                "params": st.column_config.NumberColumn(format="localized")})
    with st.expander("Diff against the original (per layer)", expanded=False):
        st.dataframe(ap.diff_frame(arch.diff(orig_res, res, original, edited)), hide_index=True, width="stretch")
    if res.ok:
        with st.expander("Export as PyTorch code", expanded=False):
            code = arch.export_code(edited, size)
            st.code(code, language="python")
            st.download_button("Download edited_network.py", code, file_name="edited_network.py", key="arch_export")


{"Network": network_view, "Compare": compare_view, "Accuracy": accuracy_view, "Bottleneck": bottleneck_view,
 "What-if": whatif_view}[view]()
