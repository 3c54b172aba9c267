"""Architecture explorer figures: layer, reference, edit and diff tables (pandas) and plotly charts.

Plotting only: what the charts show is computed in ``vision_core.architectures`` (summaries, stage totals, the
block structure); cached computations and the views are in ``ui.arch_views``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from vision_core import architectures as arch


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


def block_diagram(structure: arch.Structure, max_boxes: int = 90) -> go.Figure:
    """Blocks top to bottom with the shape flowing out of each (``arch.block_structure``); skip connections drawn as
    arcs on the right (``+x``, or ``1×1`` for a projection shortcut), inception branches as side-by-side boxes, U-Net
    skips on the left. Shapes and annotations are collected and set once (``add_shape`` one by one is quadratic)."""
    boxes = structure.blocks[:max_boxes]
    step = 1.25
    in_text = "×".join(map(str, structure.input_size))
    shapes: list[dict] = []
    notes: list[dict] = [dict(x=0, y=step * 0.55, text=f"<b>input {in_text}</b>", showarrow=False, font=dict(size=12))]
    colors = {"": "#E8EEF7", "residual": "#DCEFD9", "inception": "#FCE8D2", "dense": "#EADCF2", "transition": "#F2E3DC",
              "mbconv": "#D8F0F0", "auxiliary": "#F5F5F5", "unet": "#FFF6CC"}
    hover_x, hover_y, hover_t = [], [], []
    for i, b in enumerate(boxes):
        y = -i * step
        shapes.append(dict(type="rect", x0=-1.6, x1=1.6, y0=y - 0.4, y1=y + 0.4, line=dict(color="#555", width=1),
                           fillcolor=colors.get(b.kind, "#EEE")))
        if b.branches:
            width = 3.0 / len(b.branches)
            for j, (bname, bshape) in enumerate(b.branches):
                x0 = -1.5 + j * width
                shapes.append(dict(type="rect", x0=x0 + 0.03, x1=x0 + width - 0.03, y0=y - 0.36, y1=y - 0.02,
                                   line=dict(color="#C77", width=1), fillcolor="#FFF"))
                notes.append(dict(x=x0 + width / 2, y=y - 0.19, text=f"{bname}<br>{bshape}", showarrow=False,
                                  font=dict(size=9)))
            notes.append(dict(x=0, y=y + 0.2, text=b.title, showarrow=False, font=dict(size=11)))
        else:
            notes.append(dict(x=0, y=y, text=f"{b.title}<br><sup>{b.detail}</sup>", showarrow=False, font=dict(size=11)))
        notes.append(dict(x=0, y=y - 0.4 - (step - 0.8) / 2, text=f"<b>{b.output_text}</b>", showarrow=False,
                          font=dict(size=10, color="#1f4e9c"), bgcolor="white"))
        notes.append(dict(x=2.7, y=y, text=f"{human(b.params)} params · {human(b.macs)} MACs", showarrow=False,
                          font=dict(size=9, color="#666"), xanchor="left"))
        if b.shortcut:
            yt, yb = y + 0.55, y - 0.55
            shapes.append(dict(type="path", path=f"M 1.6,{yt} C 2.4,{yt} 2.4,{yb} 1.6,{yb}", line=dict(color="#2a7", width=2)))
            notes.append(dict(x=2.25, y=y, text="1×1" if b.shortcut == "projection" else "+x", showarrow=False,
                              font=dict(size=10, color="#2a7")))
        hover_x.append(0)
        hover_y.append(y)
        hover_t.append(f"{b.name}<br>out {b.output_text}<br>{b.params:,} params<br>{b.macs:,} MACs")
        if i:
            shapes.append(dict(type="line", x0=0, x1=0, y0=y + step - 0.4, y1=y + 0.4, line=dict(color="#999", width=1)))
    for j, i in structure.concat_skips:
        if i >= len(boxes):
            continue
        y0, y1 = -j * step, -i * step
        xm = -2.2 - 0.15 * (i - j)
        shapes.append(dict(type="path", path=f"M -1.6,{y0} C {xm},{y0} {xm},{y1} -1.6,{y1}",
                           line=dict(color="#c80", width=2, dash="dot")))
    fig = go.Figure()
    fig.add_scatter(x=hover_x, y=hover_y, mode="markers", marker=dict(size=30, opacity=0), hovertext=hover_t,
                    hoverinfo="text", showlegend=False)
    fig.update_xaxes(visible=False, range=[-3.2, 4.6])
    fig.update_yaxes(visible=False, range=[-(len(boxes) - 1) * step - 0.9, step])
    fig.update_layout(height=max(300, int(75 * len(boxes)) + 80), margin=dict(l=0, r=0, t=10, b=10),
                      plot_bgcolor="white", shapes=shapes, annotations=notes)
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
