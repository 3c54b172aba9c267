"""Train a CNN: LeNet-5 trained live on MNIST-5k, a drawn digit read by it, and the lecture's "X or X?"."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui import jobs
from ui.common import friendly_errors, page_header
from ui.train_plots import probability_bars, response_heatmaps, training_curves
from vision_core.io.datasets import mnist_5k, train_test_split_stratified
from vision_core.training import (
    X_FILTER_NAMES,
    TrainConfig,
    canvas_to_digit,
    canvas_to_grid,
    draw_x,
    feature_maps,
    learned_filters,
    lenet_from_state,
    predict_digit,
    tile,
    train_lenet,
    x_responses,
)

JOB = "tc_lenet"
TIME_LIMIT = 240.0

page_header(
    "🏋️ Train a CNN",
    "What networks see · 000 “LeNet-5 com Keras”, 003 “CNNs for classification”, “X or X?”",
    "Train the lecture's LeNet-5 (32×32×1 → 28×28×6 → 14×14×6 → 10×10×16 → 5×5×16 → 120 → 84 → 10) on "
    "5000 MNIST digits, right here on the CPU, and watch the loss fall. Then draw a digit for it and look "
    "at what its two convolution layers see.",
)


def _canvas(key: str, size: int, stroke: int):
    """The drawing canvas (white ink on black), or None with a note when the component is unavailable."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as exc:  # noqa: BLE001 - an optional component; the page explains and goes on
        st.warning(f"The drawing canvas is not available here ({type(exc).__name__}); use the other input.")
        return None
    return st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000", height=size,
                     width=size, drawing_mode="freedraw", return_image_data=True, key=key)


st.subheader("1 · Train LeNet-5 on MNIST-5k")
c1, c2, c3, c4 = st.columns(4)
epochs = c1.slider("Epochs", 1, 15, 6, key="tc_epochs", bind="query-params",
                   help="One epoch = every one of the 4000 training digits seen once.")
lr = c2.selectbox("Learning rate (Adam, cosine decay)", [0.0005, 0.001, 0.003, 0.01], index=2, key="tc_lr", bind="query-params")
batch = c3.selectbox("Batch size", [16, 32, 64, 128], index=1, key="tc_batch", bind="query-params")
seed = c4.number_input("Seed", 0, 9999, 0, key="tc_seed", bind="query-params")
config = TrainConfig(epochs=int(epochs), batch_size=int(batch), lr=float(lr), seed=int(seed), eval_every=25)
st.caption(f"4000 digits to train on, 1000 held out for the test accuracy (stratified). "
           f"{-(-4000 // config.batch_size) * config.epochs} steps; each run stops by itself after {TIME_LIMIT:.0f} s.")

snap = jobs.snapshot(JOB)
b1, b2, _ = st.columns([1, 1, 4])
if b1.button("▶️ Train", key="tc_start", type="primary", disabled=bool(snap and snap.running)):
    try:
        jobs.start(JOB, lambda stop: train_lenet(config, stop.is_set), time_limit=TIME_LIMIT,
                   keep_history=False)
    except jobs.JobRefused as exc:
        st.warning(str(exc))
    except ValueError as exc:
        st.error(str(exc))
    snap = jobs.snapshot(JOB)
if b2.button("⏹️ Stop", key="tc_stop", disabled=not (snap and snap.running)):
    jobs.stop(JOB)

running = bool(snap and snap.running)


@st.fragment(run_every=1.0 if running else None)
def live_training() -> None:
    """Curves and numbers of this session's run, refreshed every second while it trains."""
    s = jobs.snapshot(JOB)
    if s is None:
        st.info("Press **Train**: the curves appear here while LeNet-5 learns (about 10–30 s on this CPU).")
        return
    if s.status == "failed":
        st.error(s.error)
    last = s.latest
    if last is None:
        st.caption("Starting… (loading 5000 digits and building the network)")
        return
    steps, loss, train_acc, test_acc = zip(*last.curve)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Step", f"{last.step} / {last.total_steps}")
    m2.metric("Epoch", f"{last.epoch:.1f}")
    m3.metric("Test accuracy", f"{last.test_accuracy:.1%}")
    m4.metric("Time", f"{s.elapsed:.0f} s", help=f"status: {s.status}")
    st.plotly_chart(
        training_curves(steps, loss, train_acc, test_acc, last.total_steps),
        key="tc_curves",
    )
    if not s.running:
        msg = {"done": "Finished.", "stopped": "Stopped: the weights of the last step are kept.",
               "timeout": f"Stopped at the {TIME_LIMIT:.0f} s limit: the weights of the last step are kept."}
        st.success(f"{msg.get(s.status, s.status)} Test accuracy {last.test_accuracy:.1%} after {last.step} steps "
                   f"({s.elapsed:.1f} s).")
        if st.session_state.get("_tc_done_seen") != s.started:
            st.session_state["_tc_done_seen"] = s.started
            st.rerun(scope="app")


live_training()


def trained_model():
    """This session's latest trained LeNet-5 (rebuilt from the last record's weights), or None."""
    s = jobs.snapshot(JOB)
    if s is None or s.latest is None:
        return None, None
    tag = (s.started, s.latest.step)
    cached = st.session_state.get("_tc_model")
    if cached is None or cached[0] != tag:
        cached = (tag, lenet_from_state(s.latest.state))
        st.session_state["_tc_model"] = cached
    return cached[1], s.latest


st.divider()
st.subheader("2 · Draw a digit for your network")
model, record = trained_model()
if model is None:
    st.info("Train the network first (section 1); then draw a digit here and see what it answers.")
else:
    st.caption(f"Using the weights of step {record.step} (test accuracy {record.test_accuracy:.1%}).")
    source = st.segmented_control("Input", ["Draw", "MNIST test digit"], default="Draw", key="tc_input",
                                  bind="query-params", required=True) or "Draw"
    digit = None
    left, right = st.columns([1, 2])
    with left:
        if source == "Draw":
            st.caption("Draw one digit, large, in the middle (white on black, like MNIST).")
            result = _canvas("tc_canvas", 280, 22)
            if result is not None and result.image_data is not None:
                try:
                    digit = canvas_to_digit(result.image_data)
                except ValueError as exc:
                    st.info(str(exc))
        else:
            data = mnist_5k()
            _, test_idx = train_test_split_stratified(data.labels, 0.2, 0)
            i = st.number_input("Test digit number", 0, len(test_idx) - 1, 0, key="tc_digit", bind="query-params")
            digit = np.array(data.images[test_idx[int(i)]])
            st.caption(f"True label: **{int(data.labels[test_idx[int(i)]])}**")
        if digit is not None:
            st.image(digit, caption="What the network sees: 28×28, centred like MNIST (padded to 32×32)", width=168)
    with right:
        if digit is not None:
            with friendly_errors():
                probs = predict_digit(model, digit)
                order = np.argsort(probs)[::-1]
                st.markdown(f"### It says **{int(order[0])}** ({probs[order[0]]:.1%})")
                st.plotly_chart(probability_bars([str(d) for d in range(10)], probs[:10]), key="tc_probs")
    if digit is not None:
        with friendly_errors():
            maps = feature_maps(model, digit)
            filters = learned_filters(model)
            f1, f2 = st.columns(2)
            f1.image(tile(maps["conv1"], columns=6, cell=84), caption="conv1 feature maps for your digit: 6 × 28×28 (after ReLU)")
            f2.image(tile(maps["conv2"], columns=8, cell=48), caption="conv2 feature maps: 16 × 10×10 (after ReLU)")
            g1, g2 = st.columns([1, 2])
            g1.image(tile(filters["conv1"], columns=6, cell=48, symmetric=True),
                     caption="conv1's 6 learned 5×5 filters (grey = 0, white > 0, black < 0)")
            g2.image(tile(filters["conv2"].reshape(-1, 5, 5), columns=6, cell=20, gap=2, symmetric=True),
                     caption="conv2's 16 × 6 learned 5×5 filters: one row per filter, one column per input map")

st.divider()
st.subheader("3 · X or X?")
st.markdown(
    "The lecture's case: *computers are literal*. Compared pixel by pixel, a shifted, shrunk or rotated X "
    "is a different picture, yet the three little 3×3 **feature filters** of an X (two diagonals and the "
    "crossing, +1 on ink, −1 elsewhere) still fire wherever their feature is. A response of **1.00** is a "
    "perfect match (sum of the 9 products / 9)."
)
mode = st.segmented_control("X", ["Transform the lecture's X", "Draw an X"], default="Transform the lecture's X",
                            key="tc_xmode", bind="query-params", required=True) or "Transform the lecture's X"
grid = None
xl, xr = st.columns([1, 2])
with xl:
    if mode == "Draw an X":
        st.caption("Draw an X anywhere, any size; it is read on a 9×9 grid.")
        result = _canvas("tc_xcanvas", 270, 26)
        if result is not None and result.image_data is not None:
            try:
                grid = canvas_to_grid(result.image_data, 9)
            except ValueError as exc:
                st.info(str(exc))
    else:
        dx = st.slider("Shift right (pixels)", -2, 2, 0, key="tc_xdx", bind="query-params")
        dy = st.slider("Shift down (pixels)", -2, 2, 0, key="tc_xdy", bind="query-params")
        scale = st.slider("Size", 0.4, 1.2, 1.0, 0.1, key="tc_xscale", bind="query-params")
        rot = st.slider("Rotation (degrees)", 0, 90, 0, 5, key="tc_xrot", bind="query-params")
        with friendly_errors():
            grid = draw_x(9, (int(dx), int(dy)), float(scale), float(rot))
    if grid is not None:
        st.image(tile(np.pad(grid, 1)[None], columns=1, cell=198, symmetric=True), width=198,
                 caption="The X on a 9×9 grid (white = +1, black = −1; grey frame = outside the grid)")
with xr:
    if grid is not None:
        resp = x_responses(grid)
        cols = st.columns(4)
        cols[0].metric("Pixel match", f"{resp.pixel_agreement:.0%}",
                       help="Share of the 81 pixels equal to the centred lecture X: a literal comparison.")
        for c, name, peak, n in zip(cols[1:], X_FILTER_NAMES, resp.peak, resp.perfect):
            c.metric(name, f"{peak:.2f}", f"{int(n)} perfect" if n else "does not fire",
                     delta_color="normal" if n else "inverse", delta_arrow="off", help="Peak response of this filter (1.00 = perfect match)")
        st.caption("Cells: the sum of the 9 products at each position (9 = a perfect match, response 1.00).")
        st.plotly_chart(response_heatmaps(resp.maps, X_FILTER_NAMES), key="tc_xmaps")
