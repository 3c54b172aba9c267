"""Upsampling lab: unpooling, max-unpooling and transposed convolution, value by value."""

from __future__ import annotations

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.conv_plots import grids_row, number_grid, sliding_animation
from ui.conv_views import grid_editor
from ui.tray import current_image
from ui.upsampling_views import Transposed, show_your_work
from vision_core.ops.upsampling import (
    LECTURE_POOL_INPUT,
    LECTURE_UNPOOL_INPUT,
    UPSAMPLE_METHODS,
    bed_of_nails,
    max_pool_with_indices,
    max_unpool,
    nearest,
    photo_feature_map,
    switch_cells,
    transposed_1d_symbolic,
    transposed_steps,
    upsample_map,
)

page_header(
    "🔍 Upsampling lab",
    "Object detection and segmentation — in-network upsampling: unpooling, max unpooling, transposed convolution",
    "Segmentation networks shrink the image, then grow it back. Here is how the growing works, number by number: "
    "fixed unpooling first, then the learned transposed convolution.",
)


def unpooling():
    """Section 1: nearest and bed-of-nails unpooling of an editable 2×2 input, then max unpooling; returns the input."""
    st.subheader("1 · Unpooling, without learning")
    a, b = st.columns([1, 3])
    with a:
        st.markdown("**Input 2×2** (edit me)")
        small = grid_editor(LECTURE_UNPOOL_INPUT, "up_in", label="Input", max_abs=1e4)
    with b:
        st.plotly_chart(grids_row([
            ("INPUT 2×2", small),
            ("OUTPUT: nearest", nearest(small, 2)),
            ("OUTPUT: bed of nails", bed_of_nails(small, 2)),
        ], colorscale="Blues", zmid=None, height=300), key="up_unpool")
    st.markdown("**Max unpooling** remembers which element was the maximum in the paired max-pooling layer and puts "
                "the value back there.")
    pooled, switches = max_pool_with_indices(LECTURE_POOL_INPUT, 2)
    positions = switch_cells(switches, LECTURE_POOL_INPUT.shape[1])
    m = st.columns(3)
    m[0].plotly_chart(number_grid(LECTURE_POOL_INPUT, "INPUT 4×4<br>(maxima outlined)", colorscale="Oranges",
                                  highlight=positions), key="up_pool_in")
    m[1].plotly_chart(number_grid(pooled, "max-pool<br>OUTPUT 2×2", colorscale="Oranges"), key="up_pool_out")
    m[2].plotly_chart(number_grid(max_unpool(small, switches, (4, 4)), "max-unpool OUTPUT 4×4<br>(INPUT: the 2×2 above)",
                                  colorscale="Blues", highlight=positions), key="up_unpool_out")
    return small


def transposed(small) -> Transposed | None:
    """Section 2: the transposed convolution of the 2×2 input with an editable filter, copy by copy; returns its
    settings for section 4 (None when they are not valid)."""
    st.subheader("2 · Transposed convolution, learned")
    c = st.columns([1, 1, 2])
    with c[0]:
        st.markdown("**Filter 3×3** (edit me)")
        filt = grid_editor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], "up_filter", label="Filter", max_abs=1e4)
    with c[1]:
        stride = int(st.number_input("Stride", value=2, step=1, key="up_stride", bind="query-params"))
        pad = int(st.number_input("Padding", value=1, step=1, key="up_pad", bind="query-params"))
        opad = int(st.number_input("Output padding", value=1, step=1, key="up_opad", bind="query-params"))
    with c[2]:
        st.markdown("Each input value **scales a copy of the filter**; the copies are placed *stride* apart on the output "
                    "and **summed where they overlap**; *padding* crops that many rows/columns from each side. "
                    "With 3×3, stride 2, pad 1 PyTorch gives 3×3 from 2×2; output padding 1 gives the lecture's 4×4.")
    settings = None
    with friendly_errors():
        steps = transposed_steps(small, filt, stride, pad, opad)
        settings = Transposed(filt, stride, pad, opad)
        copies = [(f"{value:g} × filter at ({r}, {col})", copy) for value, (r, col), copy in steps.placements()]
        st.plotly_chart(grids_row(copies, colorscale="Purples", zmid=None, height=300), key="up_copies")
        (oh, ow), (fh, fw) = steps.output.shape, steps.full.shape
        t1, t2 = st.columns(2)
        t1.plotly_chart(number_grid(steps.full, f"Sum of the copies {fh}×{fw} (kept cells outlined)", colorscale="Purples",
                                    highlight=steps.kept_cells()), key="up_full")
        t2.plotly_chart(number_grid(steps.output, f"OUTPUT {oh}×{ow} (INPUT was {small.shape[0]}×{small.shape[1]})",
                                    colorscale="Purples"), key="up_out")
        st.caption(f"INPUT {small.shape[0]}×{small.shape[1]} → OUTPUT {oh}×{ow}: S(W − 1) + F − 2P + output padding = "
                   f"{stride}·({small.shape[0]} − 1) + {filt.shape[0]} − 2·{pad} + {opad} = {oh}. "
                   "Checked against PyTorch's conv_transpose2d in the tests.")
    st.markdown("**The 1-D example**: filter *x y z*, input *a b*, stride 2 → output:")
    st.code("   ".join(transposed_1d_symbolic(("a", "b"), ("x", "y", "z"), 2)), language=None)
    st.caption("The middle output a·z + b·x is where the two scaled copies overlap and add.")
    with st.expander("Compare: the normal 3×3 convolution, stride 2, pad 1 (INPUT 4×4 → OUTPUT 2×2)"):
        st.plotly_chart(sliding_animation(4, 3, 2, 1), key="up_down_anim")
        st.caption("The filter moves 2 pixels on the input for every 1 pixel of output: stride is the ratio between the "
                   "movement in input and output. (4 − 3 + 2)/2 + 1 = 2.5 is floored to 2. The transposed convolution "
                   "swaps the roles: 1 pixel of input moves the filter 2 pixels on the output.")
    return settings


def photo_upsampling() -> None:
    """Section 3: a small edge map of the tray photo upsampled three ways."""
    st.subheader("3 · Upsampling a feature map of your photo")
    item = current_image()
    u = st.columns(2)
    factor = int(u[0].select_slider("Upsampling factor", [2, 3, 4], value=4, key="up_factor", bind="query-params"))
    side = int(u[1].select_slider("Feature map size (long side)", [8, 12, 16, 24, 32], value=16, key="up_side",
                                  bind="query-params"))
    fmap = photo_feature_map(item.image, side)
    figs = [("INPUT: feature map", fmap)]
    figs += [(f"OUTPUT: {method.split()[0]} ×{factor}", upsample_map(fmap, factor, method)) for method in UPSAMPLE_METHODS]
    for col, (title, arr) in zip(st.columns(len(figs)), figs):
        col.plotly_chart(number_grid(arr, f"{title}<br>{arr.shape[1]}×{arr.shape[0]}", colorscale="Viridis", show_text=False,
                                     cell_px=max(3, 240 // max(arr.shape)), photo_key=item.key), key=f"up_map_{title}")
    st.caption("The feature map is |Sobel x| of the grey photo, area-averaged to a few cells. The transposed convolution "
               "uses the bilinear filter FCN starts from (before training); inside the map it equals bilinear "
               "interpolation, at the border it fades because the copies have no neighbour to add to.")


settings = transposed(unpooling())
photo_upsampling()
show_your_work(current_image(), settings)
