"""The convolution playground's views: the kernel editor, the layer settings, the output, show-your-work, X or X.

No maths here: every number comes from ``vision_core.ops`` (``conv``, ``kernels``, ``shapes``), every figure
from ``ui.conv_plots`` (built once per input, see ``ui.figures``). Compute once: the layer's output on the
photo is kept for the last (photo, kernel, settings) of this session, so a rerun that changed none of them
(another section, a cell of show-your-work) reuses it; a kernel edit runs the convolution exactly once.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import astuple, dataclass

import numpy as np
import pandas as pd
import streamlit as st

from ui import challenge_panel
from ui.conv_plots import grids_row, number_grid
from ui.tray import TrayImage
from vision_core.challenges.kernels import hidden_output
from vision_core.io.canvas import canvas_to_grid, has_ink
from vision_core.io.images import resize_max_side
from vision_core.ops.conv import (
    LECTURE_5X5,
    LECTURE_RGB,
    LECTURE_X,
    PADDING_MODES,
    X_FILTER_NAMES,
    CellExplanation,
    conv2d,
    explain_cell,
    x_responses,
)
from vision_core.ops.kernels import (
    DISPLAY_MODES,
    KERNEL_PRESETS,
    MAX_ABS_WEIGHT,
    LayerOutput,
    apply_layer,
    kernel_from_text,
    kernel_to_text,
    normalise_kernel,
    parse_kernel,
    start_kernel,
    to_display,
)
from vision_core.ops.shapes import conv_output_size

CUSTOM = "custom"
WORK_SOURCES = ("your photo", "lecture: RGB, bias 1 → −25", "lecture: 5×5 ⊛ 3×3")
_RESULT = "_conv_last_result"
_MEMO = "_conv_memo"


@dataclass(frozen=True)
class Layer:
    """The layer settings read from the widgets (``padding`` is a number of pixels or ``"same"``)."""

    grey: bool
    stride: int
    padding: int | str
    padding_mode: str
    dilation: int
    bias: float
    relu: bool
    pool: str
    pool_size: int
    pool_stride: int
    display: str
    work: int


def _memo(name: str, key: Hashable, compute):
    """This session's last value of ``compute()`` for ``name``, recomputed only when ``key`` changes."""
    memo = st.session_state.setdefault(_MEMO, {})
    hit = memo.get(name)
    if hit is None or hit[0] != key:
        hit = (key, compute())
        memo[name] = hit
    return hit[1]


def grid_editor(values, key: str, *, what: str = "values", label: str = "", hint: str = "",
                max_abs: float = MAX_ABS_WEIGHT, transform=None) -> np.ndarray:
    """An editable grid of numbers (fractions such as 1/9 allowed), ``hint`` under it → the parsed array,
    ``transform`` ed when given. A bad cell shows why and gives back the last valid array of this grid
    (``values`` before the first)."""
    frame = _memo(f"frame:{key}", key, lambda: pd.DataFrame([[f"{v:.6g}" for v in row] for row in values],
                                                            columns=[str(i + 1) for i in range(len(values[0]))]))
    edited = st.data_editor(frame, key=key, hide_index=True, num_rows="fixed", width="content")
    if hint:
        st.caption(hint)
    good_key = f"_{key}_good"
    try:
        arr = parse_kernel(edited.to_numpy().tolist(), max_abs=max_abs)
        if transform is not None:
            arr = transform(arr)
        st.session_state[good_key] = arr
        return arr
    except ValueError as exc:
        st.error(f"{label + ': ' if label else ''}{exc} Using the last valid {what}.", icon="⚠️")
        return st.session_state.get(good_key, np.asarray(values, dtype=np.float64))


def kernel_editor() -> tuple[np.ndarray, bool]:
    """Section 1: preset, size, normalise, flip and the editable grid → (kernel, flip). A bad cell keeps the
    last valid kernel of this preset on screen (with the reason)."""
    st.subheader("1 · The kernel")
    k1, k2 = st.columns([1, 2])
    with k1:
        names = [*KERNEL_PRESETS, CUSTOM]
        preset = st.selectbox("Kernel preset", names, index=names.index("edge (−1 … 8 … −1)"),
                              key="conv_preset", bind="query-params")
        ksize = st.slider("Custom kernel size", 1, 7, 3, key="conv_ksize", bind="query-params",
                          disabled=preset != CUSTOM, help="Used by the 'custom' preset (starts as the identity).")
        normalise = st.checkbox("Normalise to sum 1", key="conv_norm", bind="query-params")
        flip = st.toggle("True convolution (flip the kernel)", key="conv_flip", bind="query-params")
        st.caption("Deep-learning 'convolution' is cross-correlation: the kernel is not flipped. The network learns the "
                   "weights anyway, so a flipped kernel would just be learned flipped.")
    start = start_kernel(preset, int(ksize))
    tag = f"{preset}_{ksize if preset == CUSTOM else ''}"
    shared = st.session_state.setdefault("_conv_shared", (tag, st.query_params.get("conv_k", "")))
    if shared[1] and shared[0] == tag:
        try:
            linked = kernel_from_text(shared[1])
            if linked.shape != start.shape:
                raise ValueError(f"The kernel in the link is {linked.shape[0]}×{linked.shape[1]}, not {start.shape[0]}×{start.shape[1]}.")
            start, tag = linked, tag + "_shared"
        except ValueError as exc:
            st.warning(f"{exc} Starting from the preset instead.", icon="🔗")
            st.session_state["_conv_shared"] = (tag, "")
    with k2:
        kernel = grid_editor(start, f"conv_editor_{tag}", what="kernel", transform=normalise_kernel if normalise else None,
                             hint="Type numbers or fractions such as 1/9. Blank, non-numeric, NaN, infinite or huge "
                                  "cells are refused.")
        if normalise:
            st.caption(f"After normalising: sum = {kernel.sum():.4g}")
    if not np.array_equal(kernel, start_kernel(preset, int(ksize))):
        st.query_params["conv_k"] = kernel_to_text(kernel)
    elif "conv_k" in st.query_params:
        del st.query_params["conv_k"]
    return kernel, bool(flip)


def layer_settings() -> Layer:
    """Section 2: input, stride, padding, dilation, bias, ReLU, pooling, display and working size."""
    st.subheader("2 · The layer")
    c = st.columns(6)
    grey = c[0].selectbox("Input", ["grey", "per channel (RGB)"], key="conv_input", bind="query-params") == "grey"
    stride = c[1].number_input("Stride", value=1, step=1, key="conv_stride", bind="query-params")
    pad = c[2].selectbox("Padding", ["0", "1", "2", "3", "same"], index=4, key="conv_pad", bind="query-params")
    pad_mode = c[3].selectbox("Padding mode", PADDING_MODES, key="conv_padmode", bind="query-params")
    dilation = c[4].number_input("Dilation", value=1, step=1, key="conv_dil", bind="query-params")
    bias = c[5].number_input("Bias", value=0.0, step=1.0, key="conv_bias", bind="query-params")
    d = st.columns(6)
    relu = d[0].checkbox("ReLU: max(0, x)", key="conv_relu", bind="query-params")
    pool = d[1].selectbox("Pooling", ["none", "max", "average"], key="conv_pool", bind="query-params")
    pool_size = d[2].number_input("Pool size", value=2, step=1, min_value=1, max_value=8, key="conv_psize", bind="query-params")
    pool_stride = d[3].number_input("Pool stride", value=2, step=1, min_value=1, max_value=8, key="conv_pstride",
                                    bind="query-params")
    display = d[4].selectbox("Show output as", DISPLAY_MODES, index=1, key="conv_display", bind="query-params",
                             help="clip: <0 black, >255 white · stretch: min→0, max→255 · abs: |v| clipped to 255")
    work = d[5].selectbox("Working size (long side)", [256, 512, 1024], index=1, key="conv_work", bind="query-params")
    return Layer(grey, int(stride), "same" if pad == "same" else int(pad), pad_mode, int(dilation), float(bias),
                 bool(relu), pool, int(pool_size), int(pool_stride), display, int(work))


def _run_layer(item: TrayImage, kernel: np.ndarray, flip: bool, layer: Layer) -> LayerOutput:
    photo = resize_max_side(item.image, layer.work)
    if layer.padding != "same":
        for side, k in zip(photo.shape[:2], kernel.shape):
            conv_output_size(side, k, layer.stride, layer.padding, layer.dilation, strict=False)
    return apply_layer(photo, kernel, grey=layer.grey, stride=layer.stride, padding=layer.padding,
                       dilation=layer.dilation, bias=layer.bias, flip=flip, padding_mode=layer.padding_mode,
                       relu=layer.relu, pool=layer.pool, pool_size=layer.pool_size, pool_stride=layer.pool_stride,
                       display=layer.display)


def layer_result(item: TrayImage, kernel: np.ndarray, flip: bool, layer: Layer) -> LayerOutput | None:
    """The layer on the photo, computed once per (photo, kernel, settings); on bad settings the reason and the
    last good result (None before the first)."""
    if layer.padding == "same" and layer.stride != 1:
        st.info("'same' padding keeps the size only at stride 1; with this stride the output is about 1/stride as large.")
    key = (item.key, kernel.shape, kernel.tobytes(), flip, astuple(layer))
    try:
        result = _memo("layer", key, lambda: _run_layer(item, kernel, flip, layer))
        st.session_state[_RESULT] = result
    except ValueError as exc:
        st.error(f"{exc} The last good result stays on screen.", icon="⚠️")
        result = st.session_state.get(_RESULT)
    return result


def show_output(result: LayerOutput | None, layer: Layer) -> None:
    """The input and output pictures and the output's value range."""
    if result is None:
        return
    i1, i2 = st.columns(2)
    ih, iw = result.input.shape[:2]
    oh, ow = result.output.shape[:2]
    i1.image(result.input, caption=f"INPUT: {iw}×{ih}" + (" grey" if result.input.ndim == 2 else " RGB"), width="stretch",
             clamp=True)
    pooled = f" (conv {result.raw.shape[1]}×{result.raw.shape[0]}, then {layer.pool} pool)" if layer.pool != "none" else ""
    i2.image(result.display, caption=f"OUTPUT: {ow}×{oh}{pooled}", width="stretch")
    st.markdown(f"**Output values** range from **{result.low:.4g}** to **{result.high:.4g}**. Shown with: {result.mapping}.")


def _lecture_5x5() -> tuple[CellExplanation, str]:
    step = st.slider("Filter position (reading order)", 1, 9, 1, key="conv_step", bind="query-params")
    r, c = divmod(step - 1, 3)
    image, kernel = LECTURE_5X5["image"], LECTURE_5X5["kernel"]
    done = conv2d(image, kernel).copy()
    done.flat[step:] = 0
    g1, g2 = st.columns(2)
    g1.plotly_chart(number_grid(image, "INPUT 5×5 (filter position in red)", colorscale="Blues", zmin=0, zmax=2,
                                highlight=[(r + i, c + j) for i in range(3) for j in range(3)]), key="conv_5x5_in")
    g2.plotly_chart(number_grid(done, f"OUTPUT 3×3 feature map ({step} of 9 filled)", colorscale="Greens", zmin=0, zmax=6,
                                highlight=[(r, c)]), key="conv_5x5_out")
    return explain_cell(image, kernel, r, c), f"Output cell (row {r}, column {c})"


def _lecture_rgb() -> tuple[CellExplanation, str]:
    e1, e2 = st.columns(2)
    r = int(e1.number_input("Output row", 0, 4, 0, key="conv_lrow", bind="query-params"))
    c = int(e2.number_input("Output column", 0, 4, 0, key="conv_lcol", bind="query-params"))
    return (explain_cell(LECTURE_RGB["image"], LECTURE_RGB["kernel"], r, c, padding=1, bias=1.0),
            f"Lecture example, output cell (row {r}, column {c}); inputs zero-padded by 1, bias 1")


def _photo_cell(kernel: np.ndarray, flip: bool, layer: Layer, result: LayerOutput | None) -> tuple[CellExplanation, str]:
    if result is None:
        raise ValueError("There is no valid result yet; fix the settings above first.")
    oh, ow = result.raw.shape[:2]
    e1, e2, e3 = st.columns(3)
    r = int(e1.number_input(f"Output row (0–{oh - 1})", value=oh // 2, step=1, key="conv_row", bind="query-params"))
    c = int(e2.number_input(f"Output column (0–{ow - 1})", value=ow // 2, step=1, key="conv_col", bind="query-params"))
    ch = 0
    if result.input.ndim == 3:
        colours = ["red", "green", "blue"]
        ch = colours.index(e3.selectbox("Channel", colours, key="conv_cell_ch", bind="query-params"))
    exp = explain_cell(result.input, kernel, r, c, stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                       bias=layer.bias, flip=flip, padding_mode=layer.padding_mode, channel=ch)
    return exp, f"Your photo, conv output cell (row {r}, column {c}) before ReLU/pooling"


def show_your_work(kernel: np.ndarray, flip: bool, layer: Layer, result: LayerOutput | None) -> None:
    """Section 3: the patch, the kernel and their products behind one output cell, for the photo or a lecture example."""
    st.subheader("3 · Show your work")
    src = st.segmented_control("Example", WORK_SOURCES, default=WORK_SOURCES[1], key="conv_work_src",
                               bind="query-params", required=True)
    try:
        if src == WORK_SOURCES[2]:
            explain, title = _lecture_5x5()
        elif src == WORK_SOURCES[1]:
            explain, title = _lecture_rgb()
        else:
            explain, title = _photo_cell(kernel, flip, layer, result)
        st.markdown(f"**{title}**")
        names = ["R", "G", "B"] if explain.patches.shape[0] == 3 else ["input"]
        for i, name in enumerate(names):
            st.plotly_chart(grids_row([
                (f"{name}: input patch (rows {explain.rows[0]}…{explain.rows[-1]})", explain.patches[i]),
                (f"{name}: kernel{' (flipped)' if flip and src == WORK_SOURCES[0] else ''}", explain.kernel[i]),
                (f"{name}: products, sum = {explain.channel_sums[i]:.6g}", explain.products[i]),
            ], height=260), key=f"conv_explain_{i}")
        sums = " + ".join(f"({s:.6g})" for s in explain.channel_sums)
        st.success(f"Output = {sums} + bias {explain.bias:g} = **{explain.value:.6g}**")
    except ValueError as exc:
        st.error(str(exc), icon="⚠️")


def _drawn_grid() -> np.ndarray:
    """The drawing on the canvas as a ±1 9×9 grid, or the lecture's X until something is drawn."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as exc:  # noqa: BLE001 - the component can fail to register outside a full Streamlit server
        st.warning(f"The drawing canvas is not available here ({type(exc).__name__}); showing the lecture's X.")
        return LECTURE_X
    a, b = st.columns([1, 2])
    with a:
        drawn = st_canvas(stroke_width=22, stroke_color="#000000", background_color="#ffffff", height=270, width=270,
                          drawing_mode="freedraw", return_image_data=True, key="conv_canvas")
    try:
        data = drawn.image_data if drawn is not None else None
    except Exception:  # noqa: BLE001 - a half-registered component has no image data yet
        data = None
    if data is not None and has_ink(data, "dark"):
        return canvas_to_grid(data, 9, kind="dark", threshold=0.25)
    b.info("Draw with the mouse (an X, or anything); until then the lecture's X is used.")
    return LECTURE_X


def x_features() -> None:
    """Section 4: the lecture's X (or a drawing) and the three X-feature filters' maps."""
    st.subheader("4 · Draw an X and watch the X-feature filters")
    x_src = st.segmented_control("Picture", ["the lecture's X", "my drawing"], default="the lecture's X", key="conv_xsrc",
                                 bind="query-params", required=True)
    grid = _drawn_grid() if x_src == "my drawing" else LECTURE_X
    maps = x_responses(grid).maps
    st.plotly_chart(grids_row([("INPUT 9×9 (+1 ink, −1 paper)", grid)]
                              + [(f"{n} → feature map", m) for n, m in zip(X_FILTER_NAMES, maps)], height=330),
                    key="conv_xmaps")
    st.caption("Each feature map is Σ(filter × patch)/9: 1 means the 3×3 patch matches the filter perfectly. "
               "The lecture's X gives 1 on the diagonals for the diagonal filters and at the centre for the ✕ filter.")


def challenge(item: TrayImage, kernel: np.ndarray) -> None:
    """The live score of a convolution challenge opened by a link (inside the playground's fragment); for "which
    kernel made this?", the hidden kernel's output on this photo to match."""
    active = challenge_panel.active_id()
    if active is None or not active.startswith("conv-"):
        return
    if active == "conv-which-kernel":
        target, _ = to_display(hidden_output(item.image), "stretch")
        st.image(target, caption="The hidden kernel's output on your photo (grey levels, stretched): match it.", width=360)
    challenge_panel.score("convolution", {"kernel": kernel, "image": item.image}, inline=True)
