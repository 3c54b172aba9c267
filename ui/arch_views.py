"""Architecture explorer views and cached computations (per process, keyed by the settings; never modules).

- ``cached_summary`` / ``cached_structure`` / ``cached_reference`` / ``cached_accuracy`` / ``edit`` /
  ``cached_export``: ``vision_core.architectures`` results through ``st.cache_data``, so a warm rerun recomputes
  nothing; a network is summarised once per input size and dropped afterwards.
- ``stage_chart`` / ``block_diagram`` / ``compare_chart`` / ``accuracy_scatter``: the figures, built once per
  network and size (``ui.figures.remembered``, shared by every session: they show no photo).
- ``summary_metrics``: the metric row of a summary (parameters, MACs, activation memory, weighted layers, accuracy).
- ``number_row``: a row of integer inputs bound to the link (the bottleneck calculator's sizes, the lecture pattern's).
- ``whatif_view``: the what-if editor (a preset or the lecture's pattern → editable table → shapes, measured totals,
  diff, code export); the edited layer list travels in the link as ``?arch_layers=``.
"""

from __future__ import annotations

import math
from dataclasses import astuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import challenge_panel, arch_plots as ap
from ui.figures import remembered
from vision_core import architectures as arch

@st.cache_data(show_spinner="Measuring every layer…", max_entries=64)
def cached_summary(name: str, input_size: tuple[int, int, int] | None = None) -> arch.ModelSummary:
    """``arch.summarize(name, input_size)``, cached per process; the model itself is dropped after summarising."""
    return arch.summarize(name, input_size)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_structure(name: str, input_size: tuple[int, int, int] | None = None) -> arch.Structure:
    """``arch.block_structure`` of the cached summary (the block diagram's boxes)."""
    return arch.block_structure(cached_summary(name, input_size))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_reference(name: str) -> arch.Reference:
    """torchvision's published figures and the lecture's claims for ``name``."""
    return arch.reference(name)


@st.cache_data(max_entries=1, show_spinner=False)
def cached_accuracy() -> list[dict]:
    """``arch.accuracy_table()`` (torchvision's metadata does not change while the server runs)."""
    return arch.accuracy_table()


@st.cache_data(max_entries=256, show_spinner=False)
def cached_edit(layers: tuple[tuple, ...], input_size: tuple[int, int, int], adapt: bool) -> arch.EditResult:
    """``arch.evaluate`` on layers given as ``EditLayer`` field tuples."""
    return arch.evaluate([arch.EditLayer(*t) for t in layers], input_size, adapt)


def edit(layers: list[arch.EditLayer], input_size: tuple[int, int, int], adapt: bool) -> arch.EditResult:
    """Evaluate an edited network through the cache."""
    return cached_edit(tuple(astuple(layer) for layer in layers), tuple(input_size), adapt)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_export(layers: tuple[tuple, ...], input_size: tuple[int, int, int]) -> str:
    """``arch.export_code`` on layers given as ``EditLayer`` field tuples."""
    return arch.export_code([arch.EditLayer(*t) for t in layers], input_size)


def export(layers: list[arch.EditLayer], input_size: tuple[int, int, int]) -> str:
    """Export an edited network's code through the cache."""
    return cached_export(tuple(astuple(layer) for layer in layers), tuple(input_size))


@remembered
def stage_chart(name: str, input_size: tuple[int, int, int] | None = None) -> go.Figure:
    """Parameters and MACs per stage of a catalogued network (built once per network and size)."""
    return ap.stage_chart(cached_summary(name, input_size))


@remembered
def block_diagram(name: str, input_size: tuple[int, int, int] | None = None) -> go.Figure:
    """The block diagram of a catalogued network (built once per network and size)."""
    return ap.block_diagram(cached_structure(name, input_size))


@remembered
def compare_chart(a: str, b: str) -> go.Figure:
    """Two catalogued networks' parameters and MACs side by side, at their default sizes."""
    return ap.compare_chart(cached_summary(a), cached_summary(b))


@remembered
def accuracy_scatter(x: str) -> go.Figure:
    """ImageNet top-1 against ``x`` (``"parameters"`` or ``"GMACs"``) for every classifier with metadata."""
    return ap.accuracy_scatter(cached_accuracy(), x)


def summary_metrics(s: arch.ModelSummary, ref: arch.Reference) -> None:
    """Parameters, multiply-adds, activation memory, weighted layers and (when published) accuracy, in a row."""
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


EDIT_COLUMNS = ("kind", "out", "kernel", "stride", "padding", "layers", "growth", "branches", "bias", "in_")


def layers_to_frame(layers: list[arch.EditLayer]) -> pd.DataFrame:
    """A layer list as the data editor's table (``branches`` as comma-separated text)."""
    rows = [{c: (",".join(map(str, layer.branches)) if c == "branches" else getattr(layer, c)) for c in EDIT_COLUMNS}
            for layer in layers]
    return pd.DataFrame(rows, columns=list(EDIT_COLUMNS))


def _branches(text: object) -> tuple[int, ...]:
    """``"64, 96,128"`` → ``(64, 96, 128)``; anything unreadable → ``()`` (the editor then explains what it needs)."""
    if not isinstance(text, str):
        return ()
    try:
        return tuple(int(part) for part in text.replace(";", ",").split(",") if part.strip())
    except ValueError:
        return ()


def frame_to_layers(frame: pd.DataFrame) -> list[arch.EditLayer]:
    """Rows of the data editor → ``EditLayer``s; blank numbers become the defaults, blank kinds are skipped."""
    out = []
    defaults = arch.EditLayer("conv")
    for rec in frame.to_dict("records"):
        kind = rec.get("kind")
        if not isinstance(kind, str) or not kind:
            continue
        vals: dict = {"branches": _branches(rec.get("branches"))}
        for c in EDIT_COLUMNS[1:]:
            if c == "branches":
                continue
            v = rec.get(c)
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                v = getattr(defaults, c) if c != "stride" else 1
            vals[c] = bool(v) if c == "bias" else int(v)
        out.append(arch.EditLayer(kind, **vals))
    return out


def number_row(*fields: tuple[str, int, int, int, str]) -> list[int]:
    """One column per field ``(label, min, max, default, widget key)``: an integer input bound to the link
    (``?key=``); their values, in order."""
    cols = st.columns(len(fields))
    return [int(col.number_input(label, lo, hi, default, key=key, bind="query-params"))
            for col, (label, lo, hi, default, key) in zip(cols, fields)]


def whatif_view() -> None:
    """The what-if editor: start from a preset or the lecture's pattern, edit the table, see everything recompute."""
    bases = ("pattern", *arch.EDIT_PRESETS)
    c1, c2 = st.columns([2, 3])
    base = c1.selectbox("Start from", bases, index=bases.index("lenet5"), key="arch_edit_base", bind="query-params",
                        help="'pattern' is the lecture's INPUT → [[CONV → RELU]·N → POOL?]·M → [FC → RELU]·K → FC")
    adapt = c2.checkbox("Let each layer adapt to what reaches it", value=True, key="arch_adapt", bind="query-params",
                        help="Off: conv/FC layers keep the input sizes they were written for, like hand-written "
                             "PyTorch code, so an edit upstream can break them.")
    if base == "pattern":
        n, m, k, cw, fw, side, ch = number_row(
            ("N (conv per group)", 1, 6, 2, "arch_pn"), ("M (groups)", 1, 8, 2, "arch_pm"),
            ("K (hidden FC)", 0, 4, 1, "arch_pk"), ("conv width", 1, 512, 32, "arch_pcw"),
            ("FC width", 1, 8192, 128, "arch_pfw"), ("input H=W", 4, 512, 32, "arch_pin"),
            ("input channels", 1, 4, 3, "arch_pch"),
        )
        pool = st.checkbox("POOL after each group (2×2 max)", value=True, key="arch_ppool", bind="query-params")
        try:
            original = arch.lecture_pattern(n, m, k, cw, fw, pool)
        except ValueError as exc:
            st.error(str(exc), icon="⚠️")
            return
        size = (ch, side, side)
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
        layers_to_frame(start), key=editor_key, num_rows="dynamic", hide_index=False, width="stretch",
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
    edited = frame_to_layers(frame)
    if edited != original:
        st.query_params["arch_layers"] = arch.edit_to_text(edited)
        st.caption(f"🔗 The address bar now holds this edited network ({len(edited)} layers): copy it to share it.")
    elif "arch_layers" in st.query_params:
        del st.query_params["arch_layers"]
    orig_res = edit(original, size, adapt)
    res = edit(edited, size, adapt)
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
    challenge_panel.score("architectures", {"layers": arch.edit_to_text(edited), "input_size": tuple(size)} if edited else None)
    table = ap.edit_frame(res, edited)
    st.dataframe(table, hide_index=True, width="stretch", height=min(36 * (len(table) + 1) + 4, 720),
                 column_config={"MACs": st.column_config.NumberColumn(format="localized"),
                                "params": st.column_config.NumberColumn(format="localized")})
    with st.expander("Diff against the original (per layer)", expanded=False):
        st.dataframe(ap.diff_frame(arch.diff(orig_res, res, original, edited)), hide_index=True, width="stretch")
    if res.ok:
        with st.expander("Export as PyTorch code", expanded=False):
            code = export(edited, size)
            st.code(code, language="python")
            st.download_button("Download edited_network.py", code, file_name="edited_network.py", key="arch_export")


