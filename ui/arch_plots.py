"""Architecture explorer helpers: cached summaries (never cached modules), tables and plotly charts."""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from vision_core import architectures as arch


@st.cache_data(show_spinner="Measuring every layer…", max_entries=64)
def cached_summary(name: str, input_size: tuple[int, int, int] | None = None) -> arch.ModelSummary:
    """``arch.summarize(name, input_size)``, cached per process; the model itself is dropped after summarising."""
    return arch.summarize(name, input_size)


@st.cache_data(max_entries=64)
def cached_reference(name: str) -> arch.Reference:
    return arch.reference(name)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_edit(layers: tuple[tuple, ...], input_size: tuple[int, int, int], adapt: bool) -> arch.EditResult:
    """``arch.evaluate`` on layers given as ``EditLayer`` field tuples."""
    return arch.evaluate([arch.EditLayer(*t) for t in layers], input_size, adapt)


def edit(layers: list[arch.EditLayer], input_size: tuple[int, int, int], adapt: bool) -> arch.EditResult:
    """Evaluate an edited network through the cache."""
    return cached_edit(tuple(astuple(layer) for layer in layers), tuple(input_size), adapt)


def human(n: float, unit: str = "") -> str:
    """``61_100_840`` → ``"61.1M"``."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.{1 if abs(n) / div >= 10 else 2}f}{suffix}{unit}"
    return f"{n:.0f}{unit}"


def layers_frame(summary: arch.ModelSummary, level: str, block: str | None = None) -> pd.DataFrame:
    """The layer table: ``level`` is ``"blocks"`` (one row per residual/inception/dense/MBConv block),
    ``"layers"`` (every leaf layer) or ``"all"`` (every module, indented by depth). ``block`` keeps one block's rows."""
    if level == "blocks":
        rows = arch.block_rows(summary)
    elif level == "layers":
        rows = list(summary.leaves)
    else:
        rows = list(summary.layers)
    if block:
        rows = [r for r in summary.layers if (r.name == block or r.name.startswith(block + ".")) and (r.is_leaf or level == "all")]
    data = [{
        "layer": ("  " * (r.depth - 1) if level == "all" else "") + r.name,
        "type": r.type,
        "block": r.block if r.block_kind else "",
        "kind": r.block_kind,
        "output C×H×W": r.output_text,
        "params (trainable)": r.params_trainable,
        "params (frozen)": r.params_frozen,
        "MACs": r.macs,
        "activation KiB": round(r.activation_bytes / 1024, 1),
    } for r in rows]
    data.append({
        "layer": "TOTAL", "type": "", "block": "", "kind": "", "output C×H×W": summary.output_text,
        "params (trainable)": summary.trainable_params, "params (frozen)": summary.frozen_params,
        "MACs": summary.total_macs, "activation KiB": round(summary.activation_bytes / 1024, 1),
    })
    return pd.DataFrame(data)


def reference_frame(summary: arch.ModelSummary, ref: arch.Reference) -> pd.DataFrame:
    """Our measured totals beside torchvision's metadata and the lecture's claims, with the difference."""
    rows = [{"source": "measured here (FlopCounterMode, Σ p.numel())", "parameters": human(summary.total_params),
             "exact": f"{summary.total_params:,}", "GMACs": f"{summary.total_macs / 1e9:.3f}", "note": ""}]
    if ref.num_params is not None:
        same = "identical" if ref.num_params == summary.total_params else f"differs by {summary.total_params - ref.num_params:+,}"
        gm = f"{ref.gmacs:.3f}" if ref.gmacs is not None else "—"
        if ref.gmacs:
            gm += f" ({100 * (summary.total_macs / 1e9 - ref.gmacs) / ref.gmacs:+.2f}%)"
        rows.append({"source": f"torchvision metadata ({ref.weights})", "parameters": human(ref.num_params),
                     "exact": f"{ref.num_params:,}", "GMACs": gm, "note": f"parameters {same}"})
    for c in ref.claims:
        rows.append({"source": f"{c.source}: “{c.text}”", "parameters": human(c.value), "exact": "",
                     "GMACs": "", "note": f"{100 * (summary.total_params - c.value) / c.value:+.1f}% from ours. {c.note}"})
    return pd.DataFrame(rows)


def stage_chart(summary: arch.ModelSummary) -> go.Figure:
    """Two bar charts: parameters and multiply-adds per stage, in forward order."""
    stages = arch.stage_totals(summary)
    names = [s[0] for s in stages]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Parameters per stage", "Multiply-adds per stage"))
    fig.add_bar(x=names, y=[s[1] for s in stages], name="parameters", marker_color="#4C78A8", row=1, col=1,
                hovertemplate="%{x}<br>%{y:,} parameters<extra></extra>")
    fig.add_bar(x=names, y=[s[2] for s in stages], name="MACs", marker_color="#F58518", row=1, col=2,
                hovertemplate="%{x}<br>%{y:,} multiply-adds<extra></extra>")
    fig.update_layout(height=360, showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def compare_chart(a: arch.ModelSummary, b: arch.ModelSummary) -> go.Figure:
    """Parameters and MACs of two networks side by side (log scale)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Parameters", "Multiply-adds"))
    for s, color in ((a, "#4C78A8"), (b, "#F58518")):
        fig.add_bar(x=[s.title], y=[s.total_params], marker_color=color, row=1, col=1, name=s.title)
        fig.add_bar(x=[s.title], y=[s.total_macs], marker_color=color, row=1, col=2, showlegend=False)
    fig.update_yaxes(type="log")
    fig.update_layout(height=320, showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def accuracy_scatter(rows: list[dict], x: str) -> go.Figure:
    """ImageNet top-1 (y) against parameters or GMACs (x, log scale), one marker per network, hover names."""
    fig = go.Figure()
    families = sorted({r["family"] for r in rows})
    for fam in families:
        sub = [r for r in rows if r["family"] == fam]
        xs = [r["params"] if x == "parameters" else r["gmacs"] for r in sub]
        fig.add_scatter(
            x=xs, y=[r["top1"] for r in sub], mode="markers+text", name=fam, text=[r["name"] for r in sub],
            textposition="top center", marker=dict(size=11),
            customdata=[[r["top5"], r["params"], r["gmacs"]] for r in sub],
            hovertemplate="<b>%{text}</b><br>top-1 %{y:.2f}%<br>top-5 %{customdata[0]:.2f}%<br>"
                          "%{customdata[1]:,} parameters<br>%{customdata[2]:.3f} GMACs<extra></extra>",
        )
    fig.update_xaxes(type="log", title="parameters" if x == "parameters" else "GMACs (multiply-adds, 224×224)")
    fig.update_yaxes(title="ImageNet top-1 accuracy (%)")
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=20, b=10))
    return fig


@dataclass(frozen=True)
class _Box:
    name: str
    label: str
    kind: str
    shape: str
    out_shape: tuple[int, ...] | None
    params: int
    macs: int
    branches: tuple[tuple[str, str], ...]
    projection: bool


def _boxes(summary: arch.ModelSummary) -> list[_Box]:
    rows = arch.block_rows(summary)
    boxes: list[_Box] = []
    group: list[arch.LayerRow] = []

    def flush() -> None:
        if not group:
            return
        names = [r.name for r in group]
        types = [r.type for r in group]
        label = names[0] if len(names) == 1 else f"{names[0]} … {names[-1]}"
        calls = max(r.calls for r in group)
        if calls > 1:
            label += f" (shared, used {calls}×)"
        kinds = " → ".join(types if len(types) <= 4 else [*types[:2], "…", types[-1]])
        last = next((r for r in reversed(group) if r.output_shape is not None), group[-1])
        boxes.append(_Box(label, f"{label}<br><sup>{kinds}</sup>", "", last.output_text, last.output_shape,
                          sum(r.params for r in group), sum(r.macs for r in group), (), False))
        group.clear()

    children: dict[str, list[arch.LayerRow]] = {}
    for r in summary.layers:
        parent = r.name.rsplit(".", 1)[0] if "." in r.name else ""
        children.setdefault(parent, []).append(r)
    for r in rows:
        if not r.block_kind:
            stem = group and group[-1].stage == group[-1].name and r.stage == r.name
            if group and group[-1].stage != r.stage and not stem:
                flush()
            group.append(r)
            continue
        flush()
        kids = children.get(r.name, [])
        branches: list[tuple[str, str]] = []
        if r.block_kind == "inception":
            seen: dict[str, str] = {}
            for k in kids:
                key = re.sub(r"_\d+[ab]?$", "", k.name.rsplit(".", 1)[-1])
                if k.output_shape is not None:
                    seen[key] = k.output_text
            branches = list(seen.items())
        detail = {"residual": "F(x) + x", "mbconv": "expand → depthwise → project", "transition": "1×1 conv + pool",
                  "inception": "parallel branches, concatenated", "auxiliary": "auxiliary classifier (training)",
                  "unet": r.type}.get(r.block_kind, r.type)
        if r.block_kind == "dense":
            n_layers = len([k for k in summary.layers if k.name.startswith(r.name + ".") and k.type in ("_DenseLayer", "DenseLayer")])
            detail = f"{n_layers} dense layers, each sees all earlier maps"
        projection = any(k.name.endswith(".downsample") for k in kids)
        boxes.append(_Box(r.name, f"{r.name} · {r.type}<br><sup>{detail}</sup>", r.block_kind, r.output_text, r.output_shape,
                          r.params, r.macs, tuple(branches), projection))
    flush()
    return boxes


def block_diagram(summary: arch.ModelSummary, max_boxes: int = 90) -> go.Figure:
    """Blocks top to bottom with the shape flowing out of each; skip connections drawn as arcs on the right
    (``+x``, or ``1×1`` for a projection shortcut), inception branches as side-by-side boxes, U-Net skips on the left."""
    boxes = _boxes(summary)[:max_boxes]
    fig = go.Figure()
    step = 1.25
    in_text = "×".join(map(str, summary.input_size))
    fig.add_annotation(x=0, y=step * 0.55, text=f"<b>input {in_text}</b>", showarrow=False, font=dict(size=12))
    colors = {"": "#E8EEF7", "residual": "#DCEFD9", "inception": "#FCE8D2", "dense": "#EADCF2", "transition": "#F2E3DC",
              "mbconv": "#D8F0F0", "auxiliary": "#F5F5F5", "unet": "#FFF6CC"}
    prev_shape: tuple[int, ...] | None = (1, *summary.input_size)
    hover_x, hover_y, hover_t = [], [], []
    for i, b in enumerate(boxes):
        y = -i * step
        fig.add_shape(type="rect", x0=-1.6, x1=1.6, y0=y - 0.4, y1=y + 0.4, line=dict(color="#555", width=1),
                      fillcolor=colors.get(b.kind, "#EEE"))
        if b.branches:
            n = len(b.branches)
            width = 3.0 / n
            for j, (bname, bshape) in enumerate(b.branches):
                x0 = -1.5 + j * width
                fig.add_shape(type="rect", x0=x0 + 0.03, x1=x0 + width - 0.03, y0=y - 0.36, y1=y - 0.02,
                              line=dict(color="#C77", width=1), fillcolor="#FFF")
                fig.add_annotation(x=x0 + width / 2, y=y - 0.19, text=f"{bname}<br>{bshape}", showarrow=False,
                                   font=dict(size=9))
            fig.add_annotation(x=0, y=y + 0.2, text=b.label.split("<br>")[0], showarrow=False, font=dict(size=11))
        else:
            fig.add_annotation(x=0, y=y, text=b.label, showarrow=False, font=dict(size=11))
        fig.add_annotation(x=0, y=y - 0.4 - (step - 0.8) / 2, text=f"<b>{b.shape}</b>", showarrow=False,
                           font=dict(size=10, color="#1f4e9c"), bgcolor="white")
        fig.add_annotation(x=2.7, y=y, text=f"{human(b.params)} params · {human(b.macs)} MACs", showarrow=False,
                           font=dict(size=9, color="#666"), xanchor="left")
        skip = b.kind == "residual" or (b.kind == "mbconv" and prev_shape is not None and prev_shape == b.out_shape)
        if skip:
            yt, yb = y + 0.55, y - 0.55
            fig.add_shape(type="path", path=f"M 1.6,{yt} C 2.4,{yt} 2.4,{yb} 1.6,{yb}", line=dict(color="#2a7", width=2))
            fig.add_annotation(x=2.25, y=y, text="1×1" if b.projection else "+x", showarrow=False,
                               font=dict(size=10, color="#2a7"))
        hover_x.append(0)
        hover_y.append(y)
        hover_t.append(f"{b.name}<br>out {b.shape}<br>{b.params:,} params<br>{b.macs:,} MACs")
        prev_shape = b.out_shape
        if i:
            fig.add_shape(type="line", x0=0, x1=0, y0=y + step - 0.4, y1=y + 0.4, line=dict(color="#999", width=1))
    unet = [(i, b) for i, b in enumerate(boxes) if b.kind == "unet"]
    for i, b in unet:
        if "UpBlock" not in b.label or b.out_shape is None:
            continue
        for j, e in unet:
            if j < i and "DoubleConv" in e.label and e.out_shape is not None and e.out_shape[-2:] == b.out_shape[-2:]:
                y0, y1 = -j * step, -i * step
                xm = -2.2 - 0.15 * (i - j)
                fig.add_shape(type="path", path=f"M -1.6,{y0} C {xm},{y0} {xm},{y1} -1.6,{y1}",
                              line=dict(color="#c80", width=2, dash="dot"))
                break
    fig.add_scatter(x=hover_x, y=hover_y, mode="markers", marker=dict(size=30, opacity=0), hovertext=hover_t,
                    hoverinfo="text", showlegend=False)
    fig.update_xaxes(visible=False, range=[-3.2, 4.6])
    fig.update_yaxes(visible=False, range=[-(len(boxes) - 1) * step - 0.9, step])
    fig.update_layout(height=max(300, int(75 * len(boxes)) + 80), margin=dict(l=0, r=0, t=10, b=10),
                      plot_bgcolor="white")
    return fig


def edit_frame(result: arch.EditResult, layers: list[arch.EditLayer]) -> pd.DataFrame:
    """Per edited layer: shape in → out, receptive field, parameters and MACs (measured) or the error."""
    values = {n: (p, m) for n, p, m in result.layer_values()}
    data = []
    for row in result.rows:
        p, m = values.get(row.name, (0, 0))
        data.append({
            "layer": row.name, "kind": row.kind,
            "in": "×".join(map(str, row.in_shape)),
            "out": "×".join(map(str, row.out_shape)) if row.out_shape else "✗",
            "receptive field": "whole image" if row.rf is None else f"{row.rf}×{row.rf}",
            "params": p if result.ok else None, "MACs": m if result.ok else None,
            "problem": row.error,
        })
    return pd.DataFrame(data)


def diff_frame(rows: list[arch.DiffRow]) -> pd.DataFrame:
    return pd.DataFrame([{
        "status": r.status, "original": r.original, "edited": r.edited, "original out": r.original_shape,
        "edited out": r.edited_shape, "Δ params": r.params_delta, "Δ MACs": r.macs_delta,
    } for r in rows])


EDIT_COLUMNS = ("kind", "out", "kernel", "stride", "padding", "layers", "growth", "branches", "bias", "in_")


def layers_to_frame(layers: list[arch.EditLayer]) -> pd.DataFrame:
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
            if v is None or (isinstance(v, float) and v != v):
                v = getattr(defaults, c) if c != "stride" else 1
            vals[c] = bool(v) if c == "bias" else int(v)
        out.append(arch.EditLayer(kind, **vals))
    return out
