"""Stride, padding and output size: the conv-layer calculator, the lecture's worked examples, layer stacks."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from ui import challenge_panel
from ui.common import friendly_errors, page_header
from ui.conv_plots import sliding_animation
from vision_core.ops.shapes import (
    LAYER_KINDS,
    conv_output_exact,
    conv_output_size,
    conv_summary,
    layers_from_rows,
    same_padding,
    stack_from_text,
    stack_shapes,
    stack_to_text,
    transposed_output_size,
)

page_header(
    "📐 Stride, padding and output size",
    "Convolution — some parameters: stride, padding; conv layer summary",
    "A conv layer takes W₁×H₁×D₁ and K filters of F×F; it gives W₂ = (W₁ − F + 2P)/S + 1, H₂ likewise, D₂ = K. "
    "Try the lecture's examples, then break them.",
)

LECTURE_EXAMPLES: dict[str, dict[str, int]] = {
    "custom": {},
    "7×7, 3×3 filter, stride 1 → 5×5": dict(os_w=7, os_h=7, os_d=1, os_f=3, os_s=1, os_p=0, os_dil=1, os_k=1),
    "7×7, 3×3 filter, stride 2 → 3×3": dict(os_w=7, os_h=7, os_d=1, os_f=3, os_s=2, os_p=0, os_dil=1, os_k=1),
    "7×7, 3×3 filter, stride 3 → does not fit": dict(os_w=7, os_h=7, os_d=1, os_f=3, os_s=3, os_p=0, os_dil=1, os_k=1),
    "7×7, pad 1, 3×3 filter, stride 1 → 7×7": dict(os_w=7, os_h=7, os_d=1, os_f=3, os_s=1, os_p=1, os_dil=1, os_k=1),
    "32×32×3, ten 5×5 filters, stride 1, pad 2 → 32×32×10, 760 params": dict(os_w=32, os_h=32, os_d=3, os_f=5, os_s=1, os_p=2,
                                                                            os_dil=1, os_k=10),
    "32×32×3, 5×5 filters, no padding → 28 (then 24 …)": dict(os_w=32, os_h=32, os_d=3, os_f=5, os_s=1, os_p=0, os_dil=1, os_k=6),
}
"""The lecture's worked examples: widget key → value (the keys are the URL parameters)."""
DEFAULTS = dict(os_w=7, os_h=7, os_d=1, os_f=3, os_s=1, os_p=0, os_dil=1, os_k=1)
FIELDS = (("os_w", "Input width W₁"), ("os_h", "Input height H₁"), ("os_d", "Input depth D₁"), ("os_f", "Filter size F"),
          ("os_s", "Stride S"), ("os_p", "Padding P"), ("os_dil", "Dilation"), ("os_k", "Filters K"))


def _apply_preset() -> None:
    for key, value in LECTURE_EXAMPLES.get(st.session_state.get("os_preset", "custom"), {}).items():
        st.session_state[key] = value


def calculator() -> None:
    """The conv-layer calculator: formula, output size, parameters, cost, and the sliding animation."""
    st.selectbox("Lecture example", list(LECTURE_EXAMPLES), key="os_preset", bind="query-params", on_change=_apply_preset)
    c = st.columns(len(FIELDS))
    W, H, D1, Fk, S, P, DIL, K = (int(col.number_input(label, value=DEFAULTS[key], step=1, key=key, bind="query-params"))
                                  for col, (key, label) in zip(c, FIELDS))
    with friendly_errors():
        exact = conv_output_exact(W, Fk, S, P, DIL)
        eff = DIL * (Fk - 1) + 1
        st.latex(rf"W_2 = \frac{{W_1 - F + 2P}}{{S}} + 1 = \frac{{{W} - {eff} + 2\cdot{P}}}{{{S}}} + 1 = {float(exact):.4g}")
        st.caption(f"F = {Fk}" if DIL == 1 else f"dilated F = {DIL}·({Fk} − 1) + 1 = {eff}")
        fits = True
        try:
            conv_output_size(W, Fk, S, P, DIL)
            conv_output_size(H, Fk, S, P, DIL)
        except ValueError as exc:
            fits = False
            st.warning(str(exc), icon="📏")
        summary = conv_summary(W, H, D1, Fk, S, P, DIL, K, strict=False)
        m = st.columns(5)
        m[0].metric("Output W₂×H₂×D₂", f"{summary.width}×{summary.height}×{summary.depth}",
                    help=None if fits else "floored, as PyTorch does")
        m[1].metric("Parameters", f"{summary.params:,}", help=f"({Fk}·{Fk}·{D1})·{K} weights + {K} biases")
        m[2].metric("Multiply-adds", f"{summary.mult_adds:,}", help="W₂·H₂·K·F·F·D₁")
        m[3].metric("Output activations", f"{summary.activations:,}")
        m[4].metric("Activation memory (float32)", f"{summary.memory_bytes / 1024:,.1f} KiB")
        challenge_panel.score("output_size", {"size": W, "kernel": Fk, "stride": S, "padding": P, "dilation": DIL},
                              only="size-keep-28")
        st.markdown(f"Each filter has {Fk}·{Fk}·{D1} + 1 = **{Fk * Fk * D1 + 1}** parameters (+1 for bias) → "
                    f"×{K} = **{summary.params:,}**.")
        try:
            st.caption(f"'Same' padding for this filter at stride 1: P = (F − 1)/2 = {same_padding(Fk, DIL)}.")
        except ValueError as exc:
            st.caption(str(exc))
        if max(W, H) <= 16:
            st.plotly_chart(sliding_animation(W, Fk, S, P, DIL), key="os_anim")
            st.caption("Press ▶ or drag the slider: the blue filter taps on the padded input fill the red output cell.")
        else:
            st.info("The animated grid is drawn for inputs up to 16×16; choose a smaller width and height to see it.")


def transposed_calculator() -> None:
    """The transposed convolution's output size."""
    st.subheader("Transposed convolution output")
    t = st.columns(5)
    tw = int(t[0].number_input("Input size", value=2, step=1, key="os_tw", bind="query-params"))
    tf = int(t[1].number_input("Filter size", value=3, step=1, key="os_tf", bind="query-params"))
    ts = int(t[2].number_input("Stride", value=2, step=1, key="os_ts", bind="query-params"))
    tp = int(t[3].number_input("Padding", value=1, step=1, key="os_tp", bind="query-params"))
    top = int(t[4].number_input("Output padding", value=1, step=1, key="os_top", bind="query-params"))
    with friendly_errors():
        out = transposed_output_size(tw, tf, ts, tp, top)
        st.latex(rf"S(W-1) + F - 2P + \text{{output\_padding}} = {ts}\cdot({tw}-1) + {tf} - 2\cdot{tp} + {top} = {out}")


def layer_stack() -> None:
    """An editable stack of conv / pool / tconv layers: sizes, parameters and receptive field after each."""
    st.subheader("A stack of layers")
    sc = st.columns([1, 1, 3])
    side = int(sc[0].number_input("Stack input side", value=32, step=1, key="os_sw", bind="query-params"))
    depth = int(sc[1].number_input("Stack input depth", value=3, step=1, key="os_sd", bind="query-params"))
    sc[2].caption("Add rows (conv / pool / tconv) with the + below the table; sizes use PyTorch's floor rule. "
                  "The default is the lecture's 32 → 28 → 24: repeated 5×5 filters without padding shrink the volume.")
    row = dict(kind="conv", kernel=5, stride=1, padding=0, dilation=1, filters=6, output_padding=0)
    start, editor_key = [row, row], "os_stack"
    linked = st.session_state.setdefault("_os_shared", st.query_params.get("os_layers", ""))
    if linked:
        try:
            start, editor_key = [asdict(layer) for layer in stack_from_text(linked)], "os_stack_shared"
        except ValueError as exc:
            st.warning(f"{exc} Starting from the lecture's stack instead.", icon="🔗")
            st.session_state["_os_shared"] = ""
    table = st.data_editor(
        pd.DataFrame(start), key=editor_key, num_rows="dynamic", hide_index=True,
        column_config={"kind": st.column_config.SelectboxColumn("kind", options=list(LAYER_KINDS), required=True)},
    )
    with friendly_errors():
        layers = layers_from_rows(table.to_dict("records"))
        st.query_params["os_layers"] = stack_to_text(layers)
        challenge_panel.score("output_size", {"layers": layers}, only="size-receptive-50")
        rows = stack_shapes(side, side, depth, layers)
        st.dataframe(pd.DataFrame([
            {"layer": f"{i}: {r.layer.kind} {r.layer.kernel}×{r.layer.kernel}/{r.layer.stride}",
             "output": f"{r.height}×{r.width}×{r.depth}", "parameters": r.params,
             "receptive field on input": f"{float(r.receptive):g}×{float(r.receptive):g}", "note": r.note}
            for i, r in enumerate(rows, start=1)
        ]), hide_index=True)
        if rows:
            path = " → ".join([str(side)] + [str(r.width) for r in rows])
            st.markdown(f"Width: **{path}**. One output unit sees a **{float(rows[-1].receptive):g}×"
                        f"{float(rows[-1].receptive):g}** region of the input.")


calculator()
transposed_calculator()
layer_stack()
