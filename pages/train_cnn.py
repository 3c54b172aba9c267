"""Train a CNN: LeNet-5 trained live on MNIST-5k, a drawn digit read by it, and the lecture's "X or X?"."""

from __future__ import annotations

import streamlit as st

from ui import challenge_panel, jobs, training_panel
from ui.common import friendly_errors, page_header
from ui.train_plots import probability_bars, response_heatmaps, training_curves
from ui.train_views import digit_reading, read_canvas, trained_model
from vision_core.io.canvas import canvas_to_digit, canvas_to_grid
from vision_core.ops.conv import X_FILTER_NAMES, draw_x, x_picture, x_responses
from vision_core.ops.tiling import tile_maps
from vision_core.training import TrainConfig, held_out_digits, learned_filters, train_lenet

JOB = "tc_lenet"
TIME_LIMIT = 240.0

page_header(
    "🏋️ Train a CNN",
    "What networks see · 000 “LeNet-5 com Keras”, 003 “CNNs for classification”, “X or X?”",
    "Train the lecture's LeNet-5 (32×32×1 → 28×28×6 → 14×14×6 → 10×10×16 → 5×5×16 → 120 → 84 → 10) on "
    "5000 MNIST digits, right here on the CPU, and watch the loss fall. Then draw a digit for it and look "
    "at what its two convolution layers see.",
)


def training_controls() -> None:
    """Section 1's settings and the Train / Stop buttons (the run is a background job of this session)."""
    st.subheader("1 · Train LeNet-5 on MNIST-5k")
    c1, c2, c3, c4 = st.columns(4)
    epochs = c1.slider("Epochs", 1, 15, 6, key="tc_epochs", bind="query-params",
                       help="One epoch = every one of the 4000 training digits seen once.")
    lr = c2.selectbox("Learning rate (Adam, cosine decay)", [0.0005, 0.001, 0.003, 0.01], index=2, key="tc_lr",
                      bind="query-params")
    batch = c3.selectbox("Batch size", [16, 32, 64, 128], index=1, key="tc_batch", bind="query-params")
    seed = c4.number_input("Seed", 0, 9999, 0, key="tc_seed", bind="query-params")
    config = TrainConfig(epochs=int(epochs), batch_size=int(batch), lr=float(lr), seed=int(seed), eval_every=25)
    st.caption(f"4000 digits to train on, 1000 held out for the test accuracy (stratified). "
               f"{-(-4000 // config.batch_size) * config.epochs} steps; each run stops by itself after {TIME_LIMIT:.0f} s.")
    training_panel.train_buttons(JOB, "tc", lambda: lambda stop: train_lenet(config, stop.is_set), TIME_LIMIT)


def live_training(s: jobs.JobSnapshot, last) -> None:
    """Curves and numbers of this session's run (inside ``training_panel.live``'s fragment)."""
    steps, loss, train_acc, test_acc = zip(*last.curve)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Step", f"{last.step} / {last.total_steps}")
    m2.metric("Epoch", f"{last.epoch:.1f}")
    m3.metric("Test accuracy", f"{last.test_accuracy:.1%}")
    m4.metric("Time", f"{s.elapsed:.0f} s", help=f"status: {s.status}")
    st.plotly_chart(training_curves(steps, loss, train_acc, test_acc, last.total_steps), key="tc_curves")
    if not s.running:
        st.success(f"{training_panel.ended(s.status, TIME_LIMIT)} Test accuracy {last.test_accuracy:.1%} after {last.step} steps "
                   f"({s.elapsed:.1f} s).")
        challenge_panel.score("train_cnn", {"test_accuracy": float(last.test_accuracy), "epochs": float(last.epoch)},
                              inline=True)


def digit_input():
    """The digit to read: drawn on the canvas or one of the held-out MNIST digits (None until there is one)."""
    source = st.segmented_control("Input", ["Draw", "MNIST test digit"], default="Draw", key="tc_input",
                                  bind="query-params", required=True) or "Draw"
    if source == "Draw":
        st.caption("Draw one digit, large, in the middle (white on black, like MNIST).")
        return read_canvas("tc_canvas", 280, 22, lambda rgba: canvas_to_digit(rgba, "light"))
    images, labels = held_out_digits()
    i = int(st.number_input("Test digit number", 0, len(images) - 1, 0, key="tc_digit", bind="query-params"))
    st.caption(f"True label: **{int(labels[i])}**")
    return images[i]


def read_a_digit() -> None:
    """Section 2: the trained network reads a digit; its feature maps and learned filters."""
    model, record, tag = trained_model(JOB)
    if not training_panel.weights_section("2 · Draw a digit for your network", model, record,
                                          "Train the network first (section 1); then draw a digit here and see what "
                                          "it answers.", lambda r: f" (test accuracy {r.test_accuracy:.1%})"):
        return
    left, right = st.columns([1, 2])
    with left:
        digit = digit_input()
        if digit is not None:
            st.image(digit, caption="What the network sees: 28×28, centred like MNIST (padded to 32×32)", width=168)
    if digit is None:
        return
    with friendly_errors():
        reading = digit_reading(model, tag, digit)
        with right:
            st.markdown(f"### It says **{reading.answer}** ({reading.confidence:.1%})")
            st.plotly_chart(probability_bars([str(d) for d in range(10)], reading.probabilities), key="tc_probs")
        filters = learned_filters(model)
        f1, f2 = st.columns(2)
        f1.image(tile_maps(reading.maps["conv1"], columns=6, cell=84),
                 caption="conv1 feature maps for your digit: 6 × 28×28 (after ReLU)")
        f2.image(tile_maps(reading.maps["conv2"], columns=8, cell=48), caption="conv2 feature maps: 16 × 10×10 (after ReLU)")
        g1, g2 = st.columns([1, 2])
        g1.image(tile_maps(filters["conv1"], columns=6, cell=48, symmetric=True),
                 caption="conv1's 6 learned 5×5 filters (grey = 0, white > 0, black < 0)")
        g2.image(tile_maps(filters["conv2"].reshape(-1, 5, 5), columns=6, cell=20, gap=2, symmetric=True),
                 caption="conv2's 16 × 6 learned 5×5 filters: one row per filter, one column per input map")


def x_grid():
    """The X to test: the lecture's X shifted, resized, turned, or a drawing read on a 9×9 grid (None if empty)."""
    mode = st.segmented_control("X", ["Transform the lecture's X", "Draw an X"], default="Transform the lecture's X",
                                key="tc_xmode", bind="query-params", required=True) or "Transform the lecture's X"
    if mode == "Draw an X":
        st.caption("Draw an X anywhere, any size; it is read on a 9×9 grid.")
        return read_canvas("tc_xcanvas", 270, 26, lambda rgba: canvas_to_grid(rgba, 9, kind="light", threshold=0.3))
    dx = st.slider("Shift right (pixels)", -2, 2, 0, key="tc_xdx", bind="query-params")
    dy = st.slider("Shift down (pixels)", -2, 2, 0, key="tc_xdy", bind="query-params")
    scale = st.slider("Size", 0.4, 1.2, 1.0, 0.1, key="tc_xscale", bind="query-params")
    rot = st.slider("Rotation (degrees)", 0, 90, 0, 5, key="tc_xrot", bind="query-params")
    with friendly_errors():
        return draw_x(9, (int(dx), int(dy)), float(scale), float(rot))


def x_or_x() -> None:
    """Section 3: the lecture's "X or X?": a literal pixel comparison against the three X-feature filters."""
    st.divider()
    st.subheader("3 · X or X?")
    st.markdown(
        "The lecture's case: *computers are literal*. Compared pixel by pixel, a shifted, shrunk or rotated X "
        "is a different picture, yet the three little 3×3 **feature filters** of an X (two diagonals and the "
        "crossing, +1 on ink, −1 elsewhere) still fire wherever their feature is. A response of **1.00** is a "
        "perfect match (sum of the 9 products / 9)."
    )
    xl, xr = st.columns([1, 2])
    with xl:
        grid = x_grid()
        if grid is not None:
            st.image(x_picture(grid, 198), width=198,
                     caption="The X on a 9×9 grid (white = +1, black = −1; grey frame = outside the grid)")
    if grid is None:
        return
    with xr:
        resp = x_responses(grid)
        cols = st.columns(4)
        cols[0].metric("Pixel match", f"{resp.pixel_agreement:.0%}",
                       help="Share of the 81 pixels equal to the centred lecture X: a literal comparison.")
        for c, name, peak, n in zip(cols[1:], X_FILTER_NAMES, resp.peak, resp.perfect):
            c.metric(name, f"{peak:.2f}", f"{int(n)} perfect" if n else "does not fire", delta_color="normal" if n else "inverse",
                     delta_arrow="off", help="Peak response of this filter (1.00 = perfect match)")
        st.caption("Cells: the sum of the 9 products at each position (9 = a perfect match, response 1.00).")
        st.plotly_chart(response_heatmaps(resp.maps, X_FILTER_NAMES), key="tc_xmaps")


training_controls()
training_panel.live(JOB, live_training,
                    waiting="Press **Train**: the curves appear here while LeNet-5 learns (about 10–30 s on this CPU).",
                    starting="Starting… (loading 5000 digits and building the network)")  # after the buttons
read_a_digit()
x_or_x()
