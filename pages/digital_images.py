"""Digital images: the chosen photo as numbers (pixel matrix, channels, histogram, sampling, quantization)."""

from __future__ import annotations

import streamlit as st

from ui.common import friendly_errors, page_header
from ui.conv_plots import histogram_figure, number_grid
from ui.tray import TrayImage, current_image
from vision_core.ops.pixels import CHANNELS, channel, channel_images, histogram, mark_region, quantize, region, sample_spatially

page_header(
    "🔢 Digital images",
    "Images — brief introduction to digital images (spatial sampling, quantization, colour images)",
    "To the computer a photo is a grid of numbers: 0 is black, 255 is white, and a colour photo has three such grids "
    "(red, green, blue). Move the window over your photo and read the numbers; hover a cell to see its position.",
)


def pixel_matrix(item: TrayImage) -> None:
    """A window of the photo as its numbers, one channel at a time, beside the photo with the window marked."""
    img = item.image
    h, w = img.shape[:2]
    st.subheader("The photo as a matrix of numbers")
    c1, c2, c3, c4 = st.columns(4)
    chan = c1.selectbox("Channel", CHANNELS, index=3, key="di_channel", bind="query-params")
    size = c2.slider("Window (pixels per side)", 4, 16, 10, key="di_size", bind="query-params")
    top = c3.number_input("Top row", 0, None, min(h // 2, h - 1), step=1, key="di_row", bind="query-params")
    left = c4.number_input("Left column", 0, None, min(w // 2, w - 1), step=1, key="di_col", bind="query-params")
    with friendly_errors():
        reg = region(img, int(top), int(left), int(size), chan)
        left_col, right_col = st.columns([1, 1])
        left_col.image(mark_region(img, reg.top, reg.left, size),
                       caption=f"{item.label} · {w}×{h} pixels; the red square is the window", width="stretch")
        scale = {"red": "Reds", "green": "Greens", "blue": "Blues"}.get(chan, "Greys")
        right_col.plotly_chart(
            number_grid(reg.values, f"{chan} values, rows {reg.top}–{reg.top + size - 1}, columns {reg.left}–{reg.left + size - 1}",
                        row_labels=reg.rows, col_labels=reg.cols, colorscale=f"{scale}_r" if chan == "grey" else scale,
                        zmin=0, zmax=255, cell_px=40, photo_key=item.key),
            key="di_matrix",
        )
        rr, cc = reg.top, reg.left
        grey = channel(img, "grey")
        st.caption(f"Pixel (row {rr}, column {cc}) = R {img[rr, cc, 0]}, G {img[rr, cc, 1]}, B {img[rr, cc, 2]}; "
                   f"grey {grey[rr, cc]} (grey = 0.299 R + 0.587 G + 0.114 B, rounded).")


def colour_planes(item: TrayImage) -> None:
    """The three colour planes, the grey image and the histogram of every channel."""
    img = item.image
    st.subheader("Colour = three grids")
    planes = channel_images(img)
    cols = st.columns(4)
    for col, name in zip(cols, ("red", "green", "blue")):
        col.image(planes[name], caption=f"{name} channel (the other two set to 0)", width="stretch")
    cols[3].image(channel(img, "grey"), caption="grey: 0.299 R + 0.587 G + 0.114 B", width="stretch")
    hist = histogram(img)
    st.plotly_chart(histogram_figure(hist.counts, photo_key=item.key), key="di_hist")
    st.caption(" · ".join(f"mean {n} {hist.mean(n):.1f}" for n in CHANNELS) + f" · {hist.pixels:,} pixels per channel")


def sampling_and_quantization(item: TrayImage) -> None:
    """Fewer samples (blocky) and fewer grey levels (false contours)."""
    img = item.image
    h, w = img.shape[:2]
    st.subheader("Spatial sampling and quantization")
    s1, s2 = st.columns(2)
    res = s1.select_slider("Resolution (pixels along the long side)", [4, 8, 16, 32, 64, 128, 256, 512, max(h, w)],
                           value=64, key="di_res", bind="query-params")
    bits = s2.slider("Bits per pixel (grey)", 1, 8, 3, key="di_bits", bind="query-params")
    with friendly_errors():
        small, blocky = sample_spatially(img, int(res))
        q1, q2 = st.columns(2)
        q1.image(blocky, caption=f"{small.shape[1]}×{small.shape[0]} samples (each one a square); original {w}×{h}", width="stretch")
        q2.image(quantize(channel(img, "grey"), int(bits)), caption=f"{bits} bits → {2 ** int(bits)} grey levels (0 black, 255 white)",
                 width="stretch")
        st.caption("Standard: 8 bits → 256 grey levels. Fewer levels make false contours appear in smooth areas.")


photo = current_image()
pixel_matrix(photo)
colour_planes(photo)
sampling_and_quantization(photo)
