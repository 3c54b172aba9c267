"""Convolution playground: an editable kernel on the chosen photo, with every multiply-add shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui.common import page_header
from ui.conv_plots import grids_row, number_grid
from ui.tray import current_image
from vision_core.ops.conv import (
    LECTURE_5X5,
    LECTURE_RGB,
    LECTURE_X,
    PADDING_MODES,
    PRESETS,
    apply_layer,
    canvas_to_grid,
    conv2d,
    has_ink,
    explain_cell,
    normalise_kernel,
    parse_kernel,
    preset_kernel,
    x_feature_maps,
)
from vision_core.io.images import resize_max_side
from vision_core.ops.shapes import conv_output_size

page_header(
    "🧮 Convolution playground",
    "Convolution — spatial convolution, feature maps, the X-or-X case study, convolution on multiple channels",
    "Pick or type a kernel and watch it slide over your photo. Every output pixel is Σ (kernel × patch) + bias: "
    "pick one below and check the multiply-adds yourself.",
)

item = current_image()
CUSTOM = "custom"

@st.fragment
def playground() -> None:
    """Kernel, layer, output and show-your-work: a kernel edit reruns only this part of the page."""
    st.subheader("1 · The kernel")
    k1, k2 = st.columns([1, 2])
    with k1:
        preset = st.selectbox("Kernel preset", [*PRESETS, CUSTOM], index=list(PRESETS).index("edge (−1 … 8 … −1)"),
                              key="conv_preset", bind="query-params")
        ksize = st.slider("Custom kernel size", 1, 7, 3, key="conv_ksize", bind="query-params",
                          disabled=preset != CUSTOM, help="Used by the 'custom' preset (starts as the identity).")
        normalise = st.checkbox("Normalise to sum 1", key="conv_norm", bind="query-params")
        flip = st.toggle("True convolution (flip the kernel)", key="conv_flip", bind="query-params")
        st.caption("Deep-learning 'convolution' is cross-correlation: the kernel is not flipped. The network learns the "
                   "weights anyway, so a flipped kernel would just be learned flipped.")
    if preset == CUSTOM:
        start = np.zeros((ksize, ksize))
        start[ksize // 2, ksize // 2] = 1
    else:
        start = preset_kernel(preset)
    frame = pd.DataFrame([[f"{v:.6g}" for v in row] for row in start], columns=[str(i + 1) for i in range(start.shape[1])])
    with k2:
        edited = st.data_editor(frame, key=f"conv_editor_{preset}_{ksize if preset == CUSTOM else ''}", hide_index=True,
                                num_rows="fixed", width="content")
        st.caption("Type numbers or fractions such as 1/9. Blank, non-numeric, NaN, infinite or huge cells are refused.")
        good_key = f"_conv_good_{preset}_{ksize if preset == CUSTOM else ''}"
        try:
            kernel = parse_kernel(edited.to_numpy().tolist())
            if normalise:
                kernel = normalise_kernel(kernel)
            st.session_state[good_key] = kernel
        except ValueError as exc:
            st.error(f"{exc} Using the last valid kernel.", icon="⚠️")
            kernel = st.session_state.get(good_key, start)
        if normalise:
            st.caption(f"After normalising: sum = {kernel.sum():.4g}")

    st.subheader("2 · The layer")
    c = st.columns(6)
    grey_mode = c[0].selectbox("Input", ["grey", "per channel (RGB)"], key="conv_input", bind="query-params") == "grey"
    stride = c[1].number_input("Stride", value=1, step=1, key="conv_stride", bind="query-params")
    pad_choice = c[2].selectbox("Padding", ["0", "1", "2", "3", "same"], index=4, key="conv_pad", bind="query-params")
    pad_mode = c[3].selectbox("Padding mode", PADDING_MODES, key="conv_padmode", bind="query-params")
    dilation = c[4].number_input("Dilation", value=1, step=1, key="conv_dil", bind="query-params")
    bias = c[5].number_input("Bias", value=0.0, step=1.0, key="conv_bias", bind="query-params")
    d = st.columns(6)
    relu = d[0].checkbox("ReLU: max(0, x)", key="conv_relu", bind="query-params")
    pool = d[1].selectbox("Pooling", ["none", "max", "average"], key="conv_pool", bind="query-params")
    pool_size = d[2].number_input("Pool size", value=2, step=1, min_value=1, max_value=8, key="conv_psize", bind="query-params")
    pool_stride = d[3].number_input("Pool stride", value=2, step=1, min_value=1, max_value=8, key="conv_pstride", bind="query-params")
    display = d[4].selectbox("Show output as", ["clip", "stretch", "abs"], index=1, key="conv_display", bind="query-params",
                             help="clip: <0 black, >255 white · stretch: min→0, max→255 · abs: |v| clipped to 255")
    work = d[5].selectbox("Working size (long side)", [256, 512, 1024], index=1, key="conv_work", bind="query-params")

    photo = resize_max_side(item.image, int(work))
    padding: int | str = "same" if pad_choice == "same" else int(pad_choice)
    result_key = "_conv_last_result"
    try:
        if padding != "same":
            conv_output_size(photo.shape[0], kernel.shape[0], int(stride), padding, int(dilation), strict=False)
            conv_output_size(photo.shape[1], kernel.shape[1], int(stride), padding, int(dilation), strict=False)
        if padding == "same" and stride != 1:
            st.info("'same' padding keeps the size only at stride 1; with this stride the output is about 1/stride as large.")
        result = apply_layer(photo, kernel, grey=grey_mode, stride=int(stride), padding=padding, dilation=int(dilation),
                             bias=float(bias), flip=flip, padding_mode=pad_mode, relu=relu, pool=pool,
                             pool_size=int(pool_size), pool_stride=int(pool_stride), display=display)
        st.session_state[result_key] = result
    except ValueError as exc:
        st.error(f"{exc} The last good result stays on screen.", icon="⚠️")
        result = st.session_state.get(result_key)

    if result is not None:
        i1, i2 = st.columns(2)
        ih, iw = result.input.shape[:2]
        oh, ow = result.output.shape[:2]
        i1.image(result.input, caption=f"INPUT: {iw}×{ih}" + (" grey" if result.input.ndim == 2 else " RGB"), width="stretch", clamp=True)
        i2.image(result.display, caption=f"OUTPUT: {ow}×{oh}" + (f" (conv {result.raw.shape[1]}×{result.raw.shape[0]}, then {pool} pool)"
                 if pool != "none" else ""), width="stretch")
        st.markdown(f"**Output values** range from **{result.low:.4g}** to **{result.high:.4g}**. Shown with: {result.mapping}.")

    ctx = (kernel.tobytes(), kernel.shape, int(stride), padding, int(dilation), float(bias), flip, pad_mode, grey_mode, int(work))
    st.session_state["_conv_ctx"] = dict(kernel=kernel, stride=stride, padding=padding, dilation=dilation, bias=bias,
                                         flip=flip, pad_mode=pad_mode, result=result)
    if (not st.session_state.get("_conv_full_run") and st.session_state.get("conv_work_src") == "your photo"
            and st.session_state.get("_conv_ctx_shown") != ctx):
        st.rerun()
    st.session_state["_conv_ctx_key"] = ctx


@st.fragment
def show_your_work() -> None:
    """Section 3; reruns with the kernel only when it explains a cell of your photo (see ``playground``)."""
    c = st.session_state["_conv_ctx"]
    kernel, stride, padding, dilation, bias, flip, pad_mode, result = (
        c["kernel"], c["stride"], c["padding"], c["dilation"], c["bias"], c["flip"], c["pad_mode"], c["result"])
    st.session_state["_conv_ctx_shown"] = st.session_state.get("_conv_ctx_key")
    st.subheader("3 · Show your work")
    src = st.segmented_control("Example", ["your photo", "lecture: RGB, bias 1 → −25", "lecture: 5×5 ⊛ 3×3"],
                               default="lecture: RGB, bias 1 → −25", key="conv_work_src", bind="query-params", required=True)
    try:
        if src == "lecture: 5×5 ⊛ 3×3":
            step = st.slider("Filter position (reading order)", 1, 9, 1, key="conv_step", bind="query-params")
            r, cc = divmod(step - 1, 3)
            exp = explain_cell(LECTURE_5X5["image"], LECTURE_5X5["kernel"], r, cc)
            done = np.full((3, 3), np.nan)
            full = conv2d(LECTURE_5X5["image"], LECTURE_5X5["kernel"])
            done.flat[:step] = full.flat[:step]
            g1, g2 = st.columns(2)
            g1.plotly_chart(number_grid(LECTURE_5X5["image"], "INPUT 5×5 (filter position in red)", colorscale="Blues", zmin=0, zmax=2,
                                        highlight=[(r + i, cc + j) for i in range(3) for j in range(3)]), key="conv_5x5_in")
            g2.plotly_chart(number_grid(np.nan_to_num(done, nan=0), f"OUTPUT 3×3 feature map ({step} of 9 filled)", colorscale="Greens",
                                        zmin=0, zmax=6, highlight=[(r, cc)]), key="conv_5x5_out")
            explain, title = exp, f"Output cell (row {r}, column {cc})"
        elif src == "lecture: RGB, bias 1 → −25":
            e1, e2 = st.columns(2)
            r = e1.number_input("Output row", 0, 4, 0, key="conv_lrow", bind="query-params")
            cc = e2.number_input("Output column", 0, 4, 0, key="conv_lcol", bind="query-params")
            explain = explain_cell(LECTURE_RGB["image"], LECTURE_RGB["kernel"], int(r), int(cc), padding=1, bias=1.0)
            title = f"Lecture example, output cell (row {r}, column {cc}); inputs zero-padded by 1, bias 1"
        else:
            if result is None:
                raise ValueError("There is no valid result yet; fix the settings above first.")
            oh, ow = result.raw.shape[:2]
            e1, e2, e3 = st.columns(3)
            r = e1.number_input(f"Output row (0–{oh - 1})", value=oh // 2, step=1, key="conv_row", bind="query-params")
            cc = e2.number_input(f"Output column (0–{ow - 1})", value=ow // 2, step=1, key="conv_col", bind="query-params")
            ch = 0
            if result.input.ndim == 3:
                ch = ["red", "green", "blue"].index(e3.selectbox("Channel", ["red", "green", "blue"], key="conv_cell_ch", bind="query-params"))
            explain = explain_cell(result.input, kernel, int(r), int(cc), stride=int(stride), padding=padding,
                                   dilation=int(dilation), bias=float(bias), flip=flip, padding_mode=pad_mode, channel=ch)
            title = f"Your photo, conv output cell (row {r}, column {cc}) before ReLU/pooling"
        st.markdown(f"**{title}**")
        names = ["R", "G", "B"] if explain.patches.shape[0] == 3 else ["input"]
        for i, name in enumerate(names):
            st.plotly_chart(grids_row([
                (f"{name}: input patch (rows {explain.rows[0]}…{explain.rows[-1]})", explain.patches[i]),
                (f"{name}: kernel{' (flipped)' if flip and src == 'your photo' else ''}", explain.kernel[i]),
                (f"{name}: products, sum = {explain.channel_sums[i]:.6g}", explain.products[i]),
            ], height=260), key=f"conv_explain_{i}")
        sums = " + ".join(f"({s:.6g})" for s in explain.channel_sums)
        st.success(f"Output = {sums} + bias {explain.bias:g} = **{explain.value:.6g}**")
    except ValueError as exc:
        st.error(str(exc), icon="⚠️")



st.session_state["_conv_full_run"] = True
playground()
show_your_work()
st.session_state["_conv_full_run"] = False

st.subheader("4 · Draw an X and watch the X-feature filters")
x_src = st.segmented_control("Picture", ["the lecture's X", "my drawing"], default="the lecture's X", key="conv_xsrc",
                             bind="query-params", required=True)
grid = LECTURE_X
if x_src == "my drawing":
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as exc:  # the component can fail to register outside a full Streamlit server
        st.warning(f"The drawing canvas is not available here ({type(exc).__name__}); showing the lecture's X.")
    else:
        a, b = st.columns([1, 2])
        with a:
            drawn = st_canvas(stroke_width=22, stroke_color="#000000", background_color="#ffffff", height=270, width=270,
                              drawing_mode="freedraw", return_image_data=True, key="conv_canvas")
        try:
            data = drawn.image_data if drawn is not None else None
        except Exception:
            data = None
        if data is not None and has_ink(data):
            grid = canvas_to_grid(data, 9)
        else:
            b.info("Draw with the mouse (an X, or anything); until then the lecture's X is used.")
maps = x_feature_maps(grid)
st.plotly_chart(grids_row([("INPUT 9×9 (+1 ink, −1 paper)", grid)] + [(f"{n} → feature map", m) for n, m in maps.items()],
                          height=330), key="conv_xmaps")
st.caption("Each feature map is Σ(filter × patch)/9: 1 means the 3×3 patch matches the filter perfectly. "
           "The lecture's X gives 1 on the diagonals for the diagonal filters and at the centre for the ✕ filter.")
